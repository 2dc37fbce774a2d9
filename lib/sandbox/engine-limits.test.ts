import assert from "node:assert/strict";
import { test } from "node:test";
import { BinaryWriter } from "./binary-writer";
import { checkCounts, ENGINE_LIMITS } from "./engine-limits";
import { instrument, WasmFormatError } from "./instrument";
import { engineReadsMemoryIndexAsLeb } from "./memory-cap";
import { moduleFromSections } from "./test-support";

/** `vec(entry)` of `count` copies of `entry`. */
function repeated(count: number, entry: readonly number[]): Uint8Array {
  const writer = new BinaryWriter(count * entry.length + 8).u32(count);
  const bytes = Uint8Array.from(entry);
  for (let i = 0; i < count; i++) writer.bytes(bytes);
  return writer.finish();
}

function refusal(bytes: Uint8Array, options = { fuel: true, memoryCap: true }): WasmFormatError {
  try {
    instrument(bytes, options);
  } catch (error) {
    if (error instanceof WasmFormatError) return error;
    throw error;
  }
  assert.fail("instrumented without complaint");
}

test("a function body the fuel checks would grow past the engine's 7,654,321 bytes is refused, naming both sizes", () => {
  // (func (param i32) (block (local.get 0) (br_if 0) … )), 800,000 times: 3.2 MB of br_if,
  // each followed by a region's charge (7 bytes: the fuel is a local, see fuel.ts)
  const pairs = 800_000;
  const body = new BinaryWriter(pairs * 4 + 16).byte(0x00).byte(0x02).byte(0x40);
  for (let i = 0; i < pairs; i++) body.bytes([0x20, 0x00, 0x0d, 0x00]);
  const entry = body.byte(0x0b).byte(0x0b).finish();
  const bytes = moduleFromSections([
    [1, [0x01, 0x60, 0x01, 0x7f, 0x00]],
    [3, [0x01, 0x00]],
    [10, new BinaryWriter().u32(1).u32(entry.length).bytes(entry).finish()],
  ]);
  assert.ok(WebAssembly.validate(bytes), "the original is within the engine's limits");
  const error = refusal(bytes);
  assert.equal(error.unsupported, true);
  assert.match(
    error.message,
    /^section 10 \(code\), function 0 at offset 0x\w+: instrumented, this function's body would be [\d,]+ bytes \(3,200,00\d before\), more than the engine's limit of 7,654,321 bytes per function body/,
  );
  assert.doesNotThrow(() => instrument(bytes, { fuel: false, memoryCap: true }), "without fuel the body does not grow");
});

test("100,000 exports plus the sandbox's own pass the engine's export limit: refused, naming it", () => {
  const exports = new BinaryWriter().u32(ENGINE_LIMITS.exports);
  for (let i = 0; i < ENGINE_LIMITS.exports; i++) exports.name(`e${i}`).byte(0x00).u32(0);
  const bytes = moduleFromSections([
    [1, [0x01, 0x60, 0x00, 0x00]],
    [3, [0x01, 0x00]],
    [7, exports.finish()],
    [10, [0x01, 0x02, 0x00, 0x0b]],
  ]);
  assert.ok(WebAssembly.validate(bytes));
  assert.equal(
    refusal(bytes).message,
    "module at offset 0x8: the module has 100,000 exports; the sandbox adds 1, which passes the engine's limit of 100,000 exports (WebAssembly JS API limits)",
  );
});

test("1,000,000 types plus the helper's type pass the type limit: refused, naming it", () => {
  // memory.grow makes the memory cap add __ft_grow, and with it one type
  const bytes = moduleFromSections([
    [1, repeated(ENGINE_LIMITS.types, [0x60, 0x00, 0x00])],
    [3, [0x01, 0x00]],
    [5, [0x01, 0x00, 0x01]],
    [10, [0x01, 0x07, 0x00, 0x41, 0x01, 0x40, 0x00, 0x1a, 0x0b]],
  ]);
  assert.ok(WebAssembly.validate(bytes));
  assert.match(refusal(bytes).message, /the module has 1,000,000 types; the sandbox adds 1, which passes the engine's limit of 1,000,000 types/);
});

test("a start function with parameters or results is refused, as the engine refuses it", () => {
  const withStart = (type: number[], body: number[], imports: number[] = []) =>
    moduleFromSections([
      [1, [0x01, 0x60, ...type]],
      ...(imports.length ? [[2, imports] as const] : []),
      ...(imports.length ? [] : [[3, [0x01, 0x00]] as const]),
      [8, [0x00]],
      ...(imports.length ? [] : [[10, [0x01, body.length + 2, 0x00, ...body, 0x0b]] as const]),
    ]);
  const cases: [Uint8Array<ArrayBuffer>, RegExp][] = [
    [withStart([0x01, 0x7f, 0x00], []), /the start function #0 has type \(i32\) -> \(\), but a start function must take and return nothing$/],
    [withStart([0x00, 0x01, 0x7f], [0x41, 0x00]), /the start function #0 has type \(\) -> i32, but/],
    // (import "env" "f" (func (param i64))) as the start function
    [withStart([0x01, 0x7e, 0x00], [], [0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00]), /the start function #0 has type \(i64\) -> \(\)/],
  ];
  for (const [bytes, message] of cases) {
    assert.equal(WebAssembly.validate(bytes), false, "the engine refuses it");
    const error = refusal(bytes);
    assert.match(error.message, /^section 8 \(start\) at offset 0x\w+: /);
    assert.match(error.message, message);
  }
  assert.doesNotThrow(() => instrument(withStart([0x00, 0x00], []), { fuel: true, memoryCap: true }), "() -> () is fine");
});

test("memory.grow with a padded memory index is instrumented exactly when the engine accepts it", () => {
  // (func (result i32) (memory.grow (i32.const 1))) with the index as 0x80 0x00
  const padded = moduleFromSections([
    [1, [0x01, 0x60, 0x00, 0x01, 0x7f]],
    [3, [0x01, 0x00]],
    [5, [0x01, 0x00, 0x01]],
    [10, [0x01, 0x07, 0x00, 0x41, 0x01, 0x40, 0x80, 0x00, 0x0b]],
  ]);
  const engine = WebAssembly.validate(padded);
  assert.equal(engineReadsMemoryIndexAsLeb(), engine);
  if (engine) {
    assert.ok(WebAssembly.validate(instrument(padded, { fuel: true, memoryCap: true }).bytes));
  } else {
    assert.match(refusal(padded).message, /memory\.grow's memory index takes 2 bytes \(a padded LEB\); this engine accepts only the single byte 0x00 there/);
  }
  assert.doesNotThrow(() => instrument(padded, { fuel: true, memoryCap: false }), "not rewritten without the cap: copied as it is, the engine judges it");
});

test("every count limit is checked: functions and globals as well as types and exports", () => {
  const at = { types: 1, functions: ENGINE_LIMITS.functions, globals: 10, exports: 1 };
  assert.throws(
    () => checkCounts(at, { ...at, functions: at.functions + 2 }),
    /the module has 1,000,000 functions; the sandbox adds 2, which passes the engine's limit of 1,000,000 functions/,
  );
  const globals = { ...at, functions: 5, globals: ENGINE_LIMITS.globals - 1 };
  assert.throws(() => checkCounts(globals, { ...globals, globals: globals.globals + 3 }), /the module has 999,999 globals; the sandbox adds 3/);
  assert.doesNotThrow(() => checkCounts(globals, { ...globals, globals: ENGINE_LIMITS.globals }), "exactly at the limit is fine");
});
