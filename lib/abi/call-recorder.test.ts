import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AuditTrail } from "../audit/trail";
import { GuestMemory } from "../memory";
import { wat } from "../sandbox/test-support";
import { CallRecorder, RECORDED_BYTES, type RecordOptions } from "./call-recorder";
import { createEnvironment } from "./environment";
import { createHostFunctions, type HostContext } from "./host-functions";
import { LogSink } from "./log-sink";
import { ReturnBuffer } from "./return-buffer";
import { createWasiContext } from "../wasi/context";
import { MAX_IOVEC_REGIONS } from "../wasi/memory-touches";
import { createPreview1Imports, PREVIEW1_MODULE } from "../wasi/preview1";

/** A guest that reads TERM through the ABI, copies it to 0x200 and logs a message. */
const guest = `(module
  (import "env" "ft_get_env" (func $get (param i32 i32) (result i32)))
  (import "env" "ft_return_buffer_read" (func $read (param i32 i32) (result i32)))
  (import "env" "ft_log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x100) "TERM")
  (data (i32.const 0x180) "read it")
  (func (export "on_reload")
    (drop (call $read (i32.const 0x200) (call $get (i32.const 0x100) (i32.const 4))))
    (call $log (i32.const 2) (i32.const 0x180) (i32.const 7))
    (call $log (i32.const 2) (i32.const 0xfff0) (i32.const 0x100))))`;

async function run(options: RecordOptions) {
  const memory = new GuestMemory();
  let clock = 0;
  const audit = new AuditTrail("rec", 100, () => clock / 1000);
  const host: HostContext = {
    memory,
    audit,
    logs: new LogSink(),
    returnBuffer: new ReturnBuffer(),
    env: createEnvironment({ TERM: "xterm-256color" }, ["TERM"]),
  };
  // Each host call takes 10 µs on the test's clock.
  const functions = createHostFunctions(host);
  const recorder = new CallRecorder(options, audit, memory, host.returnBuffer, () => clock);
  const slow = <F extends (...args: never[]) => unknown>(fn: F): F =>
    ((...args: never[]) => {
      clock += 10;
      return fn(...args);
    }) as F;
  const env: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(functions)) env[name] = recorder.wrap("env", name, slow(fn));
  const instance = await WebAssembly.instantiate(await wat(guest), { env: env as WebAssembly.ModuleImports });
  memory.attach(instance.instance.exports.memory as WebAssembly.Memory);
  clock = 100;
  (instance.instance.exports.on_reload as () => void)();
  return { recorder, audit };
}

