import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { instrument, WasmFormatError } from "./instrument";
import { allFeatures, moduleFromSections, singleFunctionModule, wat } from "./test-support";

const both = { fuel: true, memoryCap: true };
const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** Asserts that instrumenting `bytes` throws exactly `message` at `offset`. */
function assertFormatError(bytes: ArrayLike<number>, message: string, offset?: number): void {
  assert.throws(
    () => instrument(Uint8Array.from(bytes), both),
    (error: unknown) => {
      assert.ok(error instanceof WasmFormatError, `expected a WasmFormatError, got ${String(error)}`);
      assert.equal(error.message, message);
      if (offset !== undefined) assert.equal(error.offset, offset);
      return true;
    },
  );
}

describe("malformed modules throw WasmFormatError with the offset", () => {
  it("bad magic", () => {
    assertFormatError(
      [0x7f, 0x45, 0x4c, 0x46, 0x01, 0x00, 0x00, 0x00],
      'module header at offset 0x0: bad magic number 7f 45 4c 46 (a WebAssembly module starts with 00 61 73 6d, "\\0asm")',
    );
  });

  it("bad version, and a component instead of a core module", () => {
    assertFormatError([0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00], "module header at offset 0x4: unsupported version 2 (expected 1)");
    assertFormatError(
      [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00],
      "module header at offset 0x4: this is a WebAssembly component, not a core module",
    );
  });

  it("truncated header", () => {
    assertFormatError([0x00, 0x61, 0x73, 0x6d, 0x01], "module header at offset 0x5: unexpected end of module: 5 bytes, a module has at least 8 (magic and version)");
    assertFormatError([], "module header at offset 0x0: unexpected end of module: 0 bytes, a module has at least 8 (magic and version)");
  });

  it("a section length past the end", () => {
    assertFormatError(
      [...header, 0x01, 0x10, 0x01],
      "section 1 (type) at offset 0x8: section size 16 runs past the end of the module (1 bytes left)",
    );
  });

  it("unknown, duplicate and misordered sections", () => {
    assertFormatError([...header, 0x0e, 0x00], "section 14 at offset 0x8: unknown section id 14");
    assertFormatError([...header, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00], "section 1 (type) at offset 0xb: duplicate section");
    assertFormatError(
      [...header, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00],
      "section 1 (type) at offset 0xb: section out of order (it must come before section 3 (function))",
    );
  });

  it("an unknown opcode, located at its byte", () => {
    const bytes = singleFunctionModule([0x41, 0x01, 0x27]);
    const offset = bytes.lastIndexOf(0x27);
    assertFormatError(bytes, `section 10 (code), function 0 at offset 0x${offset.toString(16)}: unknown opcode 0x27`, offset);
  });

  it("a body without its final end, or with code after it", () => {
    assertFormatError(
      singleFunctionModule([0x02, 0x40]),
      `section 10 (code), function 0 at offset 0x${(singleFunctionModule([0x02, 0x40]).length).toString(16)}: unexpected end of function body: missing final end`,
    );
    const trailing = singleFunctionModule([0x41, 0x00, 0x0b, 0x01]);
    assertFormatError(
      trailing,
      `section 10 (code), function 0 at offset 0x${(trailing.length - 2).toString(16)}: function body continues after its final end`,
    );
  });

  it("an else outside an if", () => {
    assert.throws(() => instrument(singleFunctionModule([0x05]), both), /else outside of an if/);
  });

  it("a truncated instruction immediate", () => {
    // i32.const whose LEB128 runs into the body's end: the final end is eaten, then bytes run out.
    assert.throws(() => instrument(singleFunctionModule([0x41, 0x80]), both), /missing final end|unexpected end/);
    assert.throws(() => instrument(singleFunctionModule([0xfd]), both), (error: unknown) => error instanceof WasmFormatError);
  });

  it("function and code sections of different lengths", () => {
    const bytes = moduleFromSections([
      [1, [0x01, 0x60, 0x00, 0x00]],
      [3, [0x02, 0x00, 0x00]],
      [10, [0x01, 0x02, 0x00, 0x0b]],
    ]);
    assert.throws(() => instrument(bytes, both), /declares 2 functions but the code section has 1 bodies/);
  });

  it("a section whose content is shorter than its size", () => {
    assertFormatError([...header, 0x01, 0x02, 0x00, 0x00], "section 1 (type) at offset 0xb: section size mismatch: 1 unread bytes at the end");
  });

  it("an export name that is not UTF-8", () => {
    assert.throws(() => instrument(Uint8Array.from([...header, 0x07, 0x05, 0x01, 0x02, 0xc3, 0x28, 0x00]), both), /not valid UTF-8/);
  });
});

