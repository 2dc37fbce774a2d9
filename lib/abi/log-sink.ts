/**
 * Collects `ft_log` lines during a hook call as level + copied bytes; decoding to text
 * happens once, when the call's output is handed to the page (host calls stay on bytes).
 *
 * Messages are copied into one growable arena (no allocation per line once it has grown;
 * short ones without even a view, see `copyToWords`).
 * Bounds protect the worker from a guest that logs its whole memory over and over: a
 * message keeps its first {@link MESSAGE_BYTES}, a call its first {@link CALL_BYTES} and
 * `limit` lines; what does not fit is counted.
 */

import { copyWords, decodeUtf8, utf8Prefix, type GuestMemory } from "../memory";

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

/** `n` rounded up to a multiple of 4: lines start on words in the arena (see `copyToWords`). */
function wordAligned(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Log lines of one call, bounded in lines and bytes; the rest are counted, not kept. Per line
 * it keeps where its bytes end in the arena, the message's length and the level, in one
 * typed array allocated once; a push writes numbers and copies bytes, nothing else.
 *
 * Each line's bytes start on a multiple of 4 in the arena, so that a short message is
 * copied a word at a time (`copyToWords`). The padding does not count against
 * {@link CALL_BYTES}, which limits the messages' own bytes as it always has.
 */
export class LogSink {
  private arena = new Uint8Array(4096);
  private arenaWords = new Int32Array(this.arena.buffer);
  /** Where the next line starts in the arena (a multiple of 4). */
  private used = 0;
  /**
   * Where the fast path of {@link pushRange} must stop: the arena's end or
   * {@link CALL_BYTES}, whichever is first. Padding makes `used` at least the bytes kept, so
   * a line that fits below this fits both the arena and the call's byte limit.
   */
  private fastEnd: number;
  private count = 0;
  /**
   * Per line, three words (one array, so that a push touches one): where its kept bytes end
   * in the arena (it starts at the word after the previous line's end), how long the
   * message was, and the level (an `i32`, stored as its bits).
   */
  private readonly lines: Uint32Array;
  /** Bytes kept by lines `0…keptLines-1`, summed only when a limit is near (see {@link keptBytes}). */
  private keptSum = 0;
  private keptLines = 0;
  private droppedLines = 0;
  /** The arena never needs more: every kept byte, plus at most 3 bytes of padding per line. */
  private readonly maxArena: number;

  /** @param limit lines kept per call; later lines are only counted in {@link dropped}. */
  constructor(private readonly limit = 10_000) {
    this.lines = new Uint32Array(limit * 3);
    this.maxArena = CALL_BYTES + 4 * limit;
    this.fastEnd = Math.min(this.arena.length, CALL_BYTES);
  }

  /** Appends a line, copying up to {@link MESSAGE_BYTES} of `bytes` (a view into guest memory). */
  push(level: number, bytes: Uint8Array): void {
    const keep = Math.min(bytes.length, MESSAGE_BYTES);
    if (!this.admit(keep)) return;
    this.arena.set(keep === bytes.length ? bytes : bytes.subarray(0, keep), this.used);
    this.append(level, keep, bytes.length);
  }

  /**
   * {@link push} of the `length` bytes at `start` of guest memory: `ft_log`'s path, which
   * builds no view. The caller has checked the range. The common case (a whole message
   * with room for it) is a bound check, a word copy and three stores; the rest goes
   * through {@link admit}.
   */
  pushRange(level: number, memory: GuestMemory, start: number, length: number): void {
    const at = this.used;
    if (length <= MESSAGE_BYTES && this.count < this.limit && at + length + 3 <= this.fastEnd) {
      memory.copyOut(start, this.arena, this.arenaWords, at, length);
      this.append(level, length, length);
      return;
    }
    const keep = length < MESSAGE_BYTES ? length : MESSAGE_BYTES;
    if (!this.admit(keep)) return;
    memory.copyOut(start, this.arena, this.arenaWords, this.used, keep);
    this.append(level, keep, length);
  }

  /**
   * {@link pushRange} of a short message at a 4-aligned `start` of guest memory, given as
   * its `Int32Array` (`GuestMemory.words()`), with the caller's guarantee that `length` is at
   * most 64 and the range inside memory: `ft_log`'s leanest path, a word loop and three
   * stores. The last word may run past `length`; it still lies in memory, whose size is a
   * multiple of 4, and lands in the line's padding. Anything near a limit goes through
   * {@link pushRange}.
   */
  pushAligned(level: number, memory: GuestMemory, words: Int32Array, start: number, length: number): void {
    const at = this.used;
    if (this.count >= this.limit || at + length + 3 > this.fastEnd) return this.pushRange(level, memory, start, length);
    const n = (length + 3) >> 2;
    copyWords(words, start >>> 2, this.arenaWords, at >> 2, n);
    // `append`, knowing the line starts and ends on words.
    this.used = at + (n << 2);
    const i = 3 * this.count++;
    const lines = this.lines;
    lines[i] = at + length;
    lines[i + 1] = length;
    lines[i + 2] = level;
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
      const end = this.lines[3 * i] as number;
      const kept = this.arena.subarray(start, end);
      const length = this.lines[3 * i + 1] as number;
      const level = (this.lines[3 * i + 2] as number) | 0;
      const message = length > kept.length ? cutMessage(kept, length) : (decodeUtf8(kept) ?? "");
      lines[i] = { level, levelName: levelName(level), message };
      start = wordAligned(end);
    }
    this.used = 0;
    this.count = 0;
    this.keptSum = 0;
    this.keptLines = 0;
    this.droppedLines = 0;
    return lines;
  }

  /**
   * True when a line of `keep` bytes fits the limits (growing the arena so that its bytes,
   * rounded up to a word, fit); else counts it.
   */
  private admit(keep: number): boolean {
    if (this.count >= this.limit || this.keptBytes() + keep > CALL_BYTES) {
      this.droppedLines++;
      return false;
    }
    const need = this.used + wordAligned(keep);
    if (need > this.arena.length) this.grow(need);
    return true;
  }

  /**
   * Message bytes kept this call, padding not counted. Summed from the lines on demand (the
   * fast path keeps no running total) and remembered, so each line is added once.
   */
  private keptBytes(): number {
    for (let i = this.keptLines; i < this.count; i++) {
      const start = i === 0 ? 0 : wordAligned(this.lines[3 * (i - 1)] as number);
      this.keptSum += (this.lines[3 * i] as number) - start;
    }
    this.keptLines = this.count;
    return this.keptSum;
  }

  private append(level: number, keep: number, length: number): void {
    const end = this.used + keep;
    this.used = wordAligned(end);
    const i = 3 * this.count++;
    const lines = this.lines;
    lines[i] = end;
    lines[i + 1] = length;
    lines[i + 2] = level;
  }

  private grow(size: number): void {
    const grown = new Uint8Array(wordAligned(Math.min(this.maxArena, Math.max(size, this.arena.length * 2))));
    grown.set(this.arena.subarray(0, this.used));
    this.arena = grown;
    this.arenaWords = new Int32Array(grown.buffer);
    this.fastEnd = Math.min(grown.length, CALL_BYTES);
  }
}

/** A message longer than {@link MESSAGE_BYTES}: its first bytes and how long it was. */
function cutMessage(kept: Uint8Array, length: number): string {
  const text = decodeUtf8(utf8Prefix(kept, MESSAGE_BYTES));
  return text === undefined ? "" : `${text}… [${length.toLocaleString("en")} bytes; the first ${MESSAGE_BYTES} shown]`;
}