describe("CallRecorder", () => {
  test("records the bytes each host call read and wrote, at the pointers the guest passed", async () => {
    const { recorder, audit } = await run({ memory: true });
    const calls = recorder.since(0);
    assert.deepEqual(calls.map((c) => [c.function, c.auditSeq, c.auditRecords]), [
      ["ft_get_env", 0, 1],
      ["ft_return_buffer_read", 1, 1],
      ["ft_log", 2, 1],
      ["ft_log", 3, 1],
    ]);
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const [get, read, log, bad] = calls;
    assert.deepEqual(get?.regions?.map((r) => [r.access, r.what, r.ptr, r.length, text(r.bytes), r.outOfBounds]), [["read", "key", 0x100, 4, "TERM", false]]);
    assert.equal(text(get?.returnBuffer?.bytes ?? new Uint8Array()), "xterm-256color");
    assert.equal(get?.returnBuffer?.length, 14);
    assert.deepEqual(read?.regions?.map((r) => [r.access, r.what, r.ptr, r.length, text(r.bytes)]), [["written", "out", 0x200, 14, "xterm-256color"]]);
    assert.equal(read?.returnBuffer, undefined, "reading does not set the buffer");
    assert.equal(text(log?.regions?.[0]?.bytes ?? new Uint8Array()), "read it");
    // 0xfff0 + 0x100 runs past the 64 KiB page: the bytes that exist, flagged.
    assert.deepEqual([bad?.regions?.[0]?.bytes.length, bad?.regions?.[0]?.outOfBounds], [16, true]);
    assert.equal(audit.entries()[3]?.outcome.startsWith("Error"), true);
  });

  test("times each call on the trail's clock and records memory size; no bytes without memory", async () => {
    const { recorder } = await run({ timing: true });
    const calls = recorder.since(0);
    assert.deepEqual(calls.map((c) => [c.startMicros, c.durationMicros, c.memoryBytes]), [
      [100, 10, 65536],
      [110, 10, 65536],
      [120, 10, 65536],
      [130, 10, 65536],
    ]);
    assert.ok(calls.every((c) => c.regions === undefined && c.returnBuffer === undefined));
    assert.deepEqual(recorder.since(2).map((c) => c.auditSeq), [2, 3]);
  });

  test("is inactive with both options off, and keeps at most RECORDED_BYTES of a region", () => {
    const memory = new GuestMemory();
    memory.attach(new WebAssembly.Memory({ initial: 1 }));
    const audit = new AuditTrail("x");
    const host: HostContext = { memory, audit, logs: new LogSink(), returnBuffer: new ReturnBuffer(), env: createEnvironment({}, []) };
    assert.equal(new CallRecorder({}, audit, memory, host.returnBuffer, () => 0).active, false);
    const recorder = new CallRecorder({ memory: true }, audit, memory, host.returnBuffer, () => 0);
    recorder.wrap("env", "ft_log", createHostFunctions(host).ft_log)(2, 0, 5000);
    const region = recorder.since(0)[0]?.regions?.[0];
    assert.deepEqual([region?.length, region?.bytes.length, region?.outOfBounds], [5000, RECORDED_BYTES, false]);
  });

  test("records the witx's ranges of WASI calls: iovecs and their buffers, results written on success only", async () => {
    const memory = new GuestMemory();
    const audit = new AuditTrail("wasi");
    const ctx = createWasiContext(memory, audit, { args: ["t.wasm"], env: [], wait: "block" });
    const recorder = new CallRecorder({ memory: true }, audit, memory, new ReturnBuffer(), () => 0);
    const names = ["fd_write", "clock_time_get", "random_get"];
    const wasi = createPreview1Imports(ctx, names) as Record<string, (...a: never[]) => unknown>;
    const imports: Record<string, unknown> = {};
    for (const name of names) imports[name] = recorder.wrap(PREVIEW1_MODULE, name, wasi[name] as (...a: never[]) => unknown);
    // Two iovecs at 0x10 ("he", "llo\n" at 0x100 and 0x102), nwritten at 0x20; then fd 9 (EBADF).
    const instance = await WebAssembly.instantiate(
      await wat(`(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_time_get" (func $c (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 0x10) "\\00\\01\\00\\00\\02\\00\\00\\00\\02\\01\\00\\00\\04\\00\\00\\00")
        (data (i32.const 0x100) "hello\\n")
        (func (export "go")
          (drop (call $w (i32.const 1) (i32.const 0x10) (i32.const 2) (i32.const 0x20)))
          (drop (call $w (i32.const 9) (i32.const 0x10) (i32.const 2) (i32.const 0x24)))
          (drop (call $c (i32.const 1) (i64.const 1000) (i32.const 0x40)))
          (drop (call $r (i32.const 0x50) (i32.const 16)))))`),
      { [PREVIEW1_MODULE]: imports as WebAssembly.ModuleImports },
    );
    memory.attach(instance.instance.exports.memory as WebAssembly.Memory);
    (instance.instance.exports.go as () => void)();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const [ok, bad, clock, random] = recorder.since(0);
    assert.deepEqual(ok?.regions?.map((r) => [r.access, r.what, r.ptr, r.length]), [
      ["read", "iovs", 0x10, 16],
      ["read", "buf 0", 0x100, 2],
      ["read", "buf 1", 0x102, 4],
      ["written", "nwritten", 0x20, 4],
    ]);
    assert.deepEqual(ok?.regions?.slice(1, 3).map((r) => text(r.bytes)), ["he", "llo\n"]);
    assert.deepEqual([...(ok?.regions?.[3]?.bytes ?? [])], [6, 0, 0, 0]);
    assert.deepEqual(bad?.regions?.map((r) => r.what), ["iovs", "buf 0", "buf 1"], "EBADF: nothing written");
    assert.deepEqual(clock?.regions?.map((r) => [r.access, r.what, r.ptr, r.length]), [["written", "time", 0x40, 8]]);
    assert.deepEqual(random?.regions?.map((r) => [r.access, r.what, r.ptr, r.length]), [["written", "buf", 0x50, 16]]);
    assert.ok(random?.regions?.[0]?.bytes.some((b) => b !== 0));
  });

  test("describes at most MAX_IOVEC_REGIONS buffers of an fd_write, even for an iovs_len past memory", async () => {
    const memory = new GuestMemory();
    const audit = new AuditTrail("wasi");
    const ctx = createWasiContext(memory, audit, { args: ["t.wasm"], env: [], wait: "block" });
    const recorder = new CallRecorder({ memory: true }, audit, memory, new ReturnBuffer(), () => 0);
    const write = recorder.wrap(PREVIEW1_MODULE, "fd_write", createPreview1Imports(ctx, ["fd_write"]).fd_write as (...a: number[]) => number);
    memory.attach(new WebAssembly.Memory({ initial: 1 }));
    // 2^28 iovecs from offset 0: the call traps (the array runs past memory); the record stays small.
    assert.throws(() => write(1, 0, 0x1000_0000, 16));
    const [call] = recorder.since(0);
    assert.equal(call?.regions?.[0]?.what, "iovs");
    assert.equal(call?.regions?.[0]?.outOfBounds, true);
    assert.equal((call?.regions?.length ?? 0) - 1, MAX_IOVEC_REGIONS);
  });
});