/** xorshift32: a deterministic pseudo-random sequence for the mutation tests. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

/**
 * The property every input must satisfy: `instrument` either throws a WasmFormatError, or
 * returns a module that the engine accepts exactly when it accepts the input. And an input
 * the engine accepts may only be refused as `unsupported`.
 */
function checkAgainstEngine(input: Uint8Array<ArrayBuffer>): "refused" | "rewritten" {
  const valid = WebAssembly.validate(input);
  let output: Uint8Array<ArrayBuffer>;
  try {
    output = instrument(input, both).bytes;
  } catch (error) {
    assert.ok(error instanceof WasmFormatError, `non-format error ${String(error)}`);
    assert.ok(!valid || error.unsupported, `refused a module the engine accepts: ${error.message}`);
    assert.ok(error.offset >= 0 && error.offset <= input.length, `offset ${error.offset} within the input`);
    return "refused";
  }
  assert.equal(WebAssembly.validate(output), valid, "instrumented module validates exactly when the input does");
  return "rewritten";
}

describe("robustness against the engine's validator", () => {
  const sample = `(module
    (import "env" "log" (func $log (param i32)))
    (memory (export "memory") 1 4)
    (global $g (mut i32) (i32.const 0))
    (table 2 funcref)
    (elem (i32.const 0) $loop $fib)
    (func $loop (param i32) (result i32) (local i32)
      (block (loop (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
      (local.get 1))
    (func $fib (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "simd") (result i32)
      (i32x4.extract_lane 1 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (v128.const i64x2 1 2) (v128.const i64x2 3 4))))
    (func (export "fill") (memory.fill (i32.const 0) (i32.const 1) (i32.const 16)) (call $log (global.get $g)))
    (data (i32.const 8) "data"))`;

  it("every truncation of a module is refused or rewritten consistently", async () => {
    const bytes = await wat(sample, allFeatures);
    let refused = 0;
    for (let length = 0; length < bytes.length; length++) {
      if (checkAgainstEngine(bytes.subarray(0, length)) === "refused") refused++;
    }
    assert.ok(refused > bytes.length / 2, "most truncations are malformed");
  });

  it("every 97th truncation of real compiler output is refused or rewritten consistently", () => {
    const bytes = new Uint8Array(readFileSync(new URL("testdata/reactor-c.wasm", import.meta.url)));
    for (let length = 0; length < bytes.length; length += 97) checkAgainstEngine(bytes.subarray(0, length));
  });

  it("random byte mutations are refused or rewritten consistently", async () => {
    const bytes = await wat(sample, allFeatures);
    const next = random(0x5eed);
    const outcomes = { refused: 0, rewritten: 0 };
    for (let round = 0; round < 3000; round++) {
      const mutant = bytes.slice();
      const changes = 1 + Math.floor(next() * 3);
      for (let i = 0; i < changes; i++) {
        const at = 8 + Math.floor(next() * (mutant.length - 8));
        mutant[at] = next() < 0.5 ? Math.floor(next() * 256) : (mutant[at] as number) ^ (1 << Math.floor(next() * 8));
      }
      outcomes[checkAgainstEngine(mutant)]++;
    }
    assert.ok(outcomes.refused > 0 && outcomes.rewritten > 0, JSON.stringify(outcomes));
  });
});
