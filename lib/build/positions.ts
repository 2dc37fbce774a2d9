/**
 * Places in a source text: compilers count bytes (rustc's `byte_start`, clang's columns),
 * the page counts UTF-16 code units. Converts the one to the other, 1-based. Pure.
 */

/** An index of a source's lines by UTF-8 byte offset. */
export class SourceIndex {
  private readonly bytes: Buffer;
  /** Byte offset where each line starts (line 1 at index 0). */
  private readonly starts: number[] = [0];

  constructor(source: string) {
    this.bytes = Buffer.from(source, "utf8");
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.starts.push(i + 1);
  }

  /** Lines in the source (a final newline starts an empty last line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and UTF-16 column of a byte offset (clamped to the source). */
  fromByteOffset(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(offset, this.bytes.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: this.utf16Column(low + 1, at - (this.starts[low] ?? 0) + 1) };
  }

  /**
   * The UTF-16 column of 1-based byte column `byteColumn` on 1-based `line` (clang's
   * columns). A line outside the source gives column 1; a column past the line's end
   * stays past it by the same number of bytes.
   */
  utf16Column(line: number, byteColumn: number): number {
    const start = this.starts[line - 1];
    if (start === undefined) return 1;
    const end = this.starts[line] ?? this.bytes.length;
    const lineBytes = end - start;
    const inLine = Math.max(0, Math.min(byteColumn - 1, lineBytes));
    const over = Math.max(0, byteColumn - 1 - lineBytes);
    return this.bytes.toString("utf8", start, start + inLine).length + over + 1;
  }
}
