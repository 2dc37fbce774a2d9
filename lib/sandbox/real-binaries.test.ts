import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { injectedExports, instrument } from "./instrument";
import { instantiateWasi, metered, type Exports } from "./test-support";

const both = { fuel: true, memoryCap: true };
const plenty = 10_000_000_000n;

function testdata(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`testdata/${name}`, import.meta.url)));
}

/** An instrumented instance with plenty of fuel and a generous cap. */
async function instrumentedWasi(bytes: Uint8Array<ArrayBuffer>) {
  const out = instrument(bytes, both);
  assert.ok(WebAssembly.validate(out.bytes), "instrumented module validates");
  const instance = await instantiateWasi(out.bytes);
  instance.exports.fuel = plenty;
  instance.exports.global(injectedExports.maxPages).value = 65536;
  return { ...instance, facts: out.facts };
}

const pages = (exports: Exports) => exports.memory().buffer.byteLength / 65536;

describe("clang 14 reactor (testdata/reactor.c: SIMD, bulk memory, sign extension, sat conversions)", () => {
  const bytes = testdata("reactor-c.wasm");

  it("behaves exactly as the original", async () => {
    const original = await instantiateWasi(bytes);
    const rewritten = await instrumentedWasi(bytes);
    for (const { exports } of [original, rewritten]) exports.fn("_initialize")();
    const calls: Array<[string, Array<number>]> = [
      ["initialized", []],
      ["checksum", [100_000]],
      ["newton_sqrt", [2]],
      ["ackermann", [2, 3]],
      ["vector_sum", [1000]],
      ["fill_and_copy", [3000, 5]],
      ["to_int", [3.99e12, 200]],
      ["greet", []],
    ];
    for (const [name, args] of calls) {
      assert.equal(rewritten.exports.fn(name)(...args), original.exports.fn(name)(...args), name);
    }
    assert.equal(rewritten.exports.fn("initialized")(), 42, "_initialize ran the constructor");
    assert.equal(rewritten.output.text, "hello from C\n");
    assert.equal(rewritten.output.text, original.output.text);
  });

  it("reads the name section", () => {
    const { facts } = instrument(bytes, both);
    const names = new Set(facts.functionNames.values());
    for (const name of ["checksum", "ackermann", "vector_sum", "malloc", "__wasi_fd_write"]) {
      assert.ok(names.has(name) || [...names].some((n) => n.includes(name)), `name ${name}`);
    }
    assert.equal(facts.importedFunctionCount, 1);
    assert.equal(facts.memory?.imported, false);
  });

  it("consumes the same fuel on every run, more for more work", async () => {
    const runs = await Promise.all([instrumentedWasi(bytes), instrumentedWasi(bytes)]);
    const costs = runs.map(({ exports }) => {
      metered(exports, plenty, () => exports.fn("_initialize")());
      return [1_000, 2_000, 4_000].map((n) => metered(exports, plenty, () => exports.fn("fill_and_copy")(n, 1)).used);
    });
    assert.deepEqual(costs[0], costs[1]);
    const [small, medium, large] = costs[0] as [bigint, bigint, bigint];
    assert.ok(small < medium && medium < large);
  });

  it("stops deep recursion when the fuel runs out", async () => {
    const { exports } = await instrumentedWasi(bytes);
    exports.fn("_initialize")();
    const run = metered(exports, 100_000n, () => exports.fn("ackermann")(3, 8));
    assert.ok(run.error instanceof WebAssembly.RuntimeError);
    assert.ok(run.left < 0n);
  });

  it("makes malloc fail gracefully at the memory cap", async () => {
    const { exports } = await instrumentedWasi(bytes);
    exports.fn("_initialize")();
    exports.global(injectedExports.maxPages).value = pages(exports) + 2;
    assert.equal(exports.fn("checksum")(4 << 20), -1, "realloc returned NULL (0xffffffff as i32)");
    assert.ok(Number(exports.global(injectedExports.growDenied).value) > 0);
    assert.ok(pages(exports) <= Number(exports.global(injectedExports.maxPages).value));
    assert.notEqual(exports.fn("checksum")(1000), -1, "small allocations still work");
  });
});

