/**
 * Parses and checks `extension.toml`.
 *
 * TOML syntax is smol-toml's job; this module checks the shape FrankenTerm's
 * `src/manifest.rs` expects plus what its documentation adds, and accepts both spellings
 * where the two disagree (hooks as `[[hooks]]` or as a `[hooks]` table; filesystem
 * permissions as `filesystem` or `filesystem_read`/`filesystem_write`), recording which one
 * was used. Every error is a {@link ManifestError} naming the key and its line.
 */

import { parse as parseToml, TomlError } from "smol-toml";
import { checkSubscription } from "./events";
import { locateKey } from "./locate";
import { defaultLimits, type Hook, type Limits, type Manifest, type Permissions } from "./types";

/** A manifest that cannot be used; `message` names the key and line. */
export class ManifestError extends Error {
  /**
   * @param key dotted path of the offending key (`hooks[1].event`), or `""` for syntax.
   * @param line 1-based line, when known.
   * @param detail what is wrong.
   */
  constructor(
    readonly key: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`extension.toml${line ? ` line ${line}` : ""}${key ? `, key \`${key}\`` : ""}: ${detail}`);
    this.name = "ManifestError";
  }
}

type Table = Record<string, unknown>;

const TABLES: Record<string, readonly string[]> = {
  extension: ["name", "version", "description", "authors", "license", "homepage", "min_frankenterm_version"],
  engine: ["type", "entry"],
  permissions: ["environment", "filesystem", "filesystem_read", "filesystem_write", "network", "pane_access", "commands"],
  limits: ["max_memory_bytes", "fuel_per_call", "max_wall_time_secs"],
};

/**
 * Parses manifest text.
 * @throws {ManifestError} on a TOML syntax error or a key of the wrong shape.
 */
export function parseManifest(source: string): Manifest {
  const root = parseSyntax(source);
  const at = (table: string, key?: string, index?: number) => locateKey(source, table, key, index);
  const fail = (table: string, key: string, detail: string, index?: number): never => {
    throw new ManifestError(table ? `${table}.${key}` : key, at(table, key, index), detail);
  };
  const warnings: string[] = [];

  for (const key of Object.keys(root)) {
    if (!(key in TABLES) && key !== "hooks") warnings.push(`line ${at(key) ?? at("", key) ?? "?"}: unknown table [${key}] ignored`);
  }
  for (const [table, keys] of Object.entries(TABLES)) {
    const value = root[table];
    if (value === undefined) continue;
    if (!isTable(value)) fail("", table, `must be a table ([${table}])`);
    for (const key of Object.keys(value as Table)) {
      if (!keys.includes(key)) warnings.push(`line ${at(table, key) ?? "?"}: unknown key ${table}.${key} ignored`);
    }
  }

  const extension = root.extension;
  if (!isTable(extension)) throw new ManifestError("extension", undefined, "the [extension] table is required");
  const text = (table: string, t: Table, key: string): string | undefined => {
    const value = t[key];
    if (value === undefined) return undefined;
    return typeof value === "string" ? value : fail(table, key, `must be a string, found ${describe(value)}`);
  };
  const strings = (table: string, t: Table, key: string): string[] => {
    const value = t[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      return fail(table, key, `must be an array of strings, found ${describe(value)}`);
    }
    return value as string[];
  };

  const name = text("extension", extension, "name");
  if (name === undefined || name.trim() === "") fail("extension", "name", "a non-empty name is required");
  const engine = isTable(root.engine) ? root.engine : {};
  const engineType = text("engine", engine, "type") ?? "wasm";
  if (engineType !== "wasm" && engineType !== "lua" && engineType !== "both") {
    fail("engine", "type", `must be "wasm", "lua" or "both", found "${engineType}"`);
  }
  if (engineType === "lua") fail("engine", "type", 'is "lua": the playground runs WebAssembly extensions only');

  return {
    extension: {
      name: name as string,
      version: text("extension", extension, "version") ?? "0.0.0",
      description: text("extension", extension, "description"),
      authors: strings("extension", extension, "authors"),
      license: text("extension", extension, "license"),
      homepage: text("extension", extension, "homepage"),
      minFrankentermVersion: text("extension", extension, "min_frankenterm_version"),
    },
    engine: { type: engineType as "wasm" | "both", entry: text("engine", engine, "entry") ?? "main.wasm" },
    permissions: parsePermissions(isTable(root.permissions) ? root.permissions : {}, strings, fail),
    limits: parseLimits(isTable(root.limits) ? root.limits : {}, fail),
    ...parseHooks(root.hooks, source, warnings),
    warnings,
  };
}

function parseSyntax(source: string): Table {
  try {
    return parseToml(source) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const firstLine = error.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "invalid TOML";
      throw new ManifestError("", error.line, `TOML syntax error at column ${error.column}: ${firstLine}`);
    }
    throw error;
  }
}

type Fail = (table: string, key: string, detail: string, index?: number) => never;
type Strings = (table: string, t: Table, key: string) => string[];

function parsePermissions(t: Table, strings: Strings, fail: Fail): Permissions {
  const read: string[] = [];
  const write: string[] = [];
  for (const entry of strings("permissions", t, "filesystem")) {
    if (entry.startsWith("write:")) write.push(entry.slice(6));
    else read.push(entry.startsWith("read:") ? entry.slice(5) : entry);
  }
  const hostForm = t.filesystem !== undefined;
  const documentedForm = t.filesystem_read !== undefined || t.filesystem_write !== undefined;
  read.push(...strings("permissions", t, "filesystem_read"));
  write.push(...strings("permissions", t, "filesystem_write"));
  const flag = (key: string): boolean => {
    const value = t[key];
    if (value === undefined) return false;
    return typeof value === "boolean" ? value : fail("permissions", key, `must be true or false, found ${describe(value)}`);
  };
  for (const pattern of strings("permissions", t, "environment")) {
    if (pattern === "" || pattern.indexOf("*") !== -1 && pattern.indexOf("*") !== pattern.length - 1) {
      fail("permissions", "environment", `"${pattern}" is not a name or a PREFIX_* pattern`);
    }
  }
  return {
    environment: strings("permissions", t, "environment"),
    filesystemRead: read,
    filesystemWrite: write,
    filesystemForm: hostForm && documentedForm ? "both" : hostForm ? "host-code" : documentedForm ? "documented" : "none",
    network: flag("network"),
    paneAccess: flag("pane_access"),
    commands: strings("permissions", t, "commands"),
  };
}

function parseLimits(t: Table, fail: Fail): Limits {
  const limits = defaultLimits();
  const positive = (key: string, max: number, integer: boolean): number | undefined => {
    const value = t[key];
    if (value === undefined) return undefined;
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number" || !(n > 0) || n > max || (integer && !Number.isInteger(n))) {
      return fail("limits", key, `must be a positive ${integer ? "integer" : "number"} no larger than ${max}, found ${describe(value)}`);
    }
    return n;
  };
  limits.maxMemoryBytes = positive("max_memory_bytes", 4 * 1024 ** 3, true) ?? limits.maxMemoryBytes;
  limits.fuelPerCall = positive("fuel_per_call", Number.MAX_SAFE_INTEGER, true) ?? limits.fuelPerCall;
  limits.maxWallTimeSecs = positive("max_wall_time_secs", 3600, false) ?? limits.maxWallTimeSecs;
  return limits;
}

function parseHooks(value: unknown, source: string, warnings: string[]): Pick<Manifest, "hooks" | "hookForm"> {
  if (value === undefined) return { hooks: [], hookForm: "none" };
  const hooks: Hook[] = [];
  if (Array.isArray(value)) {
    value.forEach((entry, index) => {
      const where = (key?: string) => locateKey(source, "hooks", key, index);
      if (!isTable(entry)) throw new ManifestError(`hooks[${index}]`, where(), "each [[hooks]] entry must be a table");
      for (const key of Object.keys(entry)) {
        if (key !== "event" && key !== "handler") warnings.push(`line ${where(key) ?? "?"}: unknown key hooks[${index}].${key} ignored`);
      }
      for (const key of ["event", "handler"] as const) {
        if (typeof entry[key] !== "string" || entry[key] === "") {
          throw new ManifestError(`hooks[${index}].${key}`, where(key), `a non-empty string is required, found ${describe(entry[key])}`);
        }
      }
      hooks.push(checkHook(entry.event as string, entry.handler as string, `hooks[${index}]`, where("event"), where("handler")));
    });
    return { hooks, hookForm: "documented" };
  }
  if (isTable(value)) {
    for (const [event, handler] of Object.entries(value)) {
      const line = locateKey(source, "hooks", event);
      if (typeof handler !== "string" || handler === "") {
        throw new ManifestError(`hooks."${event}"`, line, `the handler must be a non-empty string, found ${describe(handler)}`);
      }
      hooks.push(checkHook(event, handler, `hooks."${event}"`, line, line));
    }
    return { hooks, hookForm: "host-code" };
  }
  throw new ManifestError("hooks", locateKey(source, "", "hooks"), `must be [[hooks]] entries or a [hooks] table, found ${describe(value)}`);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$.-]*$/;

function checkHook(event: string, handler: string, key: string, eventLine?: number, handlerLine?: number): Hook {
  const problem = checkSubscription(event);
  if (problem) throw new ManifestError(`${key}.event`, eventLine, problem);
  if (!IDENTIFIER.test(handler)) throw new ManifestError(`${key}.handler`, handlerLine, `"${handler}" is not an export name`);
  return { event, handler, line: handlerLine };
}

function isTable(value: unknown): value is Table {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (isTable(value)) return "a table";
  return `${typeof value} ${JSON.stringify(typeof value === "bigint" ? String(value) : value)}`;
}
