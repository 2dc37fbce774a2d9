/**
 * Collects what the guest writes to stdout or stderr and cuts it into lines.
 *
 * Writes arrive as byte chunks of any size (Rust's stderr is unbuffered and writes in tiny
 * pieces). The current line's bytes go into one growable buffer, so a write allocates
 * nothing until a line is complete; each line is decoded once. Both bounds protect the
 * worker from a guest that writes without end: a line longer than {@link LINE_BYTES} is
 * split there, and lines past the limit are counted, not kept.
 */

/** Bytes of one line kept; a longer line is split into pieces of this size. */
export const LINE_BYTES = 64 * 1024;

/** Writes up to this many bytes are scanned for newlines in a loop; longer ones with `indexOf` on a view. */
const SHORT_WRITE = 256;

/** A byte stream cut into complete lines on `drain`, with a cap on lines kept. */
export class OutputSink {
  private line = new Uint8Array(256);
  private length = 0;
  /** Complete lines not drained yet; {@link NO_LINES} (never written to) when there are none. */
  private lines: string[] = NO_LINES;
  private droppedLines = 0;
  private readonly decoder = new TextDecoder("utf-8");
  /**
   * `codes[n]`: an array of `n` char codes, reused to build a short ASCII line with one
   * `String.fromCharCode.apply` (an array of the exact length: no resizing, no holes).
   */
  private readonly codes: number[][] = [];

  /** @param limit lines kept between drains; later lines are counted, not kept. */
  constructor(private readonly limit = 10_000) {}

  /** Takes the bytes of one write (copied; `bytes` may be a view of guest memory). */
  write(bytes: Uint8Array): void {
    let start = 0;
    for (let newline = bytes.indexOf(0x0a); newline !== -1; newline = bytes.indexOf(0x0a, start)) {
      this.append(bytes, start, newline);
      this.endLine();
      start = newline + 1;
    }
    this.append(bytes, start, bytes.length);
  }

  /**
   * {@link write} of `source[from, to)` (a whole view of guest memory), without a subarray
   * for short writes: `fd_write`'s path from the guest's iovecs to the line buffer.
   */
  writeRange(source: Uint8Array, from: number, to: number): void {
    if (to - from > SHORT_WRITE) {
      this.write(source.subarray(from, to));
      return;
    }
    let start = from;
    for (let i = from; i < to; i++) {
      if (source[i] !== 0x0a) continue;
      // A whole line inside this write (nothing of it buffered) is read where it is.
      if (this.length !== 0 || !this.lineFrom(source, start, i)) {
        this.append(source, start, i);
        this.endLine();
      }
      start = i + 1;
    }
    this.append(source, start, to);
  }

  /**
   * Ends the line `source[from, to)` (its newline at `to`) without copying it into the line
   * buffer, when it is short ASCII: what {@link append} + {@link endLine} would keep.
   * @returns false, having done nothing, for any other line.
   */
  private lineFrom(source: Uint8Array, from: number, to: number): boolean {
    const end = to > from && source[to - 1] === 0x0d ? to - 1 : to;
    const length = end - from;
    if (length > SHORT_ASCII) return false;
    const codes = (this.codes[length] ??= new Array<number>(length).fill(0));
    let bits = 0;
    for (let i = 0; i < length; i++) {
      const byte = source[from + i] as number;
      codes[i] = byte;
      bits |= byte;
    }
    if (bits >= 0x80) return false;
    this.keep(String.fromCharCode.apply(null, codes));
    return true;
  }

  /** True when complete lines are waiting to be drained. */
  get hasLines(): boolean {
    return this.lines.length > 0 || this.droppedLines > 0;
  }

  /**
   * The complete lines written since the last drain, the count of dropped ones reset: what
   * `drain(false).lines` returns, without the result object (the listener's hot path).
   * @returns a new array each time (the caller may keep it).
   */
  takeLines(): string[] {
    const lines = this.lines;
    this.lines = NO_LINES;
    this.droppedLines = 0;
    return lines === NO_LINES ? [] : lines;
  }

  /**
   * Returns complete lines written since the last drain. With `flush`, a trailing partial
   * line is returned too (at the end of a call); otherwise it waits for its newline.
   */
  drain(flush: boolean): { lines: string[]; dropped: number } {
    if (flush && this.length > 0) this.endLine();
    const dropped = this.droppedLines;
    return { lines: this.takeLines(), dropped };
  }

  /** Copies `bytes[from, to)` into the current line, splitting it at {@link LINE_BYTES}. */
  private append(bytes: Uint8Array, from: number, to: number): void {
    while (from < to) {
      const count = Math.min(LINE_BYTES - this.length, to - from);
      this.reserve(this.length + count);
      if (count <= 32) {
        // Short writes are the common case: a loop is cheaper than a view and a set().
        for (let i = 0; i < count; i++) this.line[this.length + i] = bytes[from + i] as number;
      } else {
        this.line.set(bytes.subarray(from, from + count), this.length);
      }
      this.length += count;
      from += count;
      if (this.length === LINE_BYTES) this.endLine();
    }
  }

  /** Ends the current line (dropping a `\r` before the newline). */
  private endLine(): void {
    const end = this.length > 0 && this.line[this.length - 1] === 0x0d ? this.length - 1 : this.length;
    if (this.lines.length < this.limit) this.keep(end <= SHORT_ASCII ? (asciiText(this.line, end) ?? this.decode(end)) : this.decode(end));
    else this.droppedLines++;
    this.length = 0;
  }

  /** Adds a complete line, or counts it when {@link limit} lines are waiting. */
  private keep(text: string): void {
    if (this.lines.length >= this.limit) this.droppedLines++;
    else if (this.lines === NO_LINES) this.lines = [text];
    else this.lines.push(text);
  }

  private decode(end: number): string {
    return this.decoder.decode(this.line.subarray(0, end));
  }

  private reserve(size: number): void {
    if (size <= this.line.length) return;
    const grown = new Uint8Array(Math.min(LINE_BYTES, Math.max(size, this.line.length * 2)));
    grown.set(this.line.subarray(0, this.length));
    this.line = grown;
  }
}

/** Lines up to this long are tried as ASCII first (see {@link asciiText}). */
const SHORT_ASCII = 64;

/** The sink's "no lines" value: frozen, so a line is never pushed into the shared array. */
const NO_LINES: string[] = Object.freeze([]) as unknown as string[];

/**
 * `bytes[0, end)` as text when every byte is ASCII (where UTF-8 decoding is the identity),
 * else `undefined`. For short lines this is cheaper than a `TextDecoder` call and the view
 * it needs, which cost more than the rest of an `fd_write`.
 */
function asciiText(bytes: Uint8Array, end: number): string | undefined {
  codes.length = end;
  for (let i = 0; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return undefined;
    codes[i] = byte;
  }
  return String.fromCharCode.apply(null, codes);
}

/** The char codes of the line {@link asciiText} builds, reused (one flat string, no parts). */
const codes: number[] = [];
