/**
 * Collects `ft_log` lines during a hook call as level + copied bytes; decoding to text
 * happens once, when the call's output is handed to the page (host calls stay on bytes).
 *
 * Messages are copied into one growable arena (no allocation per line once it has grown).
 * Bounds protect the worker from a guest that logs its whole memory over and over: a
 * message keeps its first {@link MESSAGE_BYTES}, a call its first {@link CALL_BYTES} and
 * `limit` lines; what does not fit is counted.
 */

import { decodeUtf8, utf8Prefix } from "../memory";

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

/** Log lines of one call, bounded in lines and bytes; the rest are counted, not kept. */
export class LogSink {
  private arena = new Uint8Array(4096);
  private used = 0;
  private levels: number[] = [];
  /** Per line: where its kept bytes end in the arena, and how long the message was. */
  private ends: number[] = [];
  private lengths: number[] = [];
  private droppedLines = 0;

  /** @param limit lines kept per call; later lines are only counted in {@link dropped}. */
  constructor(private readonly limit = 10_000) {}

  /** Appends a line, copying up to {@link MESSAGE_BYTES} of `bytes` (a view into guest memory). */
  push(level: number, bytes: Uint8Array): void {
    const keep = Math.min(bytes.length, MESSAGE_BYTES);
    if (this.levels.length >= this.limit || this.used + keep > CALL_BYTES) {
      this.droppedLines++;
      return;
    }
    this.reserve(this.used + keep);
    this.arena.set(keep === bytes.length ? bytes : bytes.subarray(0, keep), this.used);
    this.used += keep;
    this.levels.push(level);
    this.ends.push(this.used);
    this.lengths.push(bytes.length);
  }

  /** Lines not kept because a limit was reached. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Decodes and returns the kept lines, then empties the sink for the next call. */
  drain(): LogLine[] {
    const lines = this.levels.map((level, i) => {
      const start = i === 0 ? 0 : (this.ends[i - 1] as number);
      const kept = this.arena.subarray(start, this.ends[i]);
      const length = this.lengths[i] as number;
      const message = length > kept.length ? cutMessage(kept, length) : (decodeUtf8(kept) ?? "");
      return { level, levelName: levelName(level), message };
    });
    this.used = 0;
    this.levels = [];
    this.ends = [];
    this.lengths = [];
    this.droppedLines = 0;
    return lines;
  }

  private reserve(size: number): void {
    if (size <= this.arena.length) return;
    const grown = new Uint8Array(Math.min(CALL_BYTES, Math.max(size, this.arena.length * 2)));
    grown.set(this.arena.subarray(0, this.used));
    this.arena = grown;
  }
}

/** A message longer than {@link MESSAGE_BYTES}: its first bytes and how long it was. */
function cutMessage(kept: Uint8Array, length: number): string {
  const text = decodeUtf8(utf8Prefix(kept, MESSAGE_BYTES));
  return text === undefined ? "" : `${text}… [${length.toLocaleString("en")} bytes; the first ${MESSAGE_BYTES} shown]`;
}
