import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instrument, WasmFormatError } from "./instrument";
import { instantiate, metered, runIsolated, singleFunctionModule, toWat, wat, type Exports } from "./test-support";

const plenty = 1_000_000_000n;

async function instrumented(text: string): Promise<Exports> {
  const bytes = await wat(text, { bulk_memory: true, reference_types: true, multi_value: true });
  const out = instrument(bytes, { fuel: true, memoryCap: true });
  assert.ok(WebAssembly.validate(out.bytes), "instrumented module validates");
  return instantiate(out.bytes);
}

/** Fuel one call of export `f` consumes, or the trap it ends in. */
async function fuelOf(text: string): Promise<{ used: bigint; trapped: boolean; left: bigint }> {
  const exports = await instrumented(text);
  const run = metered(exports, plenty, () => exports.fn("f")());
  return { used: run.used, trapped: run.error !== undefined, left: run.left };
}

describe("fuel cost model: wasmtime's operator costs", () => {
  // Each case is an `assert_fuel` of wasmtime's tests/all/fuel.wast. Those run the function
  // as a start function during instantiation, which costs wasmtime 2 more than calling an
  // export (fuel.rs `get_fuel_clamps_at_zero`: add2, three operators, costs 4 per call); so
  // calling it as an export here must cost the wast number minus 2.
  const cases: Array<[string, number, string, boolean?]> = [
    ["empty function", 3, `(func $f (export "f"))`],
    ["nop and drop are free", 4, `(func $f (export "f") i32.const 0 drop nop)`],
    ["block and end are free", 3, `(func $f (export "f") block end)`],
    ["unreachable is free", 3, `(func $f (export "f") unreachable)`, true],
    ["code before unreachable", 9, `(func $f (export "f") i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0 unreachable)`, true],
    ["code after return is not run", 3, `(func $f (export "f") return i32.const 0 i32.const 0 i32.const 0 unreachable)`],
    ["if not taken", 5, `(func $f (export "f") i32.const 0 if call $f end)`],
    ["if taken", 6, `(func $f (export "f") i32.const 1 if i32.const 0 drop end)`],
    ["if taken, else not", 6, `(func $f (export "f") i32.const 1 if i32.const 0 drop else call $f end)`],
    ["else taken", 6, `(func $f (export "f") i32.const 0 if call $f else i32.const 0 drop end)`],
    ["br_if taken", 5, `(func $f (export "f") block i32.const 1 br_if 0 i32.const 0 drop end)`],
    ["br_if not taken", 6, `(func $f (export "f") block i32.const 0 br_if 0 i32.const 0 drop end)`],
    ["count code before unreachable", 4, `(func $f (export "f") i32.const 0 unreachable)`, true],
    ["count code before return", 4, `(func $f (export "f") i32.const 0 return)`],
    ["call", 5, `(func $f (export "f") call $other) (func $other)`],
    ["call with argument", 7, `(func $f (export "f") i32.const 0 call $other i32.const 0 drop) (func $other (param i32))`],
    ["call with result", 6, `(func $f (export "f") call $other drop) (func $other (result i32) i32.const 0)`],
    ["call_indirect", 6, `(func $f (export "f") i32.const 0 call_indirect) (func $other) (table funcref (elem $other))`],
    ["empty loop", 3, `(func $f (export "f") loop end)`],
    [
      "loop of 10 iterations",
      55,
      `(func $f (export "f") (local i32) i32.const 10 local.set 0
         loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end)`,
    ],
    ["memory.copy pays per byte", 107, `(memory 1) (func $f (export "f") i32.const 0 i32.const 0 i32.const 100 memory.copy)`],
    ["memory.fill pays per byte", 107, `(memory 1) (func $f (export "f") i32.const 0 i32.const 0 i32.const 100 memory.fill)`],
    [
      "memory.init pays per byte",
      27,
      `(memory 1) (func $f (export "f") i32.const 0 i32.const 0 i32.const 20 memory.init $d) (data $d "${"a".repeat(59)}")`,
    ],
    ["table.copy pays per element", 107, `(table 100 funcref) (func $f (export "f") i32.const 0 i32.const 0 i32.const 100 table.copy)`],
    ["table.fill pays per element", 107, `(table 100 funcref) (func $f (export "f") i32.const 0 ref.null func i32.const 100 table.fill)`],
    ["table.grow pays per element", 106, `(table 0 funcref) (func $f (export "f") ref.null func i32.const 100 table.grow drop)`],
    [
      "table.init pays per element",
      27,
      `(table 20 funcref) (func $f (export "f") i32.const 0 i32.const 0 i32.const 20 table.init $e) (elem $e func ${"$f ".repeat(20)})`,
    ],
  ];
  for (const [name, wasmtimeFuel, text, traps = false] of cases) {
    it(`${name}: ${wasmtimeFuel - 2}`, async () => {
      const result = await fuelOf(`(module ${text})`);
      assert.equal(result.used, BigInt(wasmtimeFuel - 2));
      assert.equal(result.trapped, traps);
      assert.ok(result.left >= 0n, "an ordinary trap leaves the fuel non-negative");
    });
  }

  it("add2 costs 4 per call, as in wasmtime's get_fuel_clamps_at_zero", async () => {
    const exports = await instrumented(`(module (func (export "add2") (param i32) (result i32) (i32.add (local.get 0) (i32.const 2))))`);
    exports.fuel = 6n;
    assert.equal(exports.fn("add2")(10), 12);
    assert.equal(exports.fuel, 2n);
    // wasmtime lets this call finish and clamps to 0; we refuse a region we cannot pay.
    assert.throws(() => exports.fn("add2")(10), WebAssembly.RuntimeError);
    assert.ok(exports.fuel < 0n);
  });
});

