import assert from "node:assert/strict";
import { test } from "node:test";
import { prepareModule, sameBytes } from "./module-cache";
import { sha256Hex } from "./sha256";

/** `(module)`: the smallest valid module. */
const EMPTY_MODULE = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

test("sameBytes compares every byte, aligned or not", () => {
  const a = Uint8Array.from({ length: 103 }, (_, i) => i);
  assert.equal(sameBytes(a, a.slice()), true);
  for (const at of [0, 50, 99, 102]) {
    const b = a.slice();
    b[at] = (b[at] ?? 0) ^ 1;
    assert.equal(sameBytes(a, b), false, `byte ${at} differs`);
  }
  const shifted = new Uint8Array(new ArrayBuffer(104), 1, 103);
  shifted.set(a);
  assert.equal(sameBytes(a, shifted), true, "unaligned view");
  assert.equal(sameBytes(a, a.subarray(0, 102)), false, "length");
});

test("the page's entry is used for the same bytes without instrumenting, and ignored for other bytes", async () => {
  let instrumented = 0;
  const instrument = (bytes: Uint8Array) => (instrumented++, { bytes: bytes.slice(), facts: { functionNames: new Map(), functionImports: [], importedFunctionCount: 0 } });
  const first = await prepareModule(EMPTY_MODULE, instrument);
  assert.deepEqual([first.layer, first.sha256, instrumented], ["none", await sha256Hex(EMPTY_MODULE), 1]);
  const again = await prepareModule(EMPTY_MODULE.slice(), instrument, first);
  assert.deepEqual([again.layer, again.sha256, again.module === first.module, instrumented], ["memory", first.sha256, true, 1]);
  const other = Uint8Array.from([...EMPTY_MODULE, 0x00, 0x01, 0x00]); // plus an empty custom section
  const miss = await prepareModule(other, instrument, first);
  assert.deepEqual([miss.layer, miss.sha256 === first.sha256, instrumented], ["none", false, 2]);
});
