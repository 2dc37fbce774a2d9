/**
 * Collects what the guest writes to stdout or stderr and cuts it into lines.
 *
 * Writes arrive as byte chunks of any size (Rust's stderr is unbuffered and writes in tiny
 * pieces), so bytes are kept as they come and decoded once per line, when drained.
 */

/** A byte stream cut into complete lines on `drain`, with a cap on lines kept. */
export class OutputSink {
  private chunks: Uint8Array[] = [];
  private pending = 0;
  private lines: string[] = [];
  private droppedLines = 0;
  private readonly decoder = new TextDecoder("utf-8");

  /** @param limit lines kept between drains; later lines are counted, not kept. */
  constructor(private readonly limit = 10_000) {}

  /** Appends a copy of `bytes`. */
  write(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes.slice());
    this.pending += bytes.length;
    if (bytes.includes(0x0a)) this.splitLines();
  }

  /** True when complete lines are waiting to be drained. */
  get hasLines(): boolean {
    return this.lines.length > 0 || this.droppedLines > 0;
  }

  /**
   * Returns complete lines written since the last drain. With `flush`, a trailing partial
   * line is returned too (at the end of a call); otherwise it waits for its newline.
   */
  drain(flush: boolean): { lines: string[]; dropped: number } {
    if (flush && this.pending > 0) this.addLine(this.decoder.decode(this.take()));
    const out = { lines: this.lines, dropped: this.droppedLines };
    this.lines = [];
    this.droppedLines = 0;
    return out;
  }

  private splitLines(): void {
    const bytes = this.take();
    let start = 0;
    for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, start)) {
      const end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
      this.addLine(this.decoder.decode(bytes.subarray(start, end)));
      start = i + 1;
    }
    if (start < bytes.length) {
      this.chunks.push(bytes.subarray(start));
      this.pending = bytes.length - start;
    }
  }

  private take(): Uint8Array {
    const joined = this.chunks.length === 1 ? (this.chunks[0] as Uint8Array) : concat(this.chunks, this.pending);
    this.chunks = [];
    this.pending = 0;
    return joined;
  }

  private addLine(line: string): void {
    if (this.lines.length < this.limit) this.lines.push(line);
    else this.droppedLines++;
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
