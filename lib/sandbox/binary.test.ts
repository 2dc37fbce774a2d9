import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BinaryReader } from "./binary-reader";
import { BinaryWriter } from "./binary-writer";
import { WasmFormatError } from "./wasm-format-error";

const reader = (bytes: number[]) => new BinaryReader(Uint8Array.from(bytes), 0, bytes.length, "test");

describe("LEB128 (§5.2.2)", () => {
  it("round-trips u32 edge values through the shortest encoding", () => {
    for (const value of [0, 1, 63, 64, 127, 128, 300, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]) {
      const bytes = new BinaryWriter().u32(value).finish();
      assert.equal(bytes.length, Math.max(1, Math.ceil(Math.log2(value + 1) / 7)), `length for ${value}`);
      const r = new BinaryReader(bytes, 0, bytes.length, "test");
      assert.equal(r.readU32(), value);
      assert.ok(r.atEnd());
    }
  });

  it("round-trips s32 and s33 edge values", () => {
    for (const value of [0, 1, -1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31)]) {
      const bytes = new BinaryWriter().s32(value).finish();
      assert.equal(new BinaryReader(bytes, 0, bytes.length, "t").readS32(), value, `s32 ${value}`);
      assert.equal(new BinaryReader(bytes, 0, bytes.length, "t").readS33(), value, `s33 ${value}`);
    }
  });

  it("encodes s64 like the specification's examples", () => {
    assert.deepEqual([...new BinaryWriter().s64(-1n).finish()], [0x7f]);
    assert.deepEqual([...new BinaryWriter().s64(64n).finish()], [0xc0, 0x00]);
    assert.deepEqual([...new BinaryWriter().s64(-(1n << 63n)).finish()], [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
    assert.throws(() => new BinaryWriter().s64(1n << 63n), RangeError);
  });

  it("accepts non-minimal encodings within the length limit", () => {
    assert.equal(reader([0x80, 0x80, 0x80, 0x80, 0x00]).readU32(), 0);
    assert.equal(reader([0xff, 0xff, 0xff, 0xff, 0x7f]).readS32(), -1);
  });

  it("rejects encodings that are too long or have stray high bits", () => {
    assert.throws(() => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).readU32(), /too long \(u32\)/);
    assert.throws(() => reader([0xff, 0xff, 0xff, 0xff, 0x1f]).readU32(), /too large \(u32\)/);
    assert.throws(() => reader([0xff, 0xff, 0xff, 0xff, 0x4f]).readS32(), /too large \(s32\)/);
    assert.throws(() => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02]).skipLeb(64, false), /too large/);
    const r = reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
    r.skipLeb(64, true);
    assert.ok(r.atEnd());
  });

  it("reports running out of bytes with the absolute offset", () => {
    const bytes = Uint8Array.from([0, 0, 0, 0x80, 0x80]);
    const r = new BinaryReader(bytes, 3, 5, "section 1 (type)");
    assert.throws(
      () => r.readU32(),
      (error: unknown) =>
        error instanceof WasmFormatError &&
        error.offset === 5 &&
        error.message === "section 1 (type) at offset 0x5: unexpected end of section",
    );
  });

  it("reads names as UTF-8 and rejects invalid UTF-8", () => {
    const name = new BinaryWriter().name("fünf").finish();
    assert.equal(new BinaryReader(name, 0, name.length, "t").readName(), "fünf");
    assert.throws(() => reader([2, 0xc3, 0x28]).readName(), /not valid UTF-8/);
  });

  it("bounds slices by their region", () => {
    const r = reader([3, 1, 2, 3, 9]);
    const length = r.readU32();
    const inner = r.slice(length, "inner", "function body");
    inner.skip(3);
    assert.throws(() => inner.readByte(), /inner at offset 0x4: unexpected end of function body/);
    assert.equal(r.readByte(), 9);
    assert.throws(() => reader([5, 1]).slice(5), /runs past the end/);
  });
});
