import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { innermostWasmFrame } from "../traps";
import { instrument } from "./instrument";
import { allFeatures, instantiate, metered, toWat, wat, type Exports } from "./test-support";

/**
 * Guests that reach functions every way there is: direct calls (recursion, a loop of calls,
 * calls in a branch), `call_indirect` through an active segment, a segment of expressions
 * and a `ref.func` stored by `table.set`, a `ref.func` in a global's initializer, an import,
 * `return` and branches out of the function, and a start function.
 */
const guest = `
  (import "env" "tick" (func $tick (param i32)))
  (table $t 4 funcref)
  (elem (i32.const 0) $fib $leaf)
  (elem funcref (ref.func $square))
  (global $keep funcref (ref.func $leaf))
  (global $count (mut i32) (i32.const 0))
  (start $init)
  (func $init (global.set $count (i32.const 1)))
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $mixed (export "mixed") (param $n i32) (result i32) (local $acc i32) (local $i i32)
    (table.set $t (i32.const 2) (ref.func $square))
    (table.set $t (i32.const 3) (global.get $keep))
    (block $out
      (loop $next
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $leaf (local.get $i))))
        (local.set $acc (i32.add (local.get $acc) (call_indirect (param i32) (result i32) (local.get $i) (i32.rem_u (local.get $i) (i32.const 4)))))
        (if (i32.eq (local.get $i) (i32.const 3)) (then (call $tick (local.get $acc))))
        (br_if 1 (i32.eq (local.get $i) (i32.const 7)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (if (i32.gt_u (local.get $acc) (i32.const 1000)) (then (return (i32.const -1))))
    (i32.add (local.get $acc) (global.get $count)))`;

/** The same guest with an unused tail call, which makes the instrumenter keep every function's type. */
const withoutPassing = `${guest}\n  (func $tail (param i32) (result i32) (return_call $leaf (local.get 0)))`;

async function load(text: string): Promise<{ exports: Exports; text: string }> {
  const bytes = instrument(await wat(`(module ${text})`, allFeatures), { fuel: true, memoryCap: true }).bytes;
  let instance: Exports | undefined;
  const imports = { env: { tick: () => void (instance as Exports).fuel } };
  instance = await instantiate(bytes, imports);
  return { exports: instance, text: await toWat(bytes) };
}

describe("fuel passed in calls (fuel-passing.ts)", () => {
  it("is used where it can be and not with tail calls", async () => {
    const passing = await load(guest);
    const kept = await load(withoutPassing);
    const typeOfFib = (text: string) => {
      const index = /\(func \$fib \(type (\d+)\)/.exec(text)?.[1];
      return new RegExp(`\\(type \\(;${index};\\) \\(func ([^\\n]*)\\)\\)\\n`).exec(text)?.[1];
    };
    assert.equal(typeOfFib(passing.text), "(param i32 i64) (result i32 i64)");
    assert.equal(typeOfFib(kept.text), "(param i32) (result i32)");
  });

  it("changes no count: every budget ends the same way, with the same fuel left, as without it", async () => {
    const passing = await load(guest);
    const kept = await load(withoutPassing);
    for (const [name, arg] of [["fib", 7], ["mixed", 6], ["mixed", 12]] as const) {
      for (const { exports } of [passing, kept]) {
        exports.fuel = 1_000n;
        exports.fn("__ft_start")();
      }
      const full = metered(kept.exports, 1_000_000n, () => kept.exports.fn(name)(arg));
      assert.equal(full.error, undefined, `${name}(${arg}) runs`);
      const used = full.used;
      assert.ok(used > 20n, `${name}(${arg}) uses some fuel`);
      for (let budget = 0n; budget <= used + 1n; budget++) {
        const a = metered(passing.exports, budget, () => passing.exports.fn(name)(arg));
        const b = metered(kept.exports, budget, () => kept.exports.fn(name)(arg));
        const what = `${name}(${arg}) with ${budget} fuel`;
        assert.equal(a.value, b.value, what);
        assert.equal(a.error === undefined, b.error === undefined, what);
        assert.equal(a.left, b.left, what);
      }
    }
  });

  it("keeps the host's view at a host call: the global holds the fuel left when an import runs", async () => {
    const seen: bigint[] = [];
    for (const text of [guest, withoutPassing]) {
      const bytes = instrument(await wat(`(module ${text})`, allFeatures), { fuel: true, memoryCap: true }).bytes;
      let exports: Exports | undefined;
      exports = await instantiate(bytes, { env: { tick: () => void seen.push((exports as Exports).fuel) } });
      metered(exports, 1_000_000n, () => (exports as Exports).fn("mixed")(6));
    }
    assert.equal(seen.length, 2);
    assert.equal(seen[0], seen[1]);
  });

  it("names the guest's function, not the wrapper, in the frame of an out-of-fuel trap", async () => {
    const { exports } = await load(guest);
    const run = metered(exports, 500n, () => exports.fn("fib")(20));
    assert.ok(run.left < 0n, "out of fuel");
    // $fib is function 4: the import, $init, $leaf, $square before it.
    assert.equal(innermostWasmFrame(run.error)?.index, 4);
    assert.equal(innermostWasmFrame(run.error)?.name, "fib");
  });
});
