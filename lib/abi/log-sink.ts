/**
 * Collects `ft_log` lines during a hook call as level + copied bytes; decoding to text
 * happens once, when the call's output is handed to the page (host calls stay on bytes).
 */

import { decodeUtf8 } from "../memory";

/** Log levels as the documentation numbers them (`seeds/wasm-extensions.md`). */
export const LOG_LEVEL_NAMES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"] as const;

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

/** Log lines of one call, capped at `limit` lines; the rest are counted, not kept. */
export class LogSink {
  private levels: number[] = [];
  private messages: Uint8Array[] = [];
  private droppedLines = 0;

  /** @param limit lines kept per call; later lines are only counted in {@link dropped}. */
  constructor(private readonly limit = 10_000) {}

  /** Appends a line, copying `bytes` (a view into guest memory that may change). */
  push(level: number, bytes: Uint8Array): void {
    if (this.levels.length >= this.limit) {
      this.droppedLines++;
      return;
    }
    this.levels.push(level);
    this.messages.push(bytes.slice());
  }

  /** Lines not kept because the limit was reached. */
  get dropped(): number {
    return this.droppedLines;
  }

  /** Decodes and returns the kept lines, then empties the sink for the next call. */
  drain(): LogLine[] {
    const lines = this.levels.map((level, i) => ({
      level,
      levelName: levelName(level),
      message: decodeUtf8(this.messages[i] ?? new Uint8Array(0)) ?? "",
    }));
    this.levels = [];
    this.messages = [];
    this.droppedLines = 0;
    return lines;
  }
}
