/**
 * `run`'s command line → a {@link RunPlan}. Flags are read in order, because the calls
 * are: `--event A --payload P --hook h --event B` fires A with P, calls h, fires B.
 * Everything after `--args` (or `--`) is the guest's `argv[1…]`.
 */

import { parseArgs } from "node:util";
import { KNOWN_EVENTS } from "../lib/manifest/events";
import { InputError, UsageError } from "./errors";
import { parseEnvFile, readFileMappings, readInput, readModuleInput, readText, splitAssignment } from "./inputs";
import { defaultCacheDir } from "./module-store";
import type { PlannedCall, RunPlan } from "./session";

/** `run`'s usage, printed with `--help` and after a usage error. */
export const RUN_USAGE = `usage: extension-playground run <module.wasm | package.ftx> [options] [--args ARG…]

  --manifest FILE       extension.toml (default: the package's, or extension.toml or <name>.toml beside the module)
  --event NAME          fire an event: every hook subscribed to it is called, in manifest order
  --payload JSON        the payload of the --event or --hook before it (default: the event's sample)
  --hook NAME           call one exported hook by name
  --env KEY=VALUE       a variable the extension may see ([permissions] environment filters it)
  --env-file FILE       KEY=VALUE lines (# comments); --env wins over it
  --file /guest=local   a local file or folder at a guest path ([permissions] decide access)
  --stdin FILE          what the guest reads on fd 0 (- for this process's stdin)
  --args ARG…           the rest of the line is the guest's argv[1…] (also after --)
  --json                JSON Lines on stdout instead of text
  --deny-is-error       a Denied audit record makes the exit status 5
  --cache-dir DIR       the module cache (default $EXTENSION_PLAYGROUND_CACHE or ~/.cache/extension-playground/modules)
  -h, --help            this text

Events, repeated and mixed with --hook, run in the order given. Without any, a WASI command
runs _start and a reactor is loaded only. Exit status: 0 ok, 2 usage, 3 bad input, 4 load
error, 5 denied (--deny-is-error), 6 proc_exit non-zero, 10 trap, 11 out of fuel, 12 memory
out of bounds, 13 wall time, 14 unreachable, 15 stack overflow.`;

/** What `run` was asked to do. */
export interface RunOptions {
  plan: RunPlan;
  json: boolean;
}

/**
 * Parses `run`'s arguments and reads the files they name.
 * @returns `"help"` for `--help`.
 * @throws {UsageError} for an unknown flag, a missing value or a misplaced `--payload`.
 * @throws {InputError} for a file that cannot be read, a bad env line or payload, an unknown event.
 */
export function parseRunArgs(argv: readonly string[]): RunOptions | "help" {
  const split = argv.findIndex((a) => a === "--args" || a === "--");
  const own = split < 0 ? [...argv] : argv.slice(0, split);
  const guestArgs = split < 0 ? [] : argv.slice(split + 1);
  const { values, tokens } = parseStrict(own);
  if (values.help) return "help";

  const positionals = tokens.filter((t) => t.kind === "positional").map((t) => t.value);
  if (positionals.length === 0) throw new UsageError("run needs a module: extension-playground run <module.wasm>");
  if (positionals.length > 1) throw new UsageError(`run takes one module, got ${positionals.length}: ${positionals.join(" ")} (guest arguments go after --args)`);
  const modulePath = positionals[0] as string;

  const calls: PlannedCall[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (token.name === "event") calls.push({ event: checkEvent(token.value ?? "") });
    else if (token.name === "hook") calls.push({ hook: token.value ?? "" });
    else if (token.name === "payload") attachPayload(calls, token.value ?? "");
  }

  const env: Record<string, string> = {};
  for (const file of values["env-file"] ?? []) Object.assign(env, parseEnvFile(readText(file, "env file"), file));
  for (const assignment of values.env ?? []) {
    const [key, value] = splitAssignment(assignment);
    if (key === undefined) throw new UsageError(`--env ${assignment}: expected KEY=VALUE`);
    env[key] = value;
  }
  const input = readModuleInput(modulePath, values.manifest);
  const stdin = values.stdin === undefined ? undefined : values.stdin === "-" ? readInput("/dev/stdin", "stdin") : readInput(values.stdin, "stdin file");
  return {
    json: values.json ?? false,
    plan: {
      request: {
        bytes: input.bytes,
        manifestSource: input.manifestSource,
        env,
        fileName: input.fileName,
        args: guestArgs,
        files: readFileMappings(values.file ?? []),
        ...(stdin ? { stdin } : {}),
      },
      calls,
      denyIsError: values["deny-is-error"] ?? false,
      manifestPath: input.manifestPath,
      cacheDir: values["cache-dir"] ?? defaultCacheDir(),
    },
  };
}

function parseStrict(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        manifest: { type: "string" },
        event: { type: "string", multiple: true },
        payload: { type: "string", multiple: true },
        hook: { type: "string", multiple: true },
        env: { type: "string", multiple: true },
        "env-file": { type: "string", multiple: true },
        file: { type: "string", multiple: true },
        stdin: { type: "string" },
        json: { type: "boolean" },
        "deny-is-error": { type: "boolean" },
        "cache-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
}

/** node:util's parse errors, said shortly: `unknown flag --frobnicate`. */
export function usageMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-[^']*)'/.exec(message)?.[1];
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown flag ${flag ?? message}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return `${flag ?? "a flag"} needs a value: ${message}`;
  return message;
}

function checkEvent(name: string): string {
  if ((KNOWN_EVENTS as readonly string[]).includes(name)) return name;
  throw new InputError(`--event ${name}: unknown event; expected one of ${KNOWN_EVENTS.join(", ")}`);
}

function attachPayload(calls: PlannedCall[], payload: string): void {
  const last = calls.at(-1);
  if (!last) throw new UsageError("--payload must follow the --event or --hook it belongs to");
  if (last.payload !== undefined) throw new UsageError(`a second --payload for the same ${"event" in last ? `--event ${last.event}` : `--hook ${last.hook}`}`);
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new InputError(`--payload ${payload}: not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  last.payload = payload;
}
