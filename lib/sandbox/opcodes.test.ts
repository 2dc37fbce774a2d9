import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import wabtInit from "wabt";
import { BinaryReader } from "./binary-reader";
import { BinaryWriter } from "./binary-writer";
import {
  atomicOpcodes,
  decodeInstruction,
  miscOpcodes,
  simdOpcodes,
  singleByteOpcodes,
  type Immediates,
  type OpcodeInfo,
} from "./opcodes";
import { WasmFormatError } from "./wasm-format-error";

/** Sample immediates of each shape (all-zero indices, lane 0, empty block type). */
function writeSampleImmediates(writer: BinaryWriter, immediates: Immediates): void {
  switch (immediates) {
    case "none":
      return;
    case "blockType":
      writer.byte(0x40);
      return;
    case "index":
    case "i32":
    case "i64":
      writer.byte(0);
      return;
    case "twoIndices":
      writer.byte(0).byte(0);
      return;
    case "branchTable":
      writer.u32(1).u32(0).u32(0);
      return;
    case "selectTypes":
      writer.u32(1).byte(0x7f);
      return;
    case "memarg":
      writer.u32(0).u32(0);
      return;
    case "memargLane":
      writer.u32(0).u32(0).byte(0);
      return;
    case "f32":
      writer.bytes([0, 0, 0, 0]);
      return;
    case "f64":
      writer.bytes([0, 0, 0, 0, 0, 0, 0, 0]);
      return;
    case "heapType":
      writer.byte(0x70);
      return;
    case "bytes16":
      writer.bytes(new Uint8Array(16));
      return;
    case "lane":
    case "reservedByte":
      writer.byte(0);
      return;
  }
}

/**
 * A module whose only function body is one instruction then `end`, with a shared memory,
 * a table and a passive data segment so that every index immediate 0 exists.
 */
function oneInstructionModule(prefix: number | undefined, code: number, info: OpcodeInfo | undefined): Uint8Array {
  const body = new BinaryWriter().byte(0x00);
  if (prefix === undefined) body.byte(code);
  else body.byte(prefix).u32(code);
  if (info !== undefined) writeSampleImmediates(body, info.immediates);
  body.byte(0x0b);
  const entry = body.finish();
  const sections: Array<[number, Uint8Array]> = [
    [1, Uint8Array.from([1, 0x60, 0, 0])],
    [3, Uint8Array.from([1, 0])],
    [4, Uint8Array.from([1, 0x70, 0, 1])],
    [5, Uint8Array.from([1, 0x03, 1, 1])],
    [12, Uint8Array.from([1])],
    [10, new BinaryWriter().u32(1).u32(entry.length).bytes(entry).finish()],
    [11, Uint8Array.from([1, 1, 0])],
  ];
  const out = new BinaryWriter().bytes([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  for (const [id, content] of sections) out.byte(id).u32(content.length).bytes(content);
  return out.finish();
}

describe("opcode tables agree with wabt's decoder", () => {
  let wabt: Awaited<ReturnType<typeof wabtInit>>;
  before(async () => {
    wabt = await wabtInit();
  });

  /**
   * wabt (check disabled) decodes a known opcode with our sample immediates into exactly one
   * instruction; with an unknown opcode, or immediates of the wrong length, the body does
   * not decode to one instruction.
   */
  function wabtDecodesOne(bytes: Uint8Array): boolean {
    let text: string;
    try {
      const module = wabt.readWasm(bytes, {
        check: false,
        simd: true,
        relaxed_simd: true,
        threads: true,
        bulk_memory: true,
        reference_types: true,
        tail_call: true,
      });
      text = module.toText({});
      module.destroy();
    } catch {
      return false;
    }
    return text.split("\n").filter((line) => /^ {4}\S/.test(line)).length === 1;
  }

  const prefixed: Array<[string, number, ReadonlyMap<number, OpcodeInfo>, number]> = [
    ["0xFC (bulk memory, saturating conversions)", 0xfc, miscOpcodes, 0x20],
    ["0xFD (SIMD, relaxed SIMD)", 0xfd, simdOpcodes, 0x13f],
    ["0xFE (atomics)", 0xfe, atomicOpcodes, 0x60],
  ];
  for (const [label, prefix, table, last] of prefixed) {
    it(`${label}: same opcodes and immediate lengths`, () => {
      const disagreements: string[] = [];
      for (let code = 0; code <= last; code++) {
        const info = table.get(code);
        if (wabtDecodesOne(oneInstructionModule(prefix, code, info)) !== (info !== undefined)) {
          disagreements.push(`0x${code.toString(16)} (ours: ${info?.immediates ?? "unknown"})`);
        }
      }
      assert.deepEqual(disagreements, []);
    });
  }

  it("single-byte non-control opcodes: same opcodes and immediate lengths", () => {
    const disagreements: string[] = [];
    for (let code = 0x1a; code <= 0xff; code++) {
      if (code === 0xfc || code === 0xfd || code === 0xfe) continue;
      const info = singleByteOpcodes.get(code);
      if (info?.unsupported !== undefined) continue;
      if (wabtDecodesOne(oneInstructionModule(undefined, code, info)) !== (info !== undefined)) {
        disagreements.push(`0x${code.toString(16)} (ours: ${info?.immediates ?? "unknown"})`);
      }
    }
    assert.deepEqual(disagreements, []);
  });
});

describe("decodeInstruction", () => {
  const decode = (bytes: number[]) => decodeInstruction(new BinaryReader(Uint8Array.from(bytes), 0, bytes.length, "test"));

  it("skips exactly the immediates of v128.const, i8x16.shuffle, lanes and memarg+lane", () => {
    assert.equal(decode([0xfd, 0x0c, ...new Array<number>(16).fill(0xff), 0x0b]).end, 18);
    assert.equal(decode([0xfd, 0x0d, ...new Array<number>(16).fill(0x1f)]).end, 18);
    assert.equal(decode([0xfd, 0x15, 0x0f]).end, 3);
    assert.equal(decode([0xfd, 0x54, 0x00, 0x80, 0x01, 0x07]).end, 6);
  });

  it("reads multi-byte sub-opcodes (relaxed SIMD 0x100 is encoded 0x80 0x02)", () => {
    const instruction = decode([0xfd, 0x80, 0x02]);
    assert.equal(instruction.subOpcode, 0x100);
    assert.equal(instruction.end, 3);
  });

  it("reads a memarg with a memory index (multi-memory, align bit 6)", () => {
    assert.equal(decode([0x28, 0x42, 0x01, 0x08]).end, 4);
  });

  it("reads multi-value block types as type indices and rejects negative ones", () => {
    assert.equal(decode([0x02, 0x05]).end, 2);
    assert.equal(decode([0x02, 0x80, 0x01]).end, 3);
    assert.throws(() => decode([0x02, 0x50]), /invalid block type/);
  });

  it("names unknown opcodes with their offset", () => {
    assert.throws(
      () => decode([0xfd, 0x9a, 0x01]),
      (error: unknown) => error instanceof WasmFormatError && error.message === "test at offset 0x0: unknown opcode 0xfd 0x9a",
    );
    assert.throws(() => decode([0x27]), /unknown opcode 0x27/);
  });

  it("refuses exception handling and GC with unsupported errors", () => {
    for (const bytes of [[0x06, 0x40], [0x08, 0x00], [0x1f, 0x40, 0x00], [0xfb, 0x00], [0x14, 0x00]]) {
      assert.throws(
        () => decode(bytes),
        (error: unknown) => error instanceof WasmFormatError && error.unsupported && /is not supported/.test(error.message),
        `bytes ${bytes.join(",")}`,
      );
    }
  });
});
