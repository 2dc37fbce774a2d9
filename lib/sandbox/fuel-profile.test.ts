import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FuelProfile } from "./fuel-profile";
import { injectedExports, instrument } from "./instrument";
import { wat } from "./test-support";

const guest = `(module
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $unused (result i32) (i32.const 7))
  (func $hot (export "run") (param $n i32) (local $acc i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (call $leaf (local.get $acc)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))))`;

async function profiled(budget: bigint) {
  const { bytes } = instrument(await wat(guest), { fuel: true, memoryCap: true, profile: true });
  const { instance } = await WebAssembly.instantiate(bytes);
  const fuel = instance.exports[injectedExports.fuel] as WebAssembly.Global;
  const profile = FuelProfile.attach(instance);
  assert.ok(profile, "the profile globals are exported");
  fuel.value = budget;
  profile.reset();
  return { run: instance.exports.run as (n: number) => void, fuel, profile };
}

describe("fuel profile", () => {
  test("attributes every unit of a call's fuel to the function whose region used it", async () => {
    const budget = 1_000_000n;
    const { run, fuel, profile } = await profiled(budget);
    run(1000);
    const used = Number(budget - (fuel.value as bigint));
    const counts = profile.read();
    assert.deepEqual(counts.map((c) => c.index), [2, 0], "hot first, then leaf; unused never ran");
    assert.equal(counts.reduce((sum, c) => sum + c.fuel, 0), used);
    // leaf is one region of 4 instructions (local.get, i32.const, i32.add, end), run 1000 times.
    assert.equal(counts[1]?.fuel, 4_000);
    profile.reset();
    assert.deepEqual(profile.read(), []);
  });

  test("counts the region that runs out of fuel, so the hottest function of a trap is named", async () => {
    const { run, profile } = await profiled(10_000n);
    assert.throws(() => run(1_000_000), WebAssembly.RuntimeError);
    const [hottest] = profile.read();
    assert.equal(hottest?.index, 2);
    assert.ok((hottest?.fuel ?? 0) >= 10_000 * 0.5, `hot used ${hottest?.fuel}`);
  });

  test("without profile nothing is added", async () => {
    const { bytes } = instrument(await wat(guest), { fuel: true, memoryCap: true });
    const { instance } = await WebAssembly.instantiate(bytes);
    assert.equal(FuelProfile.attach(instance), undefined);
  });
});