describe("rustc 1.63 cdylib (testdata/compute.rs: loops, recursion, floats, Vec growth)", () => {
  const bytes = testdata("compute-rs.wasm");

  it("behaves exactly as the original", async () => {
    const original = await instantiateWasi(bytes);
    const rewritten = await instrumentedWasi(bytes);
    const calls: Array<[string, Array<number | bigint>]> = [
      ["fib", [20]],
      ["collatz_steps", [27n]],
      ["integrate", [10_000]],
      ["vec_growth", [300_000]],
      ["primes_below", [100_000]],
    ];
    for (const [name, args] of calls) {
      assert.equal(rewritten.exports.fn(name)(...args), original.exports.fn(name)(...args), name);
    }
    assert.equal(rewritten.exports.fn("fib")(20), 6765n);
    assert.equal(rewritten.exports.fn("collatz_steps")(27n), 111);
    assert.equal(rewritten.exports.fn("primes_below")(100_000), 9592);
    assert.ok(Math.abs((rewritten.exports.fn("integrate")(10_000) as number) - 0.4) < 1e-6);
  });

  it("has no name section (stripped) and reports the WASI imports", () => {
    const { facts } = instrument(bytes, both);
    assert.equal(facts.functionNames.size, 0);
    assert.equal(facts.importedFunctionCount, WebAssembly.Module.imports(new WebAssembly.Module(bytes)).length);
  });

  it("charges recursion deterministically and stops it when the fuel runs out", async () => {
    const { exports } = await instrumentedWasi(bytes);
    const fib20 = metered(exports, plenty, () => exports.fn("fib")(20)).used;
    assert.equal(metered(exports, plenty, () => exports.fn("fib")(20)).used, fib20);
    assert.ok(metered(exports, plenty, () => exports.fn("fib")(22)).used > 2n * fib20);
    const run = metered(exports, fib20 / 2n, () => exports.fn("fib")(20));
    assert.ok(run.error instanceof WebAssembly.RuntimeError);
    assert.ok(run.left < 0n);
  });

  it("turns Vec growth past the cap into Rust's allocation failure", async () => {
    const { exports, output } = await instrumentedWasi(bytes);
    exports.global(injectedExports.maxPages).value = pages(exports) + 4;
    assert.throws(() => exports.fn("vec_growth")(4_000_000), WebAssembly.RuntimeError);
    assert.ok(Number(exports.global(injectedExports.growDenied).value) > 0);
    assert.ok(exports.fuel > 0n, "an allocation failure, not fuel");
    assert.match(output.text, /memory allocation of \d+ bytes failed/);
  });
});

describe("extensions built by the project (public/extensions/*.wasm)", () => {
  const directory = fileURLToPath(new URL("../../public/extensions/", import.meta.url));
  const files = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith(".wasm")) : [];

  it("instrument and validate, with no new imports and only the injected exports added", (t) => {
    if (files.length === 0) {
      t.skip("no extensions built yet (npm run build:extensions)");
      return;
    }
    for (const name of files) {
      const bytes = new Uint8Array(readFileSync(`${directory}${name}`));
      const out = instrument(bytes, both);
      assert.ok(WebAssembly.validate(out.bytes), name);
      const before = new WebAssembly.Module(bytes);
      const after = new WebAssembly.Module(out.bytes);
      assert.deepEqual(WebAssembly.Module.imports(after), WebAssembly.Module.imports(before), `${name}: imports`);
      const added = WebAssembly.Module.exports(after)
        .map((entry) => entry.name)
        .filter((exportName) => !WebAssembly.Module.exports(before).some((entry) => entry.name === exportName));
      assert.ok(added.includes(injectedExports.fuel), `${name}: fuel export`);
      assert.ok(added.every((exportName) => exportName.startsWith("__ft_")), `${name}: ${added.join(", ")}`);
    }
  });
});
