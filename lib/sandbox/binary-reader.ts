/**
 * A cursor over a region of a WebAssembly binary that knows its absolute offset, so every
 * error it raises names the byte where reading failed (WebAssembly Core Specification 2.0,
 * §5.1 "Conventions", §5.2 "Values").
 *
 * A reader is bounded: `end` is the end of the region being read (the module, a section,
 * one function body). Reading past it throws "unexpected end of <region>", never returns
 * `undefined`. Integers follow §5.2.2: LEB128, at most ⌈N/7⌉ bytes for an N-bit integer,
 * unused bits of the last byte zero (unsigned) or a copy of the sign bit (signed).
 */

import { WasmFormatError } from "./wasm-format-error";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export class BinaryReader {
  /** Absolute offset of the next byte to read. */
  position: number;

  /**
   * @param bytes the whole module (offsets are always absolute into it).
   * @param start absolute offset where reading begins.
   * @param end absolute offset one past the last readable byte.
   * @param where location for error messages, e.g. `"section 2 (import)"`.
   * @param region what `end` is the end of, for "unexpected end of …" messages.
   */
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    readonly where: string,
    readonly region: string = "section",
  ) {
    this.position = start;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.position;
  }

  /** `true` when every byte of the region has been read. */
  atEnd(): boolean {
    return this.position >= this.end;
  }

  /**
   * Throws a {@link WasmFormatError} located in this reader's region.
   * @param offset absolute offset of the problem; defaults to the current position.
   */
  fail(reason: string, offset: number = this.position, unsupported = false): never {
    throw new WasmFormatError(this.where, offset, reason, unsupported);
  }

  /** Throws "unexpected end" unless `count` more bytes are available. */
  require(count: number): void {
    if (count > this.end - this.position) {
      this.fail(`unexpected end of ${this.region}`, Math.min(this.position, this.end));
    }
  }

  /** One byte (§5.2.1). */
  readByte(): number {
    if (this.position >= this.end) this.fail(`unexpected end of ${this.region}`);
    return this.bytes[this.position++] as number;
  }

  /** The next byte without consuming it. */
  peekByte(): number {
    if (this.position >= this.end) this.fail(`unexpected end of ${this.region}`);
    return this.bytes[this.position] as number;
  }

  /** `count` raw bytes, as a view into the module (not a copy). */
  readBytes(count: number): Uint8Array {
    this.require(count);
    const view = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return view;
  }

  /** Skips `count` bytes. */
  skip(count: number): void {
    this.require(count);
    this.position += count;
  }

  /** An unsigned 32-bit LEB128 integer (§5.2.2 `u32`), as a non-negative number. */
  readU32(): number {
    const start = this.position;
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.readByte();
      if (i === 4) {
        if (byte & 0x80) this.fail("integer representation too long (u32)", start);
        if (byte & 0x70) this.fail("integer too large (u32)", start);
      }
      result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail("integer representation too long (u32)", start);
  }

  /** A signed 32-bit LEB128 integer (§5.2.2 `s32`). */
  readS32(): number {
    return this.readSigned(32);
  }

  /** A signed 33-bit LEB128 integer (§5.2.2 `s33`, used by block types). */
  readS33(): number {
    return this.readSigned(33);
  }

  /**
   * Skips a LEB128 integer of `bits` bits without computing its value, checking only its
   * length and the unused bits of its last byte. Used for `i64.const` and 64-bit limits,
   * whose values the instrumenter never needs.
   */
  skipLeb(bits: number, signed: boolean): void {
    const start = this.position;
    const maxBytes = Math.ceil(bits / 7);
    for (let i = 0; i < maxBytes; i++) {
      const byte = this.readByte();
      if ((byte & 0x80) === 0) {
        if (i === maxBytes - 1) this.checkLastByte(byte, bits - 7 * i, signed, bits, start);
        return;
      }
    }
    this.fail(`integer representation too long (${signed ? "s" : "u"}${bits})`, start);
  }

  /**
   * An unsigned 64-bit LEB128 integer as a number; values above 2^53 lose precision
   * (only used for 64-bit limits, where that cannot matter).
   */
  readU64AsNumber(): number {
    const start = this.position;
    let result = 0;
    for (let i = 0; i < 10; i++) {
      const byte = this.readByte();
      if (i === 9) this.checkLastByte(byte, 1, false, 64, start);
      result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail("integer representation too long (u64)", start);
  }

  /** A name: a `u32` byte length and that many bytes of valid UTF-8 (§5.2.4). */
  readName(): string {
    const length = this.readU32();
    const start = this.position;
    const bytes = this.readBytes(length);
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail("name is not valid UTF-8", start);
    }
  }

  /**
   * A reader over the next `length` bytes, which this reader then skips.
   * @param where location for errors inside the new region (defaults to this reader's).
   * @param region what the new region is, for "unexpected end of …".
   */
  slice(length: number, where: string = this.where, region: string = this.region): BinaryReader {
    const start = this.position;
    if (length > this.end - start) {
      this.fail(
        `${region} of ${length} bytes runs past the end of the ${this.region} (${this.end - start} bytes left)`,
        start,
      );
    }
    this.position += length;
    return new BinaryReader(this.bytes, start, start + length, where, region);
  }

  private readSigned(bits: 32 | 33): number {
    const start = this.position;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    for (let i = 0; i < maxBytes; i++) {
      const byte = this.readByte();
      result += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (i === maxBytes - 1) this.checkLastByte(byte, bits - 7 * i, true, bits, start);
        const width = 7 * (i + 1);
        // The value is negative when the sign bit of the last group is set.
        if (byte & 0x40) result -= 2 ** width;
        return result;
      }
    }
    return this.fail(`integer representation too long (s${bits})`, start);
  }

  /**
   * §5.2.2: in the last byte of a maximal-length encoding, the bits beyond the integer's
   * width must be 0 (unsigned) or equal to the sign bit (signed).
   */
  private checkLastByte(byte: number, usedBits: number, signed: boolean, bits: number, start: number): void {
    const payload = byte & 0x7f;
    if (signed) {
      const high = payload >> (usedBits - 1);
      if (high !== 0 && high !== 0x7f >> (usedBits - 1)) {
        this.fail(`integer too large (s${bits})`, start);
      }
    } else if (payload >> usedBits !== 0) {
      this.fail(`integer too large (u${bits})`, start);
    }
  }
}