describe("fuel metering", () => {
  const counter = `(module
    (func (export "count") (param $n i32) (result i32) (local $i i32) (local $sum i32)
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $sum (i32.add (local.get $sum) (i32.mul (local.get $i) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $sum)))`;

  it("charges a loop per iteration: linear in N, identical on every run and instance", async () => {
    const first = await instrumented(counter);
    const second = await instrumented(counter);
    const cost = (exports: Exports, n: number) => metered(exports, plenty, () => exports.fn("count")(n)).used;
    const at = [0, 10, 20, 40, 1000].map((n) => cost(first, n));
    const [c0, c10, c20, c40, c1000] = at as [bigint, bigint, bigint, bigint, bigint];
    const perIteration = (c20 - c10) / 10n;
    assert.ok(perIteration > 0n);
    assert.equal(c10 - c0, 10n * perIteration);
    assert.equal(c40 - c20, 20n * perIteration);
    assert.equal(c1000, c0 + 1000n * perIteration);
    assert.deepEqual([0, 10, 20, 40, 1000].map((n) => cost(first, n)), at, "same instance, second run");
    assert.deepEqual([0, 10, 20, 40, 1000].map((n) => cost(second, n)), at, "fresh instance");
  });

  it("starts with no fuel, so a host that forgets to set it gets a trap, not a free run", async () => {
    const exports = await instrumented(counter);
    assert.equal(exports.fuel, 0n);
    assert.throws(() => exports.fn("count")(1), WebAssembly.RuntimeError);
    assert.ok(exports.fuel < 0n);
  });

  it("runs with exactly enough fuel and traps with one unit less", async () => {
    const exports = await instrumented(counter);
    const needed = metered(exports, plenty, () => exports.fn("count")(25)).used;
    const exact = metered(exports, needed, () => exports.fn("count")(25));
    assert.equal(exact.error, undefined);
    assert.equal(exact.left, 0n);
    const short = metered(exports, needed - 1n, () => exports.fn("count")(25));
    assert.ok(short.error instanceof WebAssembly.RuntimeError);
    assert.ok(short.left < 0n, "out of fuel leaves __ft_fuel negative");
  });

  /** Runs export `f` in a worker with 10,000 fuel; it must trap out of fuel, not hang. */
  async function assertStopsOutOfFuel(text: string): Promise<void> {
    const out = instrument(await wat(text), { fuel: true, memoryCap: false });
    const run = await runIsolated(out.bytes, "f", 10_000n);
    assert.equal(run.outcome, "trapped", text);
    if (run.outcome === "trapped") {
      assert.match(run.message, /RuntimeError: unreachable/);
      assert.ok(run.left < 0n, text);
    }
  }

  it("stops infinite loops (br, br_if, br_table back edges) with __ft_fuel < 0", async () => {
    for (const body of ["loop br 0 end", "loop i32.const 1 br_if 0 end", "loop i32.const 0 br_table 0 end", "loop block br 1 end end"]) {
      await assertStopsOutOfFuel(`(module (func (export "f") ${body}))`);
    }
  });

  it("stops an exponential call tree", async () => {
    const functions = Array.from({ length: 24 }, (_, i) => `(func $f${i} call $f${i + 1} call $f${i + 1})`).join("\n");
    await assertStopsOutOfFuel(`(module (func (export "f") call $f0) ${functions} (func $f24))`);
  });

  it("charges a bulk operation before it runs, so an unaffordable fill never happens", async () => {
    const exports = await instrumented(`(module (memory (export "memory") 1)
      (func (export "f") i32.const 0 i32.const 7 i32.const 65536 memory.fill))`);
    const run = metered(exports, 10_000n, () => exports.fn("f")());
    assert.ok(run.error instanceof WebAssembly.RuntimeError);
    assert.ok(run.left < 0n);
    assert.equal(new Uint8Array(exports.memory().buffer)[0], 0);
  });

  it("keeps results: recursion, i64 and floating point, multi-value blocks", async () => {
    const text = `(module
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
          (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "factorial") (param i64) (result i64) (local i64)
        (local.set 1 (i64.const 1))
        (block (loop
          (br_if 1 (i64.eqz (local.get 0)))
          (local.set 1 (i64.mul (local.get 1) (local.get 0)))
          (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
          (br 0)))
        (local.get 1))
      (func (export "newton") (param f64) (result f64) (local f64 i32)
        (local.set 1 (local.get 0))
        (loop
          (local.set 1 (f64.mul (f64.const 0.5) (f64.add (local.get 1) (f64.div (local.get 0) (local.get 1)))))
          (local.set 2 (i32.add (local.get 2) (i32.const 1)))
          (br_if 0 (i32.lt_u (local.get 2) (i32.const 30))))
        (local.get 1))
      (func (export "swap_sum") (param i32 i32) (result i32)
        (local.get 0) (local.get 1)
        (loop (param i32 i32) (result i32 i32)
          (br_if 0 (i32.const 0)))
        (block (param i32 i32) (result i32) (i32.sub))))`;
    const original = await instantiate(await wat(text, { multi_value: true }));
    const exports = await instrumented(text);
    exports.fuel = plenty;
    for (const n of [0, 1, 2, 10, 20]) assert.equal(exports.fn("fib")(n), original.fn("fib")(n));
    for (const n of [0n, 1n, 5n, 20n]) assert.equal(exports.fn("factorial")(n), original.fn("factorial")(n));
    for (const x of [2, 10, 1e6]) assert.equal(exports.fn("newton")(x), original.fn("newton")(x));
    assert.equal(exports.fn("swap_sum")(10, 3), 7);
    const fib20 = metered(exports, plenty, () => exports.fn("fib")(20)).used;
    assert.equal(metered(exports, plenty, () => exports.fn("fib")(20)).used, fib20);
    assert.ok(fib20 > metered(exports, plenty, () => exports.fn("fib")(15)).used);
  });

  it("does not charge unreachable code and appends no helper without bulk operations", async () => {
    const bytes = await wat(`(module (func (export "f") (result i32)
      (block (result i32) (br 0 (i32.const 1)) (i32.const 2) (drop) (i32.const 3))
      (i32.const 5)
      (i32.add)))`);
    const out = instrument(bytes, { fuel: true, memoryCap: false });
    const text = await toWat(out.bytes);
    assert.equal(text.match(/i64\.sub/g)?.length, 2, "function entry and after the block's end only");
    // The function (taking its fuel as a parameter) and the export's wrapper (fuel-passing.ts).
    assert.equal(text.match(/^  \(func /gm)?.length, 2, "no helper function, one wrapper");
    const exports = await instantiate(out.bytes);
    const run = metered(exports, plenty, () => exports.fn("f")());
    assert.equal(run.value, 6);
    assert.equal(run.used, 5n, "entry 1 + i32.const + br, then i32.const + i32.add");
  });

  it("keeps the count exact around calls, branches out of the function and joins (the local is read back lazily)", async () => {
    const g = `(func $g) (func $h (result i32) i32.const 7)`;
    const cases: Array<[string, string, number, number]> = [
      // [what, body of f (param i32), argument, fuel: entry 1 + instructions, callees 1 each (+1 for h's i32.const)]
      ["calls in a row, then an if", `call $g call $g local.get 0 if call $g end`, 1, 5 + 1 + 3],
      ["if not taken after calls", `call $g call $g local.get 0 if call $g end`, 0, 5 + 2],
      ["br_if out of the function after a call, taken", `call $g local.get 0 br_if 0 call $g`, 1, 4 + 1],
      ["br_if out of the function after a call, not taken", `call $g local.get 0 br_if 0 call $g`, 0, 4 + 1 + 2],
      ["br_table after a call, to the block", `block call $g local.get 0 br_table 0 1 end call $g`, 0, 4 + 1 + 2],
      ["br_table after a call, out of the function", `block call $g local.get 0 br_table 0 1 end call $g`, 1, 4 + 1],
      ["a call's result into a loop", `(local i32) call $h local.set 1 loop local.get 1 i32.const 1 i32.sub local.tee 1 br_if 0 end`, 0, 3 + 2 + 7 * 5],
      ["return right after a call", `call $g return`, 0, 2 + 1],
      ["unreachable right after a call", `call $g unreachable`, 0, 2 + 1],
    ];
    for (const [what, body, arg, expected] of cases) {
      const exports = await instrumented(`(module ${g} (func (export "f") (param i32) ${body}))`);
      const run = metered(exports, plenty, () => exports.fn("f")(arg));
      assert.equal(run.used, BigInt(expected), what);
      const traps = body.includes("unreachable");
      assert.equal(run.error !== undefined, traps, what);
      const exact = metered(exports, run.used, () => exports.fn("f")(arg));
      assert.equal(exact.left, 0n, `${what}: exactly enough`);
      const short = metered(exports, run.used - 1n, () => exports.fn("f")(arg));
      assert.ok(short.error instanceof WebAssembly.RuntimeError && short.left < 0n, `${what}: one less is out of fuel`);
    }
  });

  it("refuses a guest that names the fuel global before it exists (global index out of range)", () => {
    // i64.const 1000000000; global.set 0; i32.const 0: would refill __ft_fuel after instrumentation.
    const bytes = singleFunctionModule([0x42, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x24, 0x00, 0x41, 0x00]);
    assert.equal(WebAssembly.validate(bytes), false);
    assert.throws(
      () => instrument(bytes, { fuel: true, memoryCap: false }),
      (error: unknown) =>
        error instanceof WasmFormatError && /global index 0 out of range \(the module has 0 globals\)/.test(error.message),
    );
  });
});
