import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkSignatures } from "../load-checks";
import { LoadError } from "../load-error";
import { instrument } from "../sandbox/instrument";
import { wat } from "../sandbox/test-support";
import { PREVIEW1_FUNCTIONS } from "./preview1";
import { PREVIEW1_SIGNATURES, wasiSignatureMismatch } from "./signatures";

const conformance = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "public", "extensions", "conformance");

test("every preview1 function has a witx signature, and nothing else has one", () => {
  assert.deepEqual(Object.keys(PREVIEW1_SIGNATURES).sort(), [...PREVIEW1_FUNCTIONS].sort());
  assert.equal(PREVIEW1_FUNCTIONS.length, 46);
});

test("the imports wasi-libc and Rust's std generate match the table (the compilers' own witx lowering)", () => {
  const binaries = fs.readdirSync(conformance).filter((name) => name.endsWith(".wasm"));
  assert.ok(binaries.some((b) => b.endsWith("-c.wasm")) && binaries.some((b) => b.endsWith("-rs.wasm")), "C and Rust programs are built");
  const seen = new Set<string>();
  for (const binary of binaries) {
    const { facts } = instrument(fs.readFileSync(path.join(conformance, binary)), { fuel: false, memoryCap: false });
    for (const imported of facts.functionImports) {
      if (imported.module !== "wasi_snapshot_preview1") continue;
      assert.equal(wasiSignatureMismatch(imported), undefined, `${binary}: ${imported.name}`);
      seen.add(imported.name);
    }
  }
  assert.ok(seen.size >= 20, `compared ${seen.size} distinct functions`);
});

test("a WASI import with the wrong type is refused at load, naming the import, the witx type and the module's", async () => {
  const bytes = await wat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i32 i32) (result i32))))`);
  const { facts } = instrument(bytes, { fuel: true, memoryCap: false });
  assert.throws(
    () => checkSignatures(facts),
    (error: unknown) =>
      error instanceof LoadError &&
      error.stage === "link" &&
      error.message.includes(
        '"wasi_snapshot_preview1"."clock_time_get" is imported as (i32, i32, i32) -> i32, but WASI preview1 declares it (i32, i64, i32) -> i32 (wasi_snapshot_preview1.witx)',
      ),
  );
});

test("proc_exit returns nothing; a result, or a function the playground does not know, are judged as such", async () => {
  const refused = await wat(`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32) (result i32))))`);
  assert.throws(() => checkSignatures(instrument(refused, { fuel: true, memoryCap: false }).facts), /"proc_exit" is imported as \(i32\) -> i32, but WASI preview1 declares it \(i32\) -> \(\)/);
  const unknown = await wat(`(module (import "wasi_snapshot_preview1" "fd_frobnicate" (func (param i64))))`);
  assert.doesNotThrow(() => checkSignatures(instrument(unknown, { fuel: true, memoryCap: false }).facts), "an unknown name gets the ENOSYS stub");
});
