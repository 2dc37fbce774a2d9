/**
 * What loading reports when the guest ends early before any hook: `proc_exit` in the start
 * function, a segment that does not fit at instantiation, a misaligned atomic, and a WASI
 * import of the wrong type. Runs the real load path (`ExtensionInstance.load`).
 */

import assert from "node:assert/strict";
import { test } from "node:test";
import { ExtensionInstance } from "./instance";
import { LoadError } from "./load-error";
import { wat, allFeatures } from "./sandbox/test-support";
import { classifyThrown } from "./traps";

const MANIFEST = `[extension]\nname = "probe"\n\n[[hooks]]\nevent = "config.reload"\nhandler = "on_reload"\n`;

async function load(text: string) {
  const bytes = await wat(text, allFeatures);
  return ExtensionInstance.load({ bytes, manifestSource: MANIFEST, env: {}, fileName: "probe.wasm" });
}

async function loadError(text: string): Promise<LoadError> {
  try {
    await load(text);
  } catch (error) {
    if (error instanceof LoadError) return error;
    throw error;
  }
  assert.fail("the module loaded");
}

test("proc_exit in a start function is an exit with its status, not a host trap", async () => {
  const error = await loadError(`(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func $start (call $exit (i32.const 3)))
    (func (export "on_reload"))
    (start $start))`);
  assert.equal(error.stage, "start");
  assert.match(error.message, /^the start function exited with status 3 \(proc_exit\)/);
});

test("a data segment out of bounds at instantiation has its own kind and message", async () => {
  const error = await loadError(`(module (memory (export "memory") 1) (data (i32.const 65535) "ab") (func (export "on_reload")))`);
  assert.equal(error.stage, "instantiate");
  assert.match(error.message, /^instantiation failed \(data_segment_out_of_bounds\): an active data segment does not fit in the memory at instantiation \(data segment/);
});

test("an element segment out of bounds at instantiation is not an indirect call", async () => {
  const error = await loadError(`(module (memory (export "memory") 1) (table 1 funcref) (func $f) (elem (i32.const 1) $f) (func (export "on_reload")))`);
  assert.equal(error.stage, "instantiate");
  assert.match(error.message, /^instantiation failed \(element_segment_out_of_bounds\): an active element segment does not fit in the table at instantiation/);
});

test("a misaligned atomic access is unaligned_atomic, naming the function; an out-of-bounds call_indirect stays indirect_call", async () => {
  const loaded = await load(`(module
    (memory (export "memory") 1 1 shared)
    (table 1 funcref)
    (type $t (func))
    (func $misaligned (export "on_reload") (drop (i32.atomic.load (i32.const 1))))
    (func (export "bad_call") (call_indirect (type $t) (i32.const 5))))`);
  const result = await loaded.call("on_reload");
  assert.equal(result.trap?.kind, "unaligned_atomic");
  assert.match(result.trap?.message ?? "", /^misaligned atomic access in function misaligned \(#0\): the address is not a multiple of the access size/);
  assert.equal((await loaded.call("bad_call")).trap?.kind, "indirect_call");
});

test("classifyThrown strips the engine's instantiate prefix and keeps the engine's words", () => {
  const { kind, message } = classifyThrown(new WebAssembly.RuntimeError("WebAssembly.instantiate(): data segment is out of bounds"));
  assert.deepEqual([kind, message], ["data_segment_out_of_bounds", "an active data segment does not fit in the memory at instantiation (data segment is out of bounds)"]);
});

test("a WASI import with the wrong type fails the load at link, before anything runs", async () => {
  const error = await loadError(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "on_reload")))`);
  assert.equal(error.stage, "link");
  assert.equal(
    error.message,
    '"wasi_snapshot_preview1"."fd_write" is imported as (i32, i32, i32) -> i32, but WASI preview1 declares it (i32, i32, i32, i32) -> i32 (wasi_snapshot_preview1.witx)',
  );
});
