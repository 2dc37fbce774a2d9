import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { injectedExports, instrument } from "./instrument";
import { instantiate, moduleFromSections, wat, type Exports } from "./test-support";
import { WasmFormatError } from "./wasm-format-error";

const growModule = (memory: string) => `(module
  ${memory}
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow_twice") (param i32) (result i32)
    (drop (memory.grow (local.get 0)))
    (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))`;

async function capped(memory: string): Promise<Exports> {
  const out = instrument(await wat(growModule(memory)), { fuel: false, memoryCap: true });
  assert.ok(WebAssembly.validate(out.bytes));
  return instantiate(out.bytes);
}

const value = (exports: Exports, name: string): unknown => exports.global(name).value;

describe("memory cap", () => {
  it("lets memory grow up to __ft_max_pages and refuses beyond, counting refusals", async () => {
    const exports = await capped(`(memory (export "memory") 1)`);
    exports.global(injectedExports.maxPages).value = 3;
    assert.equal(exports.fn("grow")(1), 1, "returns the old size");
    assert.equal(exports.fn("grow")(1), 2);
    assert.equal(exports.fn("grow")(1), -1);
    assert.equal(value(exports, injectedExports.growDenied), 1);
    assert.equal(exports.fn("size")(), 3);
    assert.equal(exports.memory().buffer.byteLength, 3 * 65536);
    assert.equal(exports.fn("grow")(0), 3, "growing by 0 at the cap is allowed");
    assert.equal(exports.fn("grow_twice")(1), -1, "every memory.grow in the code is redirected");
    assert.equal(value(exports, injectedExports.growDenied), 3);
  });

  it("refuses growth until the host sets a cap (the cap starts at the initial size)", async () => {
    const exports = await capped(`(memory 2)`);
    assert.equal(value(exports, injectedExports.maxPages), 2);
    assert.equal(exports.fn("grow")(1), -1);
    assert.equal(value(exports, injectedExports.growDenied), 1);
  });

  it("compares without overflow and reads the cap as unsigned", async () => {
    const exports = await capped(`(memory 1)`);
    exports.global(injectedExports.maxPages).value = 65536;
    assert.equal(exports.fn("grow")(-1), -1, "delta 0xffffffff does not wrap around");
    assert.equal(value(exports, injectedExports.growDenied), 1);
    exports.global(injectedExports.maxPages).value = -1; // 0xffffffff pages
    assert.equal(exports.fn("grow")(1), 1);
  });

  it("leaves refusals by the module's own maximum to the engine (not counted)", async () => {
    const exports = await capped(`(memory 1 2)`);
    exports.global(injectedExports.maxPages).value = 100;
    assert.equal(exports.fn("grow")(1), 1);
    assert.equal(exports.fn("grow")(1), -1);
    assert.equal(value(exports, injectedExports.growDenied), 0);
  });

  it("caps an imported memory and reports it in the facts", async () => {
    const bytes = await wat(growModule(`(import "env" "memory" (memory 1 10))`));
    const out = instrument(bytes, { fuel: false, memoryCap: true });
    assert.deepEqual(out.facts.memory, { initialPages: 1, maximumPages: 10, imported: true });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 10 });
    const exports = await instantiate(out.bytes, { env: { memory } });
    exports.global(injectedExports.maxPages).value = 2;
    assert.equal(exports.fn("grow")(1), 1);
    assert.equal(exports.fn("grow")(1), -1);
    assert.equal(memory.buffer.byteLength, 2 * 65536);
  });

  it("works together with fuel, and on shared memory", async () => {
    const bytes = await wat(growModule(`(memory 1 4 shared)`), { threads: true });
    const out = instrument(bytes, { fuel: true, memoryCap: true });
    assert.ok(WebAssembly.validate(out.bytes));
    const exports = await instantiate(out.bytes);
    exports.fuel = 1000n;
    exports.global(injectedExports.maxPages).value = 2;
    assert.equal(exports.fn("grow")(1), 1);
    assert.equal(exports.fn("grow")(1), -1);
    assert.equal(exports.fuel, 1000n - 6n, "per call: entry + local.get + memory.grow");
  });

  it("adds nothing for a module without memory, and nothing when the option is off", async () => {
    const noMemory = await wat(`(module (func (export "f")))`);
    const out = instrument(noMemory, { fuel: false, memoryCap: true });
    assert.deepEqual(out.bytes, noMemory);
    assert.equal(out.facts.memory, undefined);

    const off = instrument(await wat(growModule(`(memory 1)`)), { fuel: false, memoryCap: false });
    const exports = await instantiate(off.bytes);
    assert.equal(exports.has(injectedExports.maxPages), false);
    assert.equal(exports.fn("grow")(5), 1, "uncapped");
  });

  it("refuses to cap several memories (multi-memory)", () => {
    const bytes = moduleFromSections([[5, [0x02, 0x00, 0x01, 0x00, 0x01]]]);
    assert.throws(
      () => instrument(bytes, { fuel: false, memoryCap: true }),
      (error: unknown) => error instanceof WasmFormatError && error.unsupported && /multi-memory/.test(error.message),
    );
    assert.doesNotThrow(() => instrument(bytes, { fuel: false, memoryCap: false }));
  });
});
