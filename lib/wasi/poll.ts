/**
 * `poll_oneoff` (witx `wasi_snapshot_preview1.witx`); POSIX `poll`/`nanosleep`.
 *
 * Clock subscriptions really wait, over preview2's `wasi:clocks/monotonic-clock`
 * (`subscribe-instant` gives a pollable whose `block()` is a `Promise`): when nothing is
 * ready the call returns a `Promise<number>` that settles once the earliest clock has
 * fired, and the import must be wrapped with `WebAssembly.Suspending` (JSPI). When the
 * context's wait mode is `block`, it blocks the thread instead. fd subscriptions are
 * reported ready at once: stdio and in-memory files never block.
 */

import { monotonicClock, wallClock } from "@bytecodealliance/preview2-shim/clocks";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { FdKind } from "./fd-table";
import { check, writeU32 } from "./guest-memory";
import { ClockId } from "./clocks";
import { Eventrwflags, Eventtype, Layout, Rights, Subclockflags } from "./witx";

/** Marks a clock subscription whose clock id is not one preview1 can wait on. */
const BAD_CLOCK = -1n;
/** Deadlines are capped here (about 146 years of nanoseconds): "forever" without wrapping. */
const MAX_DEADLINE = 1n << 62n;

/**
 * `poll_oneoff(in: *subscription, out: *event, nsubscriptions: size, nevents: *size) -> errno`.
 *
 * - No subscriptions: `EINVAL` (wasmtime: "Indefinite sleeping is not supported in p1").
 * - An unknown subscription tag: `EINVAL` for the call, before anything is written.
 * - A clock fires when its timeout has passed: relative to now, or absolute
 *   (`subscription_clock_abstime`) on its own clock; `realtime` deadlines are converted to
 *   the monotonic clock once. `precision` is ignored. An unknown clock id, or a CPU-time
 *   clock, fires at once with `error = EINVAL` in its event.
 * - fd_read/fd_write fire at once. `nbytes` is what is left to read (stdin, files; with
 *   `fd_readwrite_hangup` at the end) or 1 for writable streams (as wasmtime). An fd that
 *   is not open or cannot be read/written that way fires with `error = EBADF` in its event
 *   (witx puts per-subscription errors in `event.error`; wasmtime fails the whole call).
 * - When something fired, its events are written and the call returns at once; otherwise
 *   it waits until the earliest clock deadline, then reports every clock that has fired.
 * All of `in`, `out` and `nevents` are checked first: outside memory is a trap.
 */
export function pollOneoff(ctx: WasiContext, inPtr: number, outPtr: number, nsubscriptions: number, neventsPtr: number): number | Promise<number> {
  const n = nsubscriptions >>> 0;
  const subs = check(ctx.memory, inPtr, n * Layout.SUBSCRIPTION_SIZE, "poll_oneoff");
  check(ctx.memory, outPtr, n * Layout.EVENT_SIZE, "poll_oneoff");
  check(ctx.memory, neventsPtr, 4, "poll_oneoff");
  if (n === 0) return Errno.INVAL;
  const view = ctx.memory.view();
  for (let i = 0; i < n; i++) if (view.getUint8(subs + i * Layout.SUBSCRIPTION_SIZE + 8) > Eventtype.FD_WRITE) return Errno.INVAL;

  const now = monotonicClock.now();
  let deadlines: BigInt64Array | undefined;
  let earliest = -1n;
  let nevents = 0;
  for (let i = 0; i < n; i++) {
    const sub = subs + i * Layout.SUBSCRIPTION_SIZE;
    if (view.getUint8(sub + 8) !== Eventtype.CLOCK) {
      writeFdEvent(ctx, sub, (outPtr >>> 0) + nevents++ * Layout.EVENT_SIZE);
      continue;
    }
    const deadline = clockDeadline(view, sub, now);
    if (deadline === BAD_CLOCK || deadline <= now) {
      writeEvent(ctx, sub, (outPtr >>> 0) + nevents++ * Layout.EVENT_SIZE, Eventtype.CLOCK, deadline === BAD_CLOCK ? Errno.INVAL : Errno.SUCCESS, 0n, 0);
      continue;
    }
    (deadlines ??= new BigInt64Array(n).fill(-1n))[i] = deadline;
    if (earliest < 0n || deadline < earliest) earliest = deadline;
  }
  if (nevents > 0 || !deadlines) {
    writeU32(ctx.memory, neventsPtr, nevents, "poll_oneoff");
    return Errno.SUCCESS;
  }
  const fired = deadlines;
  if (ctx.wait === "block") {
    blockUntil(earliest);
    return reportClocks(ctx, inPtr, outPtr, n, neventsPtr, fired);
  }
  return sleepUntil(earliest).then(() => reportClocks(ctx, inPtr, outPtr, n, neventsPtr, fired));
}

