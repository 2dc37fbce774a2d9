import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BinaryWriter } from "./binary-writer";
import { injectedExports, instrument, WasmFormatError } from "./instrument";
import { allFeatures, instantiate, moduleFromSections, runIsolated, wat } from "./test-support";

const both = { fuel: true, memoryCap: true };

/** Appends a custom section to a module. */
function withCustomSection(bytes: Uint8Array, name: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const content = new BinaryWriter().name(name).bytes(payload).finish();
  return new BinaryWriter().bytes(bytes).byte(0).u32(content.length).bytes(content).finish();
}

describe("start function", () => {
  const text = `(module
    (global $ran (export "ran") (mut i32) (i32.const 0))
    (func $init (global.set $ran (i32.const 1)))
    (start $init))`;

  it("is removed from the module and exported as __ft_start, run by the host", async () => {
    const out = instrument(await wat(text), both);
    assert.equal(out.facts.startFunction, 0);
    const exports = await instantiate(out.bytes);
    assert.equal(exports.global("ran").value, 0, "instantiation ran no guest code");
    exports.fuel = 100n;
    exports.fn(injectedExports.start)();
    assert.equal(exports.global("ran").value, 1);
    assert.equal(exports.fuel, 100n - 3n, "entry + i32.const + global.set");
  });

  it("meters a runaway start function instead of hanging instantiation", async () => {
    const out = instrument(await wat(`(module (func $spin (loop (br 0))) (start $spin))`), both);
    const run = await runIsolated(out.bytes, injectedExports.start, 5000n);
    assert.equal(run.outcome, "trapped");
    assert.ok(run.outcome === "trapped" && run.left < 0n);
  });

  it("is hoisted even with both passes off, and may be an imported function", async () => {
    const out = instrument(await wat(`(module (import "env" "init" (func $init)) (start $init))`), {
      fuel: false,
      memoryCap: false,
    });
    assert.equal(out.facts.startFunction, 0);
    let calls = 0;
    const exports = await instantiate(out.bytes, { env: { init: () => calls++ } });
    assert.equal(calls, 0);
    exports.fn(injectedExports.start)();
    assert.equal(calls, 1);
  });

  it("is absent from the facts when the module has none", async () => {
    const out = instrument(await wat(`(module (func (export "f")))`), both);
    assert.equal(out.facts.startFunction, undefined);
    assert.equal((await instantiate(out.bytes)).has(injectedExports.start), false);
  });
});

describe("module facts", () => {
  it("reads function names (imports included), import count and memory limits", async () => {
    const bytes = await wat(`(module
      (import "env" "log" (func $log (param i32)))
      (import "env" "tick" (func $tick))
      (memory 2 5)
      (func $first (export "a"))
      (func (export "b"))
      (func $third (export "c")))`);
    const { facts } = instrument(bytes, both);
    assert.equal(facts.importedFunctionCount, 2);
    assert.deepEqual(
      [...facts.functionNames],
      [
        [0, "log"],
        [1, "tick"],
        [2, "first"],
        [4, "third"],
      ],
    );
    assert.deepEqual(facts.memory, { initialPages: 2, maximumPages: 5, imported: false });
  });

  it("returns an empty name map without a name section, and survives a malformed one", async () => {
    const plain = await wat(`(module (func))`);
    // wabt writes a name section only for named items; this module has none.
    assert.equal(instrument(plain, both).facts.functionNames.size, 0);
    const broken = withCustomSection(plain, "name", Uint8Array.from([1, 9, 1, 0]));
    assert.ok(WebAssembly.validate(broken), "engines ignore a malformed name section");
    assert.equal(instrument(broken, both).facts.functionNames.size, 0);
  });
});

describe("preservation", () => {
  it("returns the module unchanged when there is nothing to do", async () => {
    const bytes = await wat(`(module (memory 1) (func $f (export "f") (result i32) (i32.const 7)) (data (i32.const 0) "hi"))`);
    assert.deepEqual(instrument(bytes, { fuel: false, memoryCap: false }).bytes, bytes);
  });

  it("copies custom sections byte for byte, including names", async () => {
    const payload = Uint8Array.from([1, 2, 3, 250, 0]);
    const bytes = withCustomSection(await wat(`(module (func $named (export "f")))`), "producers-like", payload);
    const out = instrument(bytes, both);
    const module = await WebAssembly.compile(out.bytes);
    assert.deepEqual(new Uint8Array(WebAssembly.Module.customSections(module, "producers-like")[0] as ArrayBuffer), payload);
    const originalNames = WebAssembly.Module.customSections(await WebAssembly.compile(bytes), "name")[0] as ArrayBuffer;
    const names = WebAssembly.Module.customSections(module, "name")[0] as ArrayBuffer;
    assert.deepEqual(new Uint8Array(names), new Uint8Array(originalNames));
  });

  it("keeps element, passive data and data count sections working", async () => {
    const text = `(module
      (memory (export "memory") 1)
      (table 2 funcref)
      (elem (i32.const 0) $seven $eight)
      (type $r (func (result i32)))
      (func $seven (result i32) (i32.const 7))
      (func $eight (result i32) (i32.const 8))
      (func (export "pick") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
      (data $greeting "hello")
      (func (export "load") (result i32)
        (memory.init $greeting (i32.const 16) (i32.const 0) (i32.const 5))
        (data.drop $greeting)
        (i32.load8_u (i32.const 20))))`;
    const exports = await instantiate(instrument(await wat(text, { bulk_memory: true }), both).bytes);
    exports.fuel = 10_000n;
    assert.equal(exports.fn("pick")(0), 7);
    assert.equal(exports.fn("pick")(1), 8);
    assert.equal(exports.fn("load")(), "o".charCodeAt(0));
  });
});

