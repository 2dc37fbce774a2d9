/**
 * The hot preview1 calls with wrappers of their own: `fd_write`, `clock_time_get`,
 * `random_get`. They do what `preview1.ts`'s generic wrapper does (audit record, a Trap or
 * ProcExit rethrown, a shim error turned into an errno), but each is its own function, so
 * the engine sees one callee per call site and inlines it (the generic wrapper's call site
 * is shared by every import and sees dozens), and the record copies the call's name
 * without a builtin call. `clock_time_get(MONOTONIC)` stamps its audit record with the very
 * clock reading it returns: one read of the clock per call. Every record's time is read here
 * with `monotonic.ts`'s cached `performance` (the trail's own clock, cheaper to reach in a
 * Worker), when the trail shares that clock; a trail with a clock of its own reads it.
 */

import { AuditFn, Detail, Outcome } from "../audit/trail";
import { encodeUtf8 } from "../memory";
import { fail } from "./audit-call";
import { clockTimeGetAt, ClockId } from "./clocks";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { fdWrite } from "./fd-io";
import { clock } from "./monotonic";
import { randomGet } from "./random";

/** A call's name as UTF-8 with its `DataView`, for `AuditTrail.recordAt`. */
class CallName {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(name: string) {
    this.bytes = encodeUtf8(name);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }
}

/**
 * The record `preview1.ts`'s `record` writes, stamped with `time` (`NaN`: now, read from
 * {@link clock} when the trail shares it, else by the trail).
 */
function recordCall(ctx: WasiContext, name: CallName, errno: number, time: number, a: number, b: number, c: number, d: number): void {
  const ok = errno === Errno.SUCCESS;
  const { bytes, view } = name;
  const audit = ctx.audit;
  const at = time === time || !audit.sharesClock ? time : clock.now();
  audit.recordAt(at, AuditFn.wasi, ok ? Outcome.ok : Outcome.error, ok ? Detail.none : Detail.errno, bytes, view, 0, bytes.length, errno, a, b, c, d);
}

type Import = (...args: never[]) => number;

function fdWriteImport(ctx: WasiContext): Import {
  const name = new CallName("fd_write");
  return (fd: number, iovs: number, iovsLen: number, nwritten: number): number => {
    // One clock reading for the record and for the output listener's streaming interval.
    const audit = ctx.audit;
    const now = audit.enabled && audit.sharesClock ? clock.now() : NaN;
    ctx.callTime = now;
    let errno: number;
    try {
      errno = fdWrite(ctx, fd, iovs, iovsLen, nwritten);
    } catch (error) {
      errno = fail(ctx, name.bytes, error, fd, iovs, iovsLen, nwritten);
    } finally {
      ctx.callTime = NaN;
    }
    if (audit.enabled) recordCall(ctx, name, errno, now, fd, iovs, iovsLen, nwritten);
    return errno;
  };
}

function clockTimeGetImport(ctx: WasiContext): Import {
  const name = new CallName("clock_time_get");
  return (id: number, precision: bigint, time: number): number => {
    // The monotonic clock is performance.now(): read once, for the guest and the record.
    const now = id === ClockId.MONOTONIC ? clock.now() : NaN;
    let errno: number;
    try {
      errno = clockTimeGetAt(ctx, id, time, now);
    } catch (error) {
      errno = fail(ctx, name.bytes, error, id, precision, time, undefined);
    }
    if (ctx.audit.enabled) recordCall(ctx, name, errno, ctx.audit.sharesClock ? now : NaN, id, Number(precision), time, NaN);
    return errno;
  };
}

function randomGetImport(ctx: WasiContext): Import {
  const name = new CallName("random_get");
  return (buf: number, bufLen: number): number => {
    let errno: number;
    try {
      errno = randomGet(ctx, buf, bufLen);
    } catch (error) {
      errno = fail(ctx, name.bytes, error, buf, bufLen, undefined, undefined);
    }
    if (ctx.audit.enabled) recordCall(ctx, name, errno, NaN, buf, bufLen, NaN, NaN);
    return errno;
  };
}

/** The hot calls' import factories, by import name. */
export const FAST_CALLS: Readonly<Record<string, ((ctx: WasiContext) => Import) | undefined>> = {
  fd_write: fdWriteImport,
  clock_time_get: clockTimeGetImport,
  random_get: randomGetImport,
};
