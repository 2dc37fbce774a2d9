/**
 * A growable byte buffer with the encoders of WebAssembly Core Specification 2.0, §5.2
 * ("Values"): bytes, LEB128 integers (§5.2.2) and names (§5.2.4). Always writes the
 * shortest LEB128 form.
 */

const utf8 = new TextEncoder();

export class BinaryWriter {
  private buffer: Uint8Array<ArrayBuffer>;
  private used = 0;

  /** @param initialCapacity starting size in bytes; the buffer doubles as needed. */
  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.used;
  }

  /** One byte (`value` is taken modulo 256). */
  byte(value: number): this {
    this.reserve(1);
    this.buffer[this.used++] = value & 0xff;
    return this;
  }

  /** Raw bytes, copied. */
  bytes(values: Uint8Array | readonly number[]): this {
    this.reserve(values.length);
    this.buffer.set(values, this.used);
    this.used += values.length;
    return this;
  }

  /**
   * An unsigned LEB128 integer (`u32`).
   * @throws RangeError when `value` is not an integer in [0, 2^32).
   */
  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw new RangeError(`u32 out of range: ${value}`);
    }
    let rest = value;
    do {
      let byte = rest % 128;
      rest = Math.floor(rest / 128);
      if (rest !== 0) byte |= 0x80;
      this.byte(byte);
    } while (rest !== 0);
    return this;
  }

  /**
   * A signed LEB128 integer (`s32`).
   * @throws RangeError when `value` is not an integer in [-2^31, 2^31).
   */
  s32(value: number): this {
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
      throw new RangeError(`s32 out of range: ${value}`);
    }
    return this.s64(BigInt(value));
  }

  /**
   * A signed LEB128 integer (`s64`).
   * @throws RangeError when `value` is outside [-2^63, 2^63).
   */
  s64(value: bigint): this {
    if (value < -(1n << 63n) || value >= 1n << 63n) throw new RangeError(`s64 out of range: ${value}`);
    let rest = value;
    for (;;) {
      const byte = Number(rest & 0x7fn);
      rest >>= 7n; // arithmetic shift: keeps the sign
      const signBitClear = (byte & 0x40) === 0;
      if ((rest === 0n && signBitClear) || (rest === -1n && !signBitClear)) {
        this.byte(byte);
        return this;
      }
      this.byte(byte | 0x80);
    }
  }

  /** A name: byte length then UTF-8 bytes (§5.2.4). */
  name(value: string): this {
    const encoded = utf8.encode(value);
    this.u32(encoded.length);
    return this.bytes(encoded);
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buffer.slice(0, this.used);
  }

  private reserve(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }
}
