import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { AuditTrail } from "../audit/trail";
import { GuestMemory } from "../memory";
import { Trap, ProcExit } from "../traps";
import { createWasiContext, type WasiContext } from "./context";
import { Errno } from "./errno";
import { createPreview1Imports } from "./preview1";

let wasmMemory: WebAssembly.Memory;
let ctx: WasiContext;
let wasi: ReturnType<typeof createPreview1Imports>;
const call = (name: string, ...args: (number | bigint)[]) => wasi[name]?.(...args);
const view = () => new DataView(wasmMemory.buffer);

beforeEach(() => {
  wasmMemory = new WebAssembly.Memory({ initial: 1 });
  const memory = new GuestMemory();
  memory.attach(wasmMemory);
  ctx = createWasiContext(memory, new AuditTrail("t"), { args: ["ext.wasm", "-v"], env: [["TERM", "xterm"]] });
  wasi = createPreview1Imports(ctx, [
    "args_sizes_get", "args_get", "environ_sizes_get", "environ_get", "fd_write", "fd_fdstat_get",
    "fd_prestat_get", "clock_time_get", "random_get", "proc_exit", "path_open",
  ]);
});

test("args and environ are laid out as NUL-terminated strings with a pointer array", () => {
  assert.equal(call("args_sizes_get", 0, 4), Errno.SUCCESS);
  assert.deepEqual([view().getUint32(0, true), view().getUint32(4, true)], [2, 12]);
  assert.equal(call("args_get", 100, 200), Errno.SUCCESS);
  assert.deepEqual([view().getUint32(100, true), view().getUint32(104, true)], [200, 209]);
  assert.equal(new TextDecoder().decode(new Uint8Array(wasmMemory.buffer, 200, 12)), "ext.wasm\0-v\0");
  assert.equal(call("environ_sizes_get", 0, 4), Errno.SUCCESS);
  assert.deepEqual([view().getUint32(0, true), view().getUint32(4, true)], [1, 11]);
});

test("fd_write gathers iovecs to stdout, reports the count, and rejects other fds with EBADF", () => {
  const text = new TextEncoder().encode("hello\nwor");
  new Uint8Array(wasmMemory.buffer).set(text, 1000);
  view().setUint32(0, 1000, true);
  view().setUint32(4, 6, true);
  view().setUint32(8, 1006, true);
  view().setUint32(12, 3, true);
  assert.equal(call("fd_write", 1, 0, 2, 64), Errno.SUCCESS);
  assert.equal(view().getUint32(64, true), 9);
  assert.deepEqual(ctx.stdout.drain(true).lines, ["hello", "wor"]);
  assert.equal(call("fd_write", 7, 0, 2, 64), Errno.BADF);
  assert.equal(call("fd_write", 1, 0, 0, 64), Errno.SUCCESS);
  assert.equal(view().getUint32(64, true), 0);
});

test("an iovec pointing past memory traps, as the spec requires", () => {
  view().setUint32(0, 65530, true);
  view().setUint32(4, 100, true);
  assert.throws(() => call("fd_write", 1, 0, 1, 64), (e: unknown) => e instanceof Trap && e.kind === "memory_out_of_bounds" && /fd_write/.test(e.message));
});

test("fd_prestat_get says EBADF (no preopens), fd_fdstat_get describes stdio", () => {
  assert.equal(call("fd_prestat_get", 3, 0), Errno.BADF);
  assert.equal(call("fd_fdstat_get", 1, 0), Errno.SUCCESS);
  assert.equal(view().getUint8(0), 2);
  assert.equal(call("fd_fdstat_get", 5, 0), Errno.BADF);
});

test("clock_time_get writes nanoseconds; CPU clocks are EBADF", () => {
  assert.equal(call("clock_time_get", 0, 1n, 8), Errno.SUCCESS);
  const realtime = view().getBigUint64(8, true);
  assert.ok(realtime > 1_600_000_000_000_000_000n, `realtime ${realtime}`);
  assert.equal(call("clock_time_get", 2, 1n, 8), Errno.BADF);
  assert.equal(call("clock_time_get", 9, 1n, 8), Errno.INVAL);
});

test("random_get fills the buffer", () => {
  assert.equal(call("random_get", 0, 64), Errno.SUCCESS);
  assert.ok(new Uint8Array(wasmMemory.buffer, 0, 64).some((b) => b !== 0));
});

test("proc_exit throws ProcExit with the status", () => {
  assert.throws(() => call("proc_exit", 3), (e: unknown) => e instanceof ProcExit && e.code === 3);
});

test("an unimplemented import returns ENOSYS and is audited as an Error", () => {
  assert.equal(call("path_open", 3, 0, 0, 0), Errno.NOSYS);
  const last = ctx.audit.entries().at(-1);
  assert.equal(last?.function, "path_open");
  assert.match(last?.outcome ?? "", /^Error\("ENOSYS/);
});
