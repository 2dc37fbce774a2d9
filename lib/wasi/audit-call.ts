/**
 * The audit record and the error handling every preview1 call shares (`preview1.ts` wraps
 * each call with them; `fast-calls.ts` inlines them for the hot calls).
 */

import { AuditFn, Detail, Outcome } from "../audit/trail";
import { ProcExit, Trap } from "../traps";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { errnoFromThrown } from "./error-map";

/** Records one call: its name, the errno, four arguments. */
export function record(ctx: WasiContext, nameBytes: Uint8Array, errno: number, a: unknown, b: unknown, c: unknown, d: unknown): void {
  const ok = errno === Errno.SUCCESS;
  ctx.audit.record(AuditFn.wasi, ok ? Outcome.ok : Outcome.error, ok ? Detail.none : Detail.errno, nameBytes, errno, num(a), num(b), num(c), num(d));
}

/**
 * What a throw inside a call becomes: a {@link Trap} or {@link ProcExit} is recorded and
 * rethrown (it ends the call); anything else came from the shim and becomes an errno.
 */
export function fail(ctx: WasiContext, nameBytes: Uint8Array, error: unknown, a: unknown, b: unknown, c: unknown, d: unknown): number {
  if (error instanceof ProcExit || error instanceof Trap) {
    const exited = error instanceof ProcExit;
    const detail = exited ? Detail.exited : Detail.trapped;
    ctx.audit.record(AuditFn.wasi, exited ? Outcome.ok : Outcome.error, detail, nameBytes, exited ? error.code : NaN, num(a), num(b), num(c), num(d));
    throw error;
  }
  return errnoFromThrown(error);
}

/** An argument as a number for the record (i64 BigInts converted, anything else `NaN`). */
export function num(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : typeof value === "number" ? value : NaN;
}