describe("instruction set coverage", () => {
  it("rewrites SIMD, reference types, multi-value, sign extension, saturating conversion, tail calls and atomics", async () => {
    const text = `(module
      (memory (export "memory") 1 1 shared)
      (table $t 4 funcref)
      (table $ext 1 externref)
      (type $binary (func (param i32 i32) (result i32)))
      (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
      (elem declare func $add)
      (func (export "simd") (param i32) (result i32)
        (v128.store (i32.const 0) (v128.const i32x4 1 2 3 4))
        (v128.store (i32.const 16)
          (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (v128.load (i32.const 0)) (v128.load (i32.const 0))))
        (v128.store32_lane 1 (i32.const 32) (i32x4.splat (local.get 0)))
        (i32.add
          (i32x4.extract_lane 0 (v128.load (i32.const 16)))
          (i32x4.extract_lane 0 (v128.load32_splat (i32.const 32)))))
      (func (export "refs") (result i32)
        (table.set $t (i32.const 1) (ref.func $add))
        (table.set $ext (i32.const 0) (ref.null extern))
        (i32.add
          (call_indirect $t (type $binary) (i32.const 40) (i32.const 2) (i32.const 1))
          (ref.is_null (table.get $ext (i32.const 0)))))
      (func $pair (result i32 i32) (i32.const 6) (i32.const 7))
      (func (export "multi") (result i32)
        (call $pair)
        (block $b (param i32 i32) (result i32) (i32.mul)))
      (func (export "narrow") (param f64) (result i32)
        (i32.add (i32.trunc_sat_f64_s (local.get 0)) (i32.extend8_s (i32.const 0x80))))
      (func $count (param i32 i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (local.get 1))
          (else (return_call $count (i32.sub (local.get 0) (i32.const 1)) (i32.add (local.get 1) (i32.const 2))))))
      (func (export "tail") (param i32) (result i32) (return_call $count (local.get 0) (i32.const 0)))
      (func (export "atomic") (result i32)
        (drop (i32.atomic.rmw.add (i32.const 64) (i32.const 5)))
        (atomic.fence)
        (i32.atomic.load (i32.const 64))))`;
    const original = await wat(text, allFeatures);
    const out = instrument(original, both);
    assert.ok(WebAssembly.validate(out.bytes));
    const plain = await instantiate(original);
    const exports = await instantiate(out.bytes);
    exports.fuel = 10_000_000n;
    for (const [name, args] of [
      ["simd", [5]],
      ["refs", []],
      ["multi", []],
      ["narrow", [1e12]],
      ["tail", [100_000]],
      ["atomic", []],
    ] as const) {
      assert.equal(exports.fn(name)(...args), plain.fn(name)(...args), name);
    }
    assert.equal(exports.fn("tail")(10), 20);
    assert.ok(exports.fuel < 10_000_000n);
  });
});

describe("refusals", () => {
  const refuses = (pattern: RegExp) => (error: unknown) =>
    error instanceof WasmFormatError && error.unsupported && pattern.test(error.message);

  it("refuses a module that already uses an injected export name", async () => {
    const bytes = await wat(`(module (global (export "__ft_fuel") i32 (i32.const 0)))`);
    assert.throws(() => instrument(bytes, both), refuses(/already exports "__ft_fuel"/));
    assert.doesNotThrow(() => instrument(bytes, { fuel: false, memoryCap: true }));
  });

  it("refuses exception handling, naming the instruction and its offset", async () => {
    const bytes = await wat(`(module (tag $e) (func (export "f") (try (do (throw $e)) (catch $e))))`, { exceptions: true });
    assert.throws(
      () => instrument(bytes, both),
      (error: unknown) =>
        refuses(/try \(0x06\): exception handling is not supported/)(error) &&
        error instanceof WasmFormatError &&
        bytes[error.offset] === 0x06,
    );
  });

  it("refuses memory64", () => {
    const bytes = moduleFromSections([[5, [0x01, 0x04, 0x01]]]); // (memory i64 1)
    assert.throws(() => instrument(bytes, both), refuses(/memory64/));
  });
});
