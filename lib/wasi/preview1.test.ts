import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { AuditTrail } from "../audit/trail";
import { GuestMemory } from "../memory";
import { Trap, ProcExit } from "../traps";
import { createWasiContext, type WasiContext } from "./context";
import { Errno } from "./errno";
import { createPreview1Imports, isImplemented, PREVIEW1_FUNCTIONS } from "./preview1";

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

test("an import that is not a preview1 function returns ENOSYS and is audited as an Error", () => {
  const imports = createPreview1Imports(ctx, ["not_a_wasi_call"]);
  assert.equal(imports.not_a_wasi_call?.(3, 0, 0, 0), Errno.NOSYS);
  const last = ctx.audit.entries().at(-1);
  assert.equal(last?.function, "not_a_wasi_call");
  assert.match(last?.outcome ?? "", /^Error\("ENOSYS/);
});

/** Every function of `wasi_snapshot_preview1.witx` (WASI repository, legacy/preview1). */
const WITX_FUNCTIONS = [
  "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
  "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
  "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
  "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
  "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
  "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
  "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept",
  "sock_recv", "sock_send", "sock_shutdown",
];

test("every witx function is implemented, and nothing else", () => {
  assert.deepEqual([...PREVIEW1_FUNCTIONS].sort(), [...WITX_FUNCTIONS].sort());
  for (const name of WITX_FUNCTIONS) assert.ok(isImplemented(name), name);
  assert.equal(isImplemented("toString"), false, "not fooled by Object.prototype");
});

test("proc_exit: a status of 126 or more traps, as in wasmtime", () => {
  assert.throws(() => call("proc_exit", 126), (e: unknown) => e instanceof Trap && /outside of \[0\.\.126\)/.test(e.message));
  assert.throws(() => call("proc_exit", -1), (e: unknown) => e instanceof Trap && /proc_exit\(4294967295\)/.test(e.message));
  assert.throws(() => call("proc_exit", 125), (e: unknown) => e instanceof ProcExit && e.code === 125);
  assert.match(ctx.audit.entries().at(-1)?.outcome ?? "", /^Ok/, "an exit is an Ok record");
});

test("proc_raise is ENOTSUP, sched_yield succeeds", () => {
  const all = createPreview1Imports(ctx, ["proc_raise", "sched_yield"]);
  assert.equal(all.proc_raise?.(6), Errno.NOTSUP);
  assert.equal(all.sched_yield?.(), Errno.SUCCESS);
});

test("sock_*: an open fd is not a socket (ENOTSOCK), a closed one EBADF; memory is not touched", () => {
  const sock = createPreview1Imports(ctx, ["sock_accept", "sock_recv", "sock_send", "sock_shutdown"]);
  const far = 0xffff_fff0;
  assert.equal(sock.sock_accept?.(1, 0, far), Errno.NOTSOCK);
  assert.equal(sock.sock_recv?.(0, far, 1, 0, far, far), Errno.NOTSOCK);
  assert.equal(sock.sock_send?.(2, far, 1, 0, far), Errno.NOTSOCK);
  assert.equal(sock.sock_shutdown?.(1, 3), Errno.NOTSOCK);
  assert.equal(sock.sock_accept?.(9, 0, far), Errno.BADF);
  assert.equal(sock.sock_shutdown?.(9, 3), Errno.BADF);
});

test("an error the preview2 shim throws becomes its errno, not an exception", () => {
  const memory = new GuestMemory();
  memory.attach(wasmMemory);
  const fsCtx = createWasiContext(memory, new AuditTrail("t"), { args: [], env: [], permissions: { read: [], write: ["/w"] } });
  const imports = createPreview1Imports(fsCtx, ["path_remove_directory"]);
  new Uint8Array(wasmMemory.buffer).set(new TextEncoder().encode("missing"), 500);
  // the in-memory adapter throws the string "no-entry"
  assert.equal(imports.path_remove_directory?.(3, 500, 7), Errno.NOENT);
  assert.match(fsCtx.audit.entries().at(-1)?.outcome ?? "", /^Error\("errno 44"\)/);
});

test("stdout lines reach onOutput as they are completed; the partial line waits for the flush", () => {
  const seen: [string, string[]][] = [];
  ctx.onOutput = (stream, lines) => seen.push([stream, lines]);
  const write = (fd: number, text: string) => {
    new Uint8Array(wasmMemory.buffer).set(new TextEncoder().encode(text), 1000);
    view().setUint32(0, 1000, true);
    view().setUint32(4, new TextEncoder().encode(text).length, true);
    return call("fd_write", fd, 0, 1, 64);
  };
  write(1, "one\ntw");
  assert.deepEqual(seen, [["stdout", ["one"]]]);
  write(1, "o\nthree");
  write(2, "err\n");
  assert.deepEqual(seen, [["stdout", ["one"]], ["stdout", ["two"]], ["stderr", ["err"]]]);
  assert.deepEqual(ctx.stdout.drain(true).lines, ["three"], "the end-of-call flush gets the rest");
});

test("fd_write reads the clock once for its audit record and the listener's streaming interval", () => {
  const memory = new GuestMemory();
  memory.attach(wasmMemory);
  const audit = new AuditTrail("t");
  const times: number[] = [];
  const own = createWasiContext(memory, audit, { args: [], env: [], onOutput: (_, __, at) => void times.push(at) });
  const write = createPreview1Imports(own, ["fd_write"]).fd_write as (...a: number[]) => number;
  new Uint8Array(wasmMemory.buffer).set(new TextEncoder().encode("line\n"), 1000);
  view().setUint32(0, 1000, true);
  view().setUint32(4, 5, true);
  // Count the reads: an own property shadows Performance.prototype.now for this test only.
  const readings: number[] = [];
  const real = Performance.prototype.now;
  Object.defineProperty(performance, "now", { configurable: true, value: () => (readings.push(real.call(performance)), readings.at(-1)) });
  try {
    assert.equal(write(1, 0, 1, 64), Errno.SUCCESS);
  } finally {
    delete (performance as { now?: unknown }).now;
  }
  assert.equal(readings.length, 1, "one clock read in the call");
  assert.deepEqual(times, readings, "the listener got that reading");
  assert.equal(audit.entries().length, 1);
  assert.ok(Number.isNaN(own.callTime), "cleared after the call");
});
