/**
 * Collects `ft_log` lines during a hook call as level + copied bytes; decoding to text
 * happens once, when the call's output is handed to the page (host calls stay on bytes).
 *
 * Messages are copied into one growable arena (no allocation per line once it has grown;
 * short ones without even a view, see `copyBytes`).
 * Bounds protect the worker from a guest that logs its whole memory over and over: a
 * message keeps its first {@link MESSAGE_BYTES}, a call its first {@link CALL_BYTES} and
 * `limit` lines; what does not fit is counted.
 */

import { copyBytes, decodeUtf8, SHORT_COPY_BYTES, utf8Prefix } from "../memory";

/** Log levels as the documentation numbers them (`seeds/wasm-extensions.md`). */
export const LOG_LEVEL_NAMES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;

/** Bytes of one message kept; the line says how long the message was. */
export const MESSAGE_BYTES = 4096;
/** Bytes of all messages kept per call. */
export const CALL_BYTES = 1024 * 1024;

/** One decoded log line. */
export interface LogLine {
  /** The level the guest passed; the host code does not validate it. */
  level: number;
  /** `TRACE`…`ERROR`, or `LEVEL(n)` for a level outside 0..4. */
  levelName: string;
  /** The message; `""` when the bytes were out of bounds or not UTF-8 (as the host code does). */
  message: string;
}

/** The level's display name; levels outside 0..4 are shown as `LEVEL(n)`. */
export function levelName(level: number): string {
  return LOG_LEVEL_NAMES[level] ?? `LEVEL(${level})`;
}

/**
 * Log lines of one call, bounded in lines and bytes; the rest are counted, not kept. Per line
 * it keeps the level, where the kept bytes end in the arena and the message's length, in
 * typed arrays allocated once; a push writes numbers and copies bytes, nothing else.
 */
export class LogSink {
  private arena = new Uint8Array(4096);
  private arenaView = new DataView(this.arena.buffer);
  private used = 0;
  private count = 0;
  private readonly levels: Int32Array;
  /** Per line: where its kept bytes end in the arena, and how long the message was. */
  private readonly ends: Uint32Array;
  private readonly lengths: Uint32Array;
  private droppedLines = 0;

  /** @param limit lines kept per call; later lines are only counted in {@link dropped}. */
  constructor(private readonly limit = 10_000) {
    this.levels = new Int32Array(limit);
    this.ends = new Uint32Array(limit);
    this.lengths = new Uint32Array(limit);
  }

  /** Appends a line, copying up to {@link MESSAGE_BYTES} of `bytes` (a view into guest memory). */
  push(level: number, bytes: Uint8Array): void {
    const keep = Math.min(bytes.length, MESSAGE_BYTES);
    if (!this.admit(keep)) return;
    this.arena.set(keep === bytes.length ? bytes : bytes.subarray(0, keep), this.used);
    this.append(level, keep, bytes.length);
  }

  /**
   * {@link push} of the `length` bytes at `start` of a whole view and its `DataView` (guest
   * memory's), so that `ft_log` builds no subarray. The caller has checked the range.
   */
  pushFrom(level: number, source: Uint8Array, sourceView: DataView, start: number, length: number): void {
    const keep = length < MESSAGE_BYTES ? length : MESSAGE_BYTES;
    const used = this.used;
    if (this.count >= this.limit || used + keep > this.arena.length) {
      if (!this.admit(keep)) return;
    }
    copyBytes(source, sourceView, start, this.arena, this.arenaView, used, keep);
    this.append(level, keep, length);
  }

  /**
   * {@link push} of the `length` bytes at `start` of `source` (guest memory; the caller has
   * checked the range): `ft_log`'s path. A short message is copied with a plain loop, which
   * builds no view; a long one with `set`, whose fixed cost is then the smaller one.
   */
  pushRange(level: number, source: Uint8Array, sourceView: DataView, start: number, length: number): void {
    const keep = length < MESSAGE_BYTES ? length : MESSAGE_BYTES;
    const used = this.used;
    if (this.count >= this.limit || used + keep > this.arena.length) {
      if (!this.admit(keep)) return;
    }
    copyBytes(source, sourceView, start, this.arena, this.arenaView, used, keep);
    const end = used + keep;
    const i = this.count++;
    this.used = end;
    this.levels[i] = level;
    this.ends[i] = end;
    this.lengths[i] = length;
  }

  /** Lines not kept because a limit was reached. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Decodes and returns the kept lines, then empties the sink for the next call. */
  drain(): LogLine[] {
    const lines: LogLine[] = new Array(this.count);
    let start = 0;
    for (let i = 0; i < this.count; i++) {
      const end = this.ends[i] as number;
      const kept = this.arena.subarray(start, end);
      const length = this.lengths[i] as number;
      const level = this.levels[i] as number;
      const message = length > kept.length ? cutMessage(kept, length) : (decodeUtf8(kept) ?? "");
      lines[i] = { level, levelName: levelName(level), message };
      start = end;
    }
    this.used = 0;
    this.count = 0;
    this.droppedLines = 0;
    return lines;
  }

  /** True when a line of `keep` bytes fits the limits (growing the arena); else counts it. */
  private admit(keep: number): boolean {
    if (this.count >= this.limit || this.used + keep > CALL_BYTES) {
      this.droppedLines++;
      return false;
    }
    if (this.used + keep > this.arena.length) this.grow(this.used + keep);
    return true;
  }

  private append(level: number, keep: number, length: number): void {
    this.used += keep;
    const i = this.count++;
    this.levels[i] = level;
    this.ends[i] = this.used;
    this.lengths[i] = length;
  }

  private grow(size: number): void {
    const grown = new Uint8Array(Math.min(CALL_BYTES, Math.max(size, this.arena.length * 2)));
    grown.set(this.arena.subarray(0, this.used));
    this.arena = grown;
    this.arenaView = new DataView(grown.buffer);
  }
}

/** A message longer than {@link MESSAGE_BYTES}: its first bytes and how long it was. */
function cutMessage(kept: Uint8Array, length: number): string {
  const text = decodeUtf8(utf8Prefix(kept, MESSAGE_BYTES));
  return text === undefined ? "" : `${text}… [${length.toLocaleString("en")} bytes; the first ${MESSAGE_BYTES} shown]`;
}
