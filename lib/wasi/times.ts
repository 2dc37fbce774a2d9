/**
 * File times: `atim`, `mtim` and `ctim` of every file, directory and symbolic link.
 *
 * preview2-shim's in-memory adapter keeps no times (its `stat` reports time zero and its
 * `set-times` stores nothing), so the layer keeps them, per entry, keyed by the adapter's
 * entry id (`metadata-hash().upper`, the `ino` preview1 reports; hard links share it).
 * Times are nanoseconds since the epoch from the realtime clock `clock_time_get` reads
 * (preview2's `wall-clock`: `Date.now`, so millisecond steps).
 *
 * When they move follows POSIX as Linux implements it, which is what a guest under
 * wasmtime sees (wasmtime reports the host file's times and sets them with `utimensat`):
 * - a new file, directory or link gets all three set to now, and its parent directory's
 *   `mtim` and `ctim` move;
 * - writing at least one byte, truncating (`ftruncate`, `O_TRUNC`) and growing with
 *   `fd_allocate` move `mtim` and `ctim`;
 * - adding or removing a name (`path_link`, unlink, rename) moves the `ctim` of the entry
 *   whose link count or name changed, and `mtim` and `ctim` of each directory changed;
 * - setting times moves `ctim` to now, always (Linux `utimensat`);
 * - reading (`fd_read`, `fd_pread`, `fd_readdir`) moves `atim` by Linux's default `relatime`
 *   rule: only when `atim` is not after `mtim` or `ctim`, or is a day old.
 * Entries that exist when the instance starts (the page's files and the preopens) carry
 * the instance's start time.
 */

import { wallClock } from "@bytecodealliance/preview2-shim/clocks";
import { Fstflags } from "./witx";

/** The three times of one entry, in nanoseconds since the epoch. */
export interface FileTimes {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** `relatime`'s period: an access time older than this is refreshed by any read. */
const RELATIME_PERIOD = 24n * 3600n * 1_000_000_000n;

/** The realtime clock in nanoseconds: the value `clock_time_get(REALTIME)` returns. */
export function realtimeNanos(): bigint {
  const { seconds, nanoseconds } = wallClock.now();
  return seconds * 1_000_000_000n + BigInt(nanoseconds);
}

/** The times of one instance's entries. */
export class TimeTable {
  private readonly byIno = new Map<bigint, FileTimes>();

  /** @param origin the instance's start time: the times of every entry not yet recorded. */
  constructor(readonly origin: bigint = realtimeNanos()) {}

  /** The record of `ino` (created with {@link origin} when there is none). Mutable, shared. */
  get(ino: bigint): FileTimes {
    let times = this.byIno.get(ino);
    if (!times) {
      times = { atim: this.origin, mtim: this.origin, ctim: this.origin };
      this.byIno.set(ino, times);
    }
    return times;
  }

  /** A new entry: all three times `now`. */
  created(ino: bigint, now: bigint): FileTimes {
    const times = { atim: now, mtim: now, ctim: now };
    this.byIno.set(ino, times);
    return times;
  }

  /** An entry whose last name is gone; fds still open on it keep their own reference. */
  forget(ino: bigint): void {
    this.byIno.delete(ino);
  }
}

/** Contents changed: `mtim` and `ctim` to `now`. */
export function modified(times: FileTimes, now: bigint): void {
  times.mtim = now;
  times.ctim = now;
}

/** Metadata changed (a name added or removed): `ctim` to `now`. */
export function changed(times: FileTimes, now: bigint): void {
  times.ctim = now;
}

/** Read: `atim` to `now` under Linux's `relatime` rule (see the module comment). */
export function accessed(times: FileTimes, now: bigint): void {
  if (times.atim <= times.mtim || times.atim <= times.ctim || now - times.atim >= RELATIME_PERIOD) times.atim = now;
}

/**
 * True when `fst_flags` can be honoured: no undefined bit, and neither `ATIM` with
 * `ATIM_NOW` nor `MTIM` with `MTIM_NOW` (witx: "mutually exclusive"; `EINVAL` otherwise, as
 * wasmtime's `systimespec`).
 */
export function validFstflags(fstFlags: number): boolean {
  if (fstFlags & ~(Fstflags.ATIM | Fstflags.ATIM_NOW | Fstflags.MTIM | Fstflags.MTIM_NOW)) return false;
  const both = (set: number, now: number) => (fstFlags & set) !== 0 && (fstFlags & now) !== 0;
  return !both(Fstflags.ATIM, Fstflags.ATIM_NOW) && !both(Fstflags.MTIM, Fstflags.MTIM_NOW);
}

/**
 * Applies a `*_set_times` call to `times` (flags already checked by {@link validFstflags}):
 * `ATIM`/`MTIM` store the given nanoseconds, `*_NOW` the clock, an absent pair leaves the
 * time alone; `ctim` moves to now whenever anything was asked (Linux `utimensat`).
 */
export function setTimes(times: FileTimes, atim: bigint, mtim: bigint, fstFlags: number, now: bigint): void {
  if (fstFlags & Fstflags.ATIM_NOW) times.atim = now;
  else if (fstFlags & Fstflags.ATIM) times.atim = BigInt.asUintN(64, atim);
  if (fstFlags & Fstflags.MTIM_NOW) times.mtim = now;
  else if (fstFlags & Fstflags.MTIM) times.mtim = BigInt.asUintN(64, mtim);
  if (fstFlags) times.ctim = now;
}
