/**
 * `clock_res_get`, `clock_time_get` (witx `wasi_snapshot_preview1.witx`) over preview2's
 * `wasi:clocks` (browser build: `Date.now` for the wall clock, `performance.now` for the
 * monotonic one).
 * POSIX equivalents: `clock_getres`, `clock_gettime`.
 */

import { monotonicClock, wallClock } from "@bytecodealliance/preview2-shim/clocks";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { check, writeU64 } from "./guest-memory";
import { clock } from "./monotonic";
import { realtimeNanos } from "./times";

/** witx `$clockid`. */
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;

/**
 * `clock_time_get(id, precision: timestamp, time: *timestamp) -> errno`: nanoseconds; POSIX
 * `clock_gettime`.
 * CPU-time clocks have no preview2 counterpart: `EBADF`, as wasmtime's preview1 adapter.
 */
export function clockTimeGet(ctx: WasiContext, id: number, _precision: bigint, timePtr: number): number {
  return clockTimeGetAt(ctx, id, timePtr, id === ClockId.MONOTONIC ? clock.now() : NaN);
}

/**
 * {@link clockTimeGet} with the monotonic clock already read: `monotonicMs` is
 * `performance.now()`, which preview2's browser `monotonicClock.now()` reads too (as
 * `BigInt(Math.floor(ms * 1e6))`), so the caller can stamp its audit record with it.
 */
export function clockTimeGetAt(ctx: WasiContext, id: number, timePtr: number, monotonicMs: number): number {
  check(ctx.memory, timePtr, 8, "clock_time_get");
  const now = id === ClockId.MONOTONIC ? BigInt(Math.floor(monotonicMs * 1e6)) : readClock(id);
  if (now === undefined) return id === ClockId.PROCESS_CPUTIME || id === ClockId.THREAD_CPUTIME ? Errno.BADF : Errno.INVAL;
  writeU64(ctx.memory, timePtr, now, "clock_time_get");
  return Errno.SUCCESS;
}

/** `clock_res_get(id, resolution: *timestamp) -> errno`: nanoseconds; POSIX `clock_getres`. As above for ids. */
export function clockResGet(ctx: WasiContext, id: number, resolutionPtr: number): number {
  check(ctx.memory, resolutionPtr, 8, "clock_res_get");
  let resolution: bigint;
  if (id === ClockId.REALTIME) {
    const { seconds, nanoseconds } = wallClock.resolution();
    resolution = seconds * 1_000_000_000n + BigInt(nanoseconds);
  } else if (id === ClockId.MONOTONIC) {
    resolution = monotonicClock.resolution();
  } else {
    return id === ClockId.PROCESS_CPUTIME || id === ClockId.THREAD_CPUTIME ? Errno.BADF : Errno.INVAL;
  }
  writeU64(ctx.memory, resolutionPtr, resolution, "clock_res_get");
  return Errno.SUCCESS;
}

function readClock(id: number): bigint | undefined {
  if (id === ClockId.REALTIME) return realtimeNanos();
  if (id === ClockId.MONOTONIC) return monotonicClock.now();
  return undefined;
}
