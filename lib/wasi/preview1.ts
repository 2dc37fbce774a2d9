/**
 * The `wasi_snapshot_preview1` import object of one instance.
 *
 * Each implemented call lives in the file of its WASI concern (`args-environ.ts`,
 * `clocks.ts`, `fd-stdio.ts`, `proc.ts`, `random.ts`) as a function of the context and the
 * call's own parameters. This module wires them to the import names, records an audit
 * entry per call, and gives every other preview1 import a stub that returns `ENOSYS`, so
 * a module importing it still instantiates.
 */

import { AuditFn, Detail, Outcome } from "../audit/trail";
import { ProcExit } from "../traps";
import { argsGet, argsSizesGet, environGet, environSizesGet } from "./args-environ";
import { clockResGet, clockTimeGet } from "./clocks";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { fdFdstatGet, fdPrestatDirName, fdPrestatGet, fdWrite } from "./fd-stdio";
import { procExit } from "./proc";
import { randomGet } from "./random";

/** The import module name of WASI preview1. */
export const PREVIEW1_MODULE = "wasi_snapshot_preview1";

/** A preview1 call: the context, then the call's parameters as wasm passes them. */
type Call = (ctx: WasiContext, ...args: never[]) => number;

/** Every preview1 function the playground implements, by import name. */
const CALLS: Record<string, Call> = {
  args_get: argsGet,
  args_sizes_get: argsSizesGet,
  environ_get: environGet,
  environ_sizes_get: environSizesGet,
  clock_res_get: clockResGet,
  clock_time_get: clockTimeGet,
  fd_fdstat_get: fdFdstatGet,
  fd_prestat_get: fdPrestatGet,
  fd_prestat_dir_name: fdPrestatDirName,
  fd_write: fdWrite,
  proc_exit: (_ctx: WasiContext, code: number) => procExit(code),
  random_get: randomGet,
};

/** True when the playground implements the preview1 function `name`. */
export function isImplemented(name: string): boolean {
  return Object.hasOwn(CALLS, name);
}

/** A wasm-callable function; parameters are numbers, or BigInts for i64. */
type ImportFunction = (...args: (number | bigint)[]) => number | void;

/**
 * Builds the functions for the preview1 imports `names` (those the module declares).
 * @returns the import object's `wasi_snapshot_preview1` entry.
 */
export function createPreview1Imports(ctx: WasiContext, names: readonly string[]): Record<string, ImportFunction> {
  const imports: Record<string, ImportFunction> = {};
  for (const name of names) imports[name] = CALLS[name] ? audited(ctx, name, CALLS[name]) : notImplemented(ctx, name);
  return imports;
}

const encoder = new TextEncoder();

/** Wraps a call so that each invocation leaves one audit record (numbers only). */
function audited(ctx: WasiContext, name: string, call: Call): ImportFunction {
  const nameBytes = encoder.encode(name);
  return (a, b, c, d, e, f, g, h, i) => {
    try {
      const errno = (call as (ctx: WasiContext, ...args: unknown[]) => number)(ctx, a, b, c, d, e, f, g, h, i);
      const outcome = errno === Errno.SUCCESS ? Outcome.ok : Outcome.error;
      ctx.audit.record(AuditFn.wasi, outcome, errno === Errno.SUCCESS ? Detail.none : Detail.errno, nameBytes, errno, num(a), num(b), num(c), num(d));
      return errno;
    } catch (error) {
      const exited = error instanceof ProcExit;
      const detail = exited ? Detail.exited : Detail.trapped;
      ctx.audit.record(AuditFn.wasi, exited ? Outcome.ok : Outcome.error, detail, nameBytes, exited ? error.code : NaN, num(a), num(b), num(c), num(d));
      throw error;
    }
  };
}

function notImplemented(ctx: WasiContext, name: string): ImportFunction {
  const nameBytes = encoder.encode(name);
  return (a, b, c, d) => {
    ctx.audit.record(AuditFn.wasi, Outcome.error, Detail.notImplemented, nameBytes, Errno.NOSYS, num(a), num(b), num(c), num(d));
    return Errno.NOSYS;
  };
}

function num(value: number | bigint | undefined): number {
  return typeof value === "bigint" ? Number(value) : (value ?? NaN);
}
