import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instrument, pageBytes } from "./instrument";
import { Meter } from "./meter";
import { wat } from "./test-support";

const text = `(module
  (memory (export "memory") 1)
  (global $started (export "started") (mut i32) (i32.const 0))
  (func $start (global.set $started (i32.const 1)))
  (start $start)
  (func (export "spin") (local i32)
    ;; a million iterations: far more than the fuel given, but finite if metering breaks
    (loop (br_if 0 (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 1000000)))))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;

async function attach(options = { fuel: true, memoryCap: true }) {
  const { bytes } = instrument(await wat(text), options);
  const instance = (await WebAssembly.instantiate(bytes)).instance;
  return { meter: Meter.attach(instance), instance };
}

const call = (instance: WebAssembly.Instance, name: string, ...args: number[]): unknown =>
  (instance.exports[name] as (...values: number[]) => unknown)(...args);

describe("Meter", () => {
  it("drives the whole protocol: cap, fuel, start, out of fuel, refused grows", async () => {
    const { meter, instance } = await attach();
    assert.ok(meter.metersFuel && meter.capsMemory && meter.hasStart);
    meter.setMaxPages((3 * pageBytes) / pageBytes); // a byte limit of 192 KiB, in pages
    assert.equal(meter.maxPages(), 3);
    meter.setFuel(100);
    assert.equal(meter.runStart(), true);
    assert.equal((instance.exports["started"] as WebAssembly.Global).value, 1);
    assert.equal(meter.fuelLeft(), 97n);
    assert.equal(meter.outOfFuel(), false);

    assert.throws(() => call(instance, "spin"), WebAssembly.RuntimeError);
    assert.equal(meter.outOfFuel(), true);
    assert.ok(meter.fuelLeft() < 0n);

    meter.setFuel(1_000n);
    assert.equal(call(instance, "grow", 2), 1);
    assert.equal(call(instance, "grow", 1), -1);
    assert.equal(meter.growDenied(), 1);
  });

  it("reads the cap as unsigned and clamps what it is given", async () => {
    const { meter } = await attach();
    meter.setMaxPages(2 ** 40);
    assert.equal(meter.maxPages(), 0xffff_ffff);
    meter.setMaxPages(-5);
    assert.equal(meter.maxPages(), 0);
    assert.throws(() => meter.setFuel(-1n), RangeError);
  });

  it("reports what an instance without instrumentation lacks", async () => {
    const { meter } = await attach({ fuel: false, memoryCap: false });
    assert.equal(meter.metersFuel, false);
    assert.equal(meter.capsMemory, false);
    assert.equal(meter.outOfFuel(), false);
    assert.equal(meter.growDenied(), 0);
    assert.throws(() => meter.setFuel(1n), /not instrumented for fuel/);
    assert.throws(() => meter.setMaxPages(1), /no memory cap/);
    assert.equal(meter.runStart(), true, "the start function is hoisted in every case");
  });

  it("refuses exports of an injected name with the wrong type", async () => {
    const bytes = await wat(`(module (global (export "__ft_fuel") (mut i32) (i32.const 0)))`);
    const instance = (await WebAssembly.instantiate(bytes)).instance;
    assert.throws(() => Meter.attach(instance), /not a mutable i64 global/);
  });
});
