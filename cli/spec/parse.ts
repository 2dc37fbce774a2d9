/**
 * Reads a test spec (TOML, smol-toml) into a {@link Spec}. Every error is a
 * {@link SpecError} naming the file, the line and the key (`steps[2].logs[0].level`), as
 * manifest errors do: syntax positions come from smol-toml, the lines of keys from
 * lib/manifest/locate.ts.
 */

import path from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { LOG_LEVEL_NAMES } from "../../lib/abi/log-sink";
import { KNOWN_EVENTS } from "../../lib/manifest/events";
import { locateKey } from "../../lib/manifest/locate";
import { InputError, STATUS_NAMES } from "../errors";
import { findManifest, readInput } from "../inputs";
import type { AuditExpectation, LogExpectation, Spec, SpecStep, StepExpectations, TextMatch } from "./types";

/** A spec that cannot be used: `file line N, key \`k\`: what`. */
export class SpecError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly key: string,
    detail: string,
  ) {
    super(`${file}${line ? ` line ${line}` : ""}${key ? `, key \`${key}\`` : ""}: ${detail}`);
    this.name = "SpecError";
  }
}

type Table = Record<string, unknown>;

const TOP_KEYS = ["name", "module", "manifest", "args", "stdin", "stdin_file", "deny_is_error", "env", "files", "steps", "expect"];
const STEP_KEYS = ["event", "hook", "payload", "logs", "stdout", "stderr", "audit", "no_audit", "trap", "exit_code", "files"];
const EXPECT_KEYS = ["exit", "load_error", "files"];
const TRAP_KINDS = ["unreachable", "memory_out_of_bounds", "stack_overflow", "divide_by_zero", "integer_overflow", "invalid_conversion", "indirect_call", "null_reference", "out_of_fuel", "wall_time", "host", "unknown"];

/**
 * Parses spec text. Paths in it are relative to the spec's folder.
 * @param file the spec's path, for messages and relative paths.
 * @throws {SpecError} for a syntax error, an unknown key or a value of the wrong shape.
 */
export function parseSpec(source: string, file: string): Spec {
  const root = syntax(source, file);
  const dir = path.dirname(file);
  const fail = (table: string, key: string, detail: string, index?: number, shown?: string): never => {
    throw new SpecError(file, locateKey(source, table, key, index) ?? locateKey(source, "", table), shown ?? (table ? `${table}.${key}` : key), detail);
  };
  unknownKeys(root, TOP_KEYS, (key) => fail("", key, `unknown key (expected one of ${TOP_KEYS.join(", ")})`));

  const moduleFile = str(root, "module", (d) => fail("", "module", d));
  if (moduleFile === undefined) fail("", "module", "the module to load is required (module = \"path/to/extension.wasm\", relative to this file)");
  const modulePath = path.resolve(dir, moduleFile as string);
  const manifest = str(root, "manifest", (d) => fail("", "manifest", d));
  // A package holds its own manifest; a module's is found beside it when not given.
  let manifestPath: string | undefined;
  try {
    manifestPath = manifest !== undefined ? path.resolve(dir, manifest) : modulePath.endsWith(".ftx") ? undefined : findManifest(modulePath);
  } catch (error) {
    return fail("", "module", error instanceof Error ? error.message : String(error));
  }

  const env = stringTable(root.env, (d, key) => fail("env", key ?? "", d, undefined, key ? `env.${key}` : "env"));
  const files = initialFiles(root.files, dir, (d, key) => fail("files", key, d, undefined, `files."${key}"`));
  const stdinText = str(root, "stdin", (d) => fail("", "stdin", d));
  const stdinFile = str(root, "stdin_file", (d) => fail("", "stdin_file", d));
  const args = stringList(root.args, (d) => fail("", "args", d));
  const denyIsError = root.deny_is_error === undefined ? false : typeof root.deny_is_error === "boolean" ? root.deny_is_error : fail("", "deny_is_error", "must be true or false");

  const stepsValue = root.steps ?? [];
  if (!Array.isArray(stepsValue) || stepsValue.some((s) => !isTable(s))) fail("", "steps", "must be an array of tables ([[steps]])");
  const steps = (stepsValue as Table[]).map((step, index) => parseStep(step, index, source, file));

  const expect = root.expect ?? {};
  if (!isTable(expect)) return fail("", "expect", "must be a table ([expect])");
  unknownKeys(expect, EXPECT_KEYS, (key) => fail("expect", key, `unknown key (expected one of ${EXPECT_KEYS.join(", ")})`));
  const exit = parseExit(expect.exit, (d) => fail("expect", "exit", d));
  const loadError = expect.load_error === undefined ? undefined : textMatch(expect.load_error, (d) => fail("expect", "load_error", d));

  return {
    file,
    name: str(root, "name", (d) => fail("", "name", d)) ?? path.basename(file),
    modulePath,
    ...(manifestPath !== undefined ? { manifestPath } : {}),
    env,
    files,
    ...(stdinText !== undefined ? { stdin: new TextEncoder().encode(stdinText) } : stdinFile !== undefined ? { stdin: readInput(path.resolve(dir, stdinFile), "stdin file") } : {}),
    args,
    denyIsError,
    steps,
    exit: loadError && expect.exit === undefined ? STATUS_NAMES.load_error! : exit,
    ...(loadError ? { loadError } : {}),
    filesAfter: expectedFiles(expect.files, (d, key) => fail("expect.files", key, d, undefined, `expect.files."${key}"`)),
  };
}

function parseStep(step: Table, index: number, source: string, file: string): SpecStep {
  const at = (key: string) => locateKey(source, "steps", key, index);
  const fail = (key: string, detail: string): never => {
    throw new SpecError(file, at(key.split(/[.[]/)[0] as string), `steps[${index}]${key ? `.${key}` : ""}`, detail);
  };
  unknownKeys(step, STEP_KEYS, (key) => fail(key, `unknown key (expected one of ${STEP_KEYS.join(", ")})`));
  const event = str(step, "event", (d) => fail("event", d));
  const hook = str(step, "hook", (d) => fail("hook", d));
  if ((event === undefined) === (hook === undefined)) fail("", "a step fires one event (event = \"…\") or calls one hook (hook = \"…\")");
  if (event !== undefined && !(KNOWN_EVENTS as readonly string[]).includes(event)) fail("event", `unknown event "${event}"; expected one of ${KNOWN_EVENTS.join(", ")}`);
  const payload = step.payload === undefined ? undefined : payloadJson(step.payload, (d) => fail("payload", d));
  const call = event !== undefined ? { event, ...(payload !== undefined ? { payload } : {}) } : { hook: hook as string, ...(payload !== undefined ? { payload } : {}) };

  const trap = str(step, "trap", (d) => fail("trap", d));
  if (trap !== undefined && !TRAP_KINDS.includes(trap)) fail("trap", `unknown trap kind "${trap}"; expected one of ${TRAP_KINDS.join(", ")}`);
  const exitCode = step.exit_code === undefined ? undefined : Number.isInteger(step.exit_code) ? Number(step.exit_code) : fail("exit_code", "must be an integer");
  const expect: StepExpectations = {
    logs: list(step.logs, (d, i) => fail(`logs[${i}]`, d)).map((v, i) => logExpectation(v, (d, key) => fail(`logs[${i}]${key ? `.${key}` : ""}`, d))),
    stdout: list(step.stdout, (d, i) => fail(`stdout[${i}]`, d)).map((v, i) => textMatch(v, (d) => fail(`stdout[${i}]`, d))),
    stderr: list(step.stderr, (d, i) => fail(`stderr[${i}]`, d)).map((v, i) => textMatch(v, (d) => fail(`stderr[${i}]`, d))),
    audit: list(step.audit, (d, i) => fail(`audit[${i}]`, d)).map((v, i) => auditExpectation(v, (d) => fail(`audit[${i}]`, d))),
    noAudit: list(step.no_audit, (d, i) => fail(`no_audit[${i}]`, d)).map((v, i) => auditExpectation(v, (d) => fail(`no_audit[${i}]`, d))),
    ...(trap !== undefined ? { trap } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    files: expectedFiles(step.files, (d, key) => fail(`files."${key}"`, d)),
  };
  return { call, expect, line: locateKey(source, "steps", undefined, index), label: event !== undefined ? event : `hook ${hook}` };
}

function syntax(source: string, file: string): Table {
  try {
    return parseToml(source) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "invalid TOML";
      throw new SpecError(file, error.line, "", `TOML syntax error at column ${error.column}: ${first}`);
    }
    throw error;
  }
}

function unknownKeys(table: Table, known: readonly string[], fail: (key: string) => void): void {
  for (const key of Object.keys(table)) if (!known.includes(key)) fail(key);
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function str(table: Table, key: string, fail: (detail: string) => never): string | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : fail(`must be a string, found ${describe(value)}`);
}

function stringList(value: unknown, fail: (detail: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return fail(`must be an array of strings, found ${describe(value)}`);
  return value as string[];
}

function list(value: unknown, fail: (detail: string, index: number | string) => never): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : fail(`must be an array, found ${describe(value)}`, "");
}

function stringTable(value: unknown, fail: (detail: string, key?: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (!isTable(value)) return fail("must be a table of strings ([env] KEY = \"value\")");
  for (const [key, v] of Object.entries(value)) if (typeof v !== "string") fail(`must be a string, found ${describe(v)}`, key);
  return value as Record<string, string>;
}

function initialFiles(value: unknown, dir: string, fail: (detail: string, key: string) => never): Record<string, string | Uint8Array | null> {
  if (value === undefined) return {};
  if (!isTable(value)) return fail('must be a table of guest paths ([files] "/path" = "content")', "");
  const files: Record<string, string | Uint8Array | null> = {};
  for (const [guest, v] of Object.entries(value)) {
    if (!guest.startsWith("/")) fail("a guest path must be absolute", guest);
    if (typeof v === "string") files[guest] = v;
    else if (isTable(v) && v.dir === true && Object.keys(v).length === 1) files[guest] = null;
    else if (isTable(v) && typeof v.file === "string" && Object.keys(v).length === 1) files[guest] = readInput(path.resolve(dir, v.file), "file");
    else fail('must be text, { file = "local path" } or { dir = true }', guest);
  }
  return files;
}

function expectedFiles(value: unknown, fail: (detail: string, key: string) => never): Record<string, string | null> {
  if (value === undefined) return {};
  if (!isTable(value)) return fail('must be a table of guest paths ("/path" = "content", or false: must not exist)', "");
  const files: Record<string, string | null> = {};
  for (const [guest, v] of Object.entries(value)) {
    if (typeof v === "string") files[guest] = v;
    else if (v === false) files[guest] = null;
    else fail("must be the expected text, or false (the file must not exist)", guest);
  }
  return files;
}

/** A string is exact text; `{ regex = "…" }` a regular expression (JavaScript syntax). */
function textMatch(value: unknown, fail: (detail: string) => never): TextMatch {
  if (typeof value === "string") return { exact: value };
  if (isTable(value) && typeof value.regex === "string" && Object.keys(value).length === 1) return { regex: regex(value.regex, fail) };
  return fail(`must be a string (exact) or { regex = "…" }, found ${describe(value)}`);
}

function regex(source: string, fail: (detail: string) => never): RegExp {
  try {
    return new RegExp(source, "u");
  } catch (error) {
    return fail(`not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `"text"`: any level; `{ level = "INFO", text = "…" }` or `{ level = "WARN", regex = "…" }`. */
function logExpectation(value: unknown, fail: (detail: string, key?: string) => never): LogExpectation {
  if (typeof value === "string") return { text: { exact: value } };
  if (!isTable(value)) return fail(`must be a string or { level, text | regex }, found ${describe(value)}`);
  unknownKeys(value, ["level", "text", "regex"], (key) => fail("unknown key (expected level, text or regex)", key));
  const level = value.level;
  if (level !== undefined && (typeof level !== "string" || !(LOG_LEVEL_NAMES as readonly string[]).includes(level))) {
    fail(`must be one of ${LOG_LEVEL_NAMES.join(", ")}, found ${describe(level)}`, "level");
  }
  if ((value.text === undefined) === (value.regex === undefined)) fail("give text = \"…\" or regex = \"…\" (one of them)");
  const text = value.text !== undefined ? (typeof value.text === "string" ? { exact: value.text } : fail("must be a string", "text")) : { regex: regex(typeof value.regex === "string" ? value.regex : fail("must be a string", "regex"), (d) => fail(d, "regex")) };
  return { ...(level !== undefined ? { level: level as string } : {}), text };
}

/**
 * `"env_get HOME Denied"`: the function, the args summary (exact; `*` for any), and the
 * outcome (`Ok`, `Denied`, `Error`); or a table `{ function, args, outcome, reason }`.
 */
function auditExpectation(value: unknown, fail: (detail: string) => never): AuditExpectation {
  if (typeof value === "string") {
    const words = value.trim().split(/\s+/);
    const last = words.at(-1) ?? "";
    const outcome = OUTCOMES.find((o) => o === last);
    if (words.length < 2 || !outcome) return fail(`"${value}": expected "FUNCTION [ARGS] OUTCOME" with OUTCOME one of Ok, Denied, Error`);
    const args = words.slice(1, -1).join(" ");
    return { function: words[0] as string, ...(args !== "*" ? { args } : {}), outcome, source: value };
  }
  if (!isTable(value)) return fail(`must be "FUNCTION [ARGS] OUTCOME" or { function, args, outcome, reason }, found ${describe(value)}`);
  if (typeof value.function !== "string") return fail("function = \"…\" is required");
  const outcome = value.outcome === undefined ? undefined : OUTCOMES.find((o) => o === value.outcome) ?? fail(`outcome must be one of ${OUTCOMES.join(", ")}`);
  if (value.args !== undefined && typeof value.args !== "string") fail("args must be a string");
  return {
    function: value.function,
    ...(typeof value.args === "string" ? { args: value.args } : {}),
    ...(outcome ? { outcome } : {}),
    ...(value.reason !== undefined ? { reason: textMatch(value.reason, fail) } : {}),
    source: [value.function, value.args ?? "*", outcome ?? "*"].join(" ") + (value.reason !== undefined ? ` (reason ${JSON.stringify(value.reason)})` : ""),
  };
}

const OUTCOMES = ["Ok", "Denied", "Error"] as const;

/** A table, array, number or boolean is sent as its JSON; a string is JSON text already. */
function payloadJson(value: unknown, fail: (detail: string) => never): string {
  if (typeof value !== "string") return JSON.stringify(value);
  try {
    JSON.parse(value);
    return value;
  } catch (error) {
    return fail(`a string payload must be JSON text: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseExit(value: unknown, fail: (detail: string) => never): number {
  if (value === undefined) return 0;
  if (Number.isInteger(value)) return Number(value);
  if (typeof value === "string" && value in STATUS_NAMES) return STATUS_NAMES[value] as number;
  return fail(`must be a status number or one of ${Object.keys(STATUS_NAMES).join(", ")}`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (value instanceof Date) return "a date";
  if (typeof value === "object") return "a table";
  return `${typeof value} ${JSON.stringify(value)}`;
}