/**
 * The monotonic deadline (ns) of the clock subscription at `sub`, or {@link BAD_CLOCK}.
 * `timeout` is a `u64`: read unsigned, and capped so that a "forever" timeout stays a
 * deadline far away instead of wrapping.
 */
function clockDeadline(view: DataView, sub: number, now: bigint): bigint {
  const id = view.getUint32(sub + 16, true);
  const timeout = view.getBigUint64(sub + 24, true);
  const absolute = (view.getUint16(sub + 40, true) & Subclockflags.ABSTIME) !== 0;
  let deadline: bigint;
  if (id === ClockId.MONOTONIC) {
    deadline = absolute ? timeout : now + timeout;
  } else if (id === ClockId.REALTIME) {
    const { seconds, nanoseconds } = wallClock.now();
    const wall = seconds * 1_000_000_000n + BigInt(nanoseconds);
    deadline = !absolute ? now + timeout : timeout > wall ? now + (timeout - wall) : now;
  } else {
    return BAD_CLOCK;
  }
  return deadline > MAX_DEADLINE ? MAX_DEADLINE : deadline;
}

/** After waiting: an event for every clock whose deadline has passed. */
function reportClocks(ctx: WasiContext, inPtr: number, outPtr: number, n: number, neventsPtr: number, deadlines: BigInt64Array): number {
  const now = monotonicClock.now();
  let nevents = 0;
  for (let i = 0; i < n; i++) {
    const deadline = deadlines[i] ?? -1n;
    if (deadline < 0n || deadline > now) continue;
    const sub = (inPtr >>> 0) + i * Layout.SUBSCRIPTION_SIZE;
    writeEvent(ctx, sub, (outPtr >>> 0) + nevents++ * Layout.EVENT_SIZE, Eventtype.CLOCK, Errno.SUCCESS, 0n, 0);
  }
  writeU32(ctx.memory, neventsPtr, nevents, "poll_oneoff");
  return Errno.SUCCESS;
}

/** The event of an fd subscription, which fires at once. */
function writeFdEvent(ctx: WasiContext, sub: number, event: number): void {
  const view = ctx.memory.view();
  const type = view.getUint8(sub + 8);
  const entry = ctx.fds.get(view.getUint32(sub + 16, true));
  let available = -1;
  if (type === Eventtype.FD_READ) {
    if (entry?.kind === FdKind.stdin) available = ctx.stdin.remaining;
    else if (entry?.kind === FdKind.file && entry.descriptor && entry.rightsBase & Rights.FD_READ) {
      available = Math.max(0, Number(entry.descriptor.stat().size) - entry.position);
    }
    if (available < 0) writeEvent(ctx, sub, event, type, Errno.BADF, 0n, 0);
    else writeEvent(ctx, sub, event, type, Errno.SUCCESS, BigInt(available), available === 0 ? Eventrwflags.HANGUP : 0);
    return;
  }
  const writable =
    entry?.kind === FdKind.stdout || entry?.kind === FdKind.stderr || (entry?.kind === FdKind.file && (entry.rightsBase & Rights.FD_WRITE) !== 0);
  writeEvent(ctx, sub, event, type, writable ? Errno.SUCCESS : Errno.BADF, writable ? 1n : 0n, 0);
}

/** Writes one `event` (32 bytes) for the subscription at `sub`. */
function writeEvent(ctx: WasiContext, sub: number, event: number, type: number, error: number, nbytes: bigint, flags: number): void {
  const view = ctx.memory.view();
  view.setBigUint64(event, view.getBigUint64(sub, true), true);
  view.setUint16(event + 8, error, true);
  view.setUint8(event + 10, type);
  view.setUint8(event + 11, 0);
  view.setUint32(event + 12, 0, true);
  view.setBigUint64(event + 16, nbytes, true);
  view.setUint16(event + 24, flags, true);
  view.setUint16(event + 26, 0, true);
  view.setUint32(event + 28, 0, true);
}

/** Resolves once the monotonic clock has reached `deadline` (ns), over preview2 pollables. */
async function sleepUntil(deadline: bigint): Promise<void> {
  // A timer may fire a fraction of a millisecond early by the monotonic clock: wait again.
  while (monotonicClock.now() < deadline) await monotonicClock.subscribeInstant(deadline).block();
}

let waitCell: Int32Array | undefined;

/** Blocks the thread until the monotonic clock has reached `deadline` (ns). */
function blockUntil(deadline: bigint): void {
  for (let now = monotonicClock.now(); now < deadline; now = monotonicClock.now()) {
    const ms = Number(deadline - now) / 1e6;
    if (!tryAtomicsWait(ms)) while (monotonicClock.now() < deadline) { /* spin: no SharedArrayBuffer here */ }
  }
}

function tryAtomicsWait(ms: number): boolean {
  try {
    waitCell ??= new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(waitCell, 0, 0, Math.max(ms, 0.01));
    return true;
  } catch {
    return false;
  }
}
