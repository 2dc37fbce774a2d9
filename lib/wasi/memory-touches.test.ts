/**
 * The ranges "record memory" shows for WASI calls (`memory-touches.ts`), checked against what
 * the calls really did: guests (WAT, and the C/Rust conformance programs) linked by
 * `lib/link.ts` with a {@link CallRecorder}, as `lib/instance.ts` does, then the recorded
 * ranges compared with the errnos the guest got and the bytes in its memory. Only the bound
 * on guest-controlled counts is checked on hand-made arguments too: no real call can succeed
 * with a billion iovecs.
 */

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { CallRecorder, type HostCallRecord, type MemoryRegion } from "../abi/call-recorder";
import { createEnvironment } from "../abi/environment";
import type { HostContext } from "../abi/host-functions";
import { LogSink } from "../abi/log-sink";
import { ReturnBuffer } from "../abi/return-buffer";
import { AuditTrail } from "../audit/trail";
import { link } from "../link";
import { parseManifest } from "../manifest/parse";
import { GuestMemory } from "../memory";
import { wat } from "../sandbox/test-support";
import { ProcExit, Trap } from "../traps";
import { createWasiContext, type WasiOptions } from "./context";
import { Errno } from "./errno";
import { MAX_IOVEC_REGIONS, WASI_TOUCHES } from "./memory-touches";
import { PREVIEW1_MODULE } from "./preview1";
import { PREVIEW1_SIGNATURES } from "./signatures";
import { READ_WRITE_RIGHTS } from "./test-support";
import { Layout } from "./witx";

/** Where the WAT guests store the errno of their n-th call (u32 each). */
const ERRNOS = 0xf000;
const WORK = { files: { "/work/a.txt": "hello" }, permissions: { read: [], write: ["/work"] } } satisfies Partial<WasiOptions>;
const conformanceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "public", "extensions", "conformance");

interface Run {
  /** The recorded calls, oldest first. */
  calls: HostCallRecord[];
  /** The errno of each of the guest's calls (WAT guests only). */
  errnos: number[];
  view: DataView;
  /** What `entry` threw, other than `proc_exit(0)`. */
  thrown?: unknown;
}

/**
 * Links `module` as the playground does (every import through the recorder, with the WASI
 * context), optionally lets `setup` lay out memory, then runs `entry`.
 */
async function record(module: WebAssembly.Module, options: Partial<WasiOptions>, entry: string, setup?: (view: DataView) => void): Promise<Omit<Run, "errnos">> {
  const memory = new GuestMemory();
  const audit = new AuditTrail("touches");
  const wasi = createWasiContext(memory, audit, { args: ["t.wasm"], env: [], wait: "block", ...options });
  const returnBuffer = new ReturnBuffer();
  const host: HostContext = { memory, audit, logs: new LogSink(), returnBuffer, env: createEnvironment({}, []) };
  const recorder = new CallRecorder({ memory: true }, audit, memory, returnBuffer, () => 0, wasi);
  const { imports } = link(module, host, wasi, undefined, recorder);
  const instance = new WebAssembly.Instance(module, imports);
  memory.attach(instance.exports.memory as WebAssembly.Memory);
  setup?.(memory.view());
  let thrown: unknown;
  try {
    (instance.exports[entry] as () => void)();
  } catch (error) {
    if (!(error instanceof ProcExit && error.code === 0)) thrown = error;
  }
  return { calls: recorder.since(0), view: memory.view(), ...(thrown === undefined ? {} : { thrown }) };
}

/**
 * A one-page WAT guest importing `names` (their witx signatures) whose `go` runs each of
 * `calls` (WAT expressions) and stores its errno at {@link ERRNOS} + 4 × its index.
 */
async function guest(names: string[], calls: string[], options: Partial<WasiOptions> = {}, data = "", setup?: (view: DataView) => void): Promise<Run> {
  const imports = names.map((name) => {
    const signature = PREVIEW1_SIGNATURES[name];
    assert.ok(signature, name);
    return `(import "${PREVIEW1_MODULE}" "${name}" (func $${name} (param ${signature.params.join(" ")}) (result i32)))`;
  });
  const body = calls.map((call, i) => `(i32.store (i32.const ${ERRNOS + i * 4}) ${call})`);
  const text = `(module ${imports.join("\n")} (memory (export "memory") 1) ${data} (func (export "go") ${body.join("\n")}))`;
  const run = await record(await WebAssembly.compile(await wat(text)), options, "go", setup);
  assert.equal(run.thrown, undefined);
  return { ...run, errnos: calls.map((_, i) => run.view.getUint32(ERRNOS + i * 4, true)) };
}

/** A built conformance program, run through `_start`. */
async function conformance(name: string, options: Partial<WasiOptions>): Promise<Omit<Run, "errnos">> {
  const wasm = path.join(conformanceDir, `${name}.wasm`);
  assert.ok(fs.existsSync(wasm), `${wasm} is missing: run \`npx tsx scripts/build-extensions.ts\` first`);
  const manifest = parseManifest(fs.readFileSync(path.join(conformanceDir, `${name}.toml`), "utf8"));
  const permissions = { read: manifest.permissions.filesystemRead, write: manifest.permissions.filesystemWrite };
  const run = await record(await WebAssembly.compile(fs.readFileSync(wasm)), { args: [`${name}.wasm`], permissions, ...options }, "_start");
  assert.equal(run.thrown, undefined, `${name} exits 0`);
  return run;
}

/** `[access, what, ptr, length]` of each region. */
const shape = (call: HostCallRecord | undefined) => call?.regions?.map((r) => [r.access, r.what, r.ptr, r.length]);
const text = (region: MemoryRegion | undefined) => new TextDecoder().decode(region?.bytes);
const u32s = (region: MemoryRegion | undefined) => {
  const bytes = region?.bytes ?? new Uint8Array();
  return Array.from({ length: bytes.length / 4 }, (_, i) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(i * 4, true));
};
/** A little-endian `u32` as a WAT data string. */
const le32 = (n: number) => [0, 8, 16, 24].map((shift) => `\\${((n >>> shift) & 0xff).toString(16).padStart(2, "0")}`).join("");
/** An iovec array as a WAT data string. */
const iovecs = (...buffers: [number, number][]) => buffers.map(([buf, len]) => le32(buf) + le32(len)).join("");
const rights = `(i64.const ${READ_WRITE_RIGHTS})`;
/** `path_open` below the preopen (fd 3), following symlinks, read-write rights. */
const open = (pathPtr: number, pathLen: number, fdPtr: number) =>
  `(call $path_open (i32.const 3) (i32.const 1) (i32.const ${pathPtr}) (i32.const ${pathLen}) (i32.const 0) ${rights} ${rights} (i32.const 0) (i32.const ${fdPtr}))`;

describe("WASI memory touches", () => {
  test("fd_read scatters: the iovec array read, and on success only the bytes read written, buffer by buffer", async () => {
    // iovecs at 0x10: 3 bytes at 0x100, 8 at 0x200; "a.txt" holds 5 bytes; then fd 9 (EBADF).
    const run = await guest(
      ["path_open", "fd_read"],
      [open(0x300, 5, 0x30), "(call $fd_read (i32.load (i32.const 0x30)) (i32.const 0x10) (i32.const 2) (i32.const 0x20))", "(call $fd_read (i32.const 9) (i32.const 0x10) (i32.const 2) (i32.const 0x24))"],
      WORK,
      `(data (i32.const 0x10) "${iovecs([0x100, 3], [0x200, 8])}") (data (i32.const 0x300) "a.txt")`,
    );
    assert.deepEqual(run.errnos, [Errno.SUCCESS, Errno.SUCCESS, Errno.BADF]);
    const [, ok, bad] = run.calls;
    assert.deepEqual(shape(ok), [
      ["read", "iovs", 0x10, 16],
      ["written", "buf 0", 0x100, 3],
      ["written", "buf 1", 0x200, 2],
      ["written", "nread", 0x20, 4],
    ]);
    assert.deepEqual([text(ok?.regions?.[1]), text(ok?.regions?.[2]), u32s(ok?.regions?.[3])], ["hel", "lo", [5]]);
    assert.deepEqual(shape(bad), [["read", "iovs", 0x10, 16]], "EBADF: nothing written");
  });

  test("fd_pwrite and fd_pread: iovs, iovs_len and the result pointer around the u64 offset", async () => {
    // Writes "XY" at offset 1 of "hello", then reads the file from offset 0 into 16 bytes at 0x500.
    const fd = "(i32.load (i32.const 0x30))";
    const run = await guest(
      ["path_open", "fd_pwrite", "fd_pread"],
      [open(0x300, 5, 0x30), `(call $fd_pwrite ${fd} (i32.const 0x40) (i32.const 1) (i64.const 1) (i32.const 0x48))`, `(call $fd_pread ${fd} (i32.const 0x50) (i32.const 1) (i64.const 0) (i32.const 0x58))`],
      WORK,
      `(data (i32.const 0x40) "${iovecs([0x400, 2])}") (data (i32.const 0x50) "${iovecs([0x500, 16])}") (data (i32.const 0x300) "a.txt") (data (i32.const 0x400) "XY")`,
    );
    assert.deepEqual(run.errnos, [Errno.SUCCESS, Errno.SUCCESS, Errno.SUCCESS]);
    const [, pwrite, pread] = run.calls;
    assert.deepEqual(shape(pwrite), [
      ["read", "iovs", 0x40, 8],
      ["read", "buf 0", 0x400, 2],
      ["written", "nwritten", 0x48, 4],
    ]);
    assert.deepEqual([text(pwrite?.regions?.[1]), u32s(pwrite?.regions?.[2])], ["XY", [2]]);
    assert.deepEqual(shape(pread), [
      ["read", "iovs", 0x50, 8],
      ["written", "buf 0", 0x500, 5],
      ["written", "nread", 0x58, 4],
    ]);
    assert.deepEqual([text(pread?.regions?.[1]), u32s(pread?.regions?.[2])], ["hXYlo", [5]]);
  });

  test("path_open: the path read whatever the outcome; the fd written on success, nothing on an errno", async () => {
    const run = await guest(["path_open"], [open(0x300, 5, 0x30), open(0x310, 11, 0x34)], WORK, `(data (i32.const 0x300) "a.txt") (data (i32.const 0x310) "missing.txt")`);
    assert.deepEqual(run.errnos, [Errno.SUCCESS, Errno.NOENT]);
    const [ok, missing] = run.calls;
    assert.deepEqual(shape(ok), [
      ["read", "path", 0x300, 5],
      ["written", "fd", 0x30, 4],
    ]);
    assert.deepEqual([text(ok?.regions?.[0]), u32s(ok?.regions?.[1])], ["a.txt", [4]]);
    assert.deepEqual(shape(missing), [["read", "path", 0x310, 11]]);
    assert.equal(text(missing?.regions?.[0]), "missing.txt");
    assert.equal(run.view.getUint32(0x34, true), 0, "the host wrote no fd");
  });

  test("fd_readdir and path_readlink: the buffer written up to bufused, as the call left it in memory", async () => {
    // A link "link" → "a.txt"; the listing is ".", "..", "a.txt", "link": 4 dirents of 24 bytes and 1 + 2 + 5 + 4 name bytes.
    const run = await guest(
      ["path_symlink", "fd_readdir", "path_readlink"],
      [
        "(call $path_symlink (i32.const 0x300) (i32.const 5) (i32.const 3) (i32.const 0x310) (i32.const 4))",
        "(call $fd_readdir (i32.const 3) (i32.const 0x400) (i32.const 256) (i64.const 0) (i32.const 0x80))",
        "(call $fd_readdir (i32.const 9) (i32.const 0x400) (i32.const 256) (i64.const 0) (i32.const 0x84))",
        "(call $path_readlink (i32.const 3) (i32.const 0x310) (i32.const 4) (i32.const 0x600) (i32.const 16) (i32.const 0x88))",
        "(call $path_readlink (i32.const 3) (i32.const 0x300) (i32.const 5) (i32.const 0x600) (i32.const 16) (i32.const 0x8c))",
      ],
      WORK,
      `(data (i32.const 0x300) "a.txt") (data (i32.const 0x310) "link")`,
    );
    assert.deepEqual(run.errnos, [Errno.SUCCESS, Errno.SUCCESS, Errno.BADF, Errno.SUCCESS, Errno.INVAL]);
    const [symlink, readdir, badDir, readlink, notLink] = run.calls;
    assert.deepEqual(shape(symlink), [
      ["read", "old_path", 0x300, 5],
      ["read", "new_path", 0x310, 4],
    ]);
    const listed = 4 * Layout.DIRENT_SIZE + 12;
    assert.deepEqual(shape(readdir), [
      ["written", "buf", 0x400, listed],
      ["written", "bufused", 0x80, 4],
    ]);
    assert.deepEqual(u32s(readdir?.regions?.[1]), [listed]);
    assert.equal(text(readdir?.regions?.[0]).slice(-4), "link", "the buffer ends with the last name");
    assert.deepEqual(shape(badDir), []);
    assert.deepEqual(shape(readlink), [
      ["read", "path", 0x310, 4],
      ["written", "buf", 0x600, 5],
      ["written", "bufused", 0x88, 4],
    ]);
    assert.deepEqual([text(readlink?.regions?.[1]), u32s(readlink?.regions?.[2])], ["a.txt", [5]]);
    assert.deepEqual(shape(notLink), [["read", "path", 0x300, 5]], "EINVAL: nothing written");
  });

  test("poll_oneoff: nsubscriptions × 48 bytes read, nevents × 32 written", async () => {
    // A clock that has fired (timeout 0), one an hour away, and stdin readable: 2 events of 3.
    const subscriptions = 0x100;
    const run = await guest(["poll_oneoff"], [`(call $poll_oneoff (i32.const ${subscriptions}) (i32.const 0x400) (i32.const 3) (i32.const 0x80))`], { stdin: new Uint8Array([1, 2]) }, "", (view) => {
      const sub = (i: number) => subscriptions + i * Layout.SUBSCRIPTION_SIZE;
      view.setUint8(sub(0) + 8, 0); // eventtype clock, clock id realtime (0), timeout 0
      view.setUint8(sub(1) + 8, 0);
      view.setUint32(sub(1) + 16, 1, true); // monotonic
      view.setBigUint64(sub(1) + 24, 3600n * 1_000_000_000n, true);
      view.setUint8(sub(2) + 8, 1); // eventtype fd_read, fd 0
    });
    assert.deepEqual(run.errnos, [Errno.SUCCESS]);
    const [poll] = run.calls;
    assert.deepEqual(shape(poll), [
      ["read", "subscriptions", subscriptions, 3 * Layout.SUBSCRIPTION_SIZE],
      ["written", "events", 0x400, 2 * Layout.EVENT_SIZE],
      ["written", "nevents", 0x80, 4],
    ]);
    assert.deepEqual(u32s(poll?.regions?.[2]), [2]);
  });

  test("fd_prestat_get and fd_prestat_dir_name: the prestat and the name written on success only", async () => {
    const run = await guest(
      ["fd_prestat_get", "fd_prestat_dir_name"],
      ["(call $fd_prestat_get (i32.const 3) (i32.const 0x80))", "(call $fd_prestat_dir_name (i32.const 3) (i32.const 0x100) (i32.const 5))", "(call $fd_prestat_dir_name (i32.const 9) (i32.const 0x200) (i32.const 5))"],
      WORK,
    );
    assert.deepEqual(run.errnos, [Errno.SUCCESS, Errno.SUCCESS, Errno.BADF]);
    const [prestat, name, bad] = run.calls;
    assert.deepEqual(shape(prestat), [["written", "prestat", 0x80, Layout.PRESTAT_SIZE]]);
    assert.deepEqual(u32s(prestat?.regions?.[0]), [0, 5], "preopentype dir, name length 5");
    assert.deepEqual(shape(name), [["written", "path", 0x100, 5]]);
    assert.equal(text(name?.regions?.[0]), "/work");
    assert.deepEqual(shape(bad), []);
  });

  test("args_get and environ_get: count × 4 bytes of pointers and the NUL-terminated strings, as *_sizes_get reported", async () => {
    const run = await guest(
      ["args_sizes_get", "args_get", "environ_sizes_get", "environ_get"],
      ["(call $args_sizes_get (i32.const 0x10) (i32.const 0x14))", "(call $args_get (i32.const 0x100) (i32.const 0x200))", "(call $environ_sizes_get (i32.const 0x18) (i32.const 0x1c))", "(call $environ_get (i32.const 0x300) (i32.const 0x400))"],
      { args: ["t.wasm", "-v"], env: [["A", "1"], ["TERM", "xterm"]] },
    );
    assert.deepEqual(run.errnos, [0, 0, 0, 0]);
    const [argsSizes, args, environSizes, environ] = run.calls;
    assert.deepEqual(shape(args), [
      ["written", "argv", 0x100, 2 * 4],
      ["written", "argv_buf", 0x200, 10],
    ]);
    assert.deepEqual(u32s(args?.regions?.[0]), [0x200, 0x207]);
    assert.equal(text(args?.regions?.[1]), "t.wasm\0-v\0");
    assert.deepEqual(shape(environ), [
      ["written", "environ", 0x300, 2 * 4],
      ["written", "environ_buf", 0x400, 15],
    ]);
    assert.deepEqual(u32s(environ?.regions?.[0]), [0x400, 0x404]);
    assert.equal(text(environ?.regions?.[1]), "A=1\0TERM=xterm\0");
    // The lengths are the ones the guest was told.
    assert.deepEqual(u32s(argsSizes?.regions?.[0]).concat(u32s(argsSizes?.regions?.[1])), [2, 10]);
    assert.deepEqual(u32s(environSizes?.regions?.[0]).concat(u32s(environSizes?.regions?.[1])), [2, 15]);
  });

  test("args_get and environ_get of a real C program (wasi-libc's start-up)", async () => {
    const env = createEnvironment({ CONFORMANCE_GREETING: "hello", TERM: "xterm-256color", HOME: "/home/user" }, ["TERM", "CONFORMANCE_*"]).permitted();
    const { calls } = await conformance("args-env-c", { env });
    const args = calls.find((c) => c.function === "args_get");
    const environ = calls.find((c) => c.function === "environ_get");
    assert.deepEqual(shape(args), [
      ["written", "argv", args?.regions?.[0]?.ptr, 4],
      ["written", "argv_buf", args?.regions?.[1]?.ptr, 16],
    ]);
    assert.deepEqual(u32s(args?.regions?.[0]), [args?.regions?.[1]?.ptr]);
    assert.equal(text(args?.regions?.[1]), "args-env-c.wasm\0");
    const buf = environ?.regions?.[1];
    assert.equal(text(buf), "CONFORMANCE_GREETING=hello\0TERM=xterm-256color\0");
    assert.deepEqual(u32s(environ?.regions?.[0]), [buf?.ptr, (buf?.ptr ?? 0) + 27], "each pointer at its string in environ_buf");
    assert.deepEqual(
      calls.filter((c) => c.function === "environ_get" || c.function === "args_get").flatMap((c) => c.regions?.map((r) => r.outOfBounds)),
      [false, false, false, false],
    );
  });

  test("fd_read and fd_readdir of real programs: the written bytes are the ones read, the length bufused", async () => {
    const stdin = "line one\nline two ✓\n";
    const reader = await conformance("stdin-c", { stdin: new TextEncoder().encode(stdin) });
    const reads = reader.calls.filter((c) => c.function === "fd_read");
    assert.ok(reads.length > 0);
    for (const call of reads) {
      const nread = u32s(call.regions?.find((r) => r.what === "nread"));
      const buffers = call.regions?.filter((r) => r.what.startsWith("buf ")) ?? [];
      assert.deepEqual([buffers.reduce((sum, r) => sum + r.length, 0)], nread, "the buffers hold nread bytes");
    }
    const got = reads.flatMap((c) => c.regions?.filter((r) => r.what.startsWith("buf ")).flatMap((r) => [...r.bytes]) ?? []);
    assert.equal(new TextDecoder().decode(Uint8Array.from(got)), stdin);

    const lister = await conformance("dirs-c", {});
    const readdirs = lister.calls.filter((c) => c.function === "fd_readdir");
    assert.ok(readdirs.length > 0);
    for (const call of readdirs) {
      const [buf, bufused] = call.regions ?? [];
      assert.deepEqual([buf?.what, bufused?.what], ["buf", "bufused"]);
      assert.deepEqual(u32s(bufused), [buf?.length]);
    }
  });

  test("an iovs_len of 1e9 describes at most MAX_IOVEC_REGIONS buffers, written or read", () => {
    // A page of 1-byte iovecs {0x8000 + i, 1} from 0; nwritten/nread (at 0xfff0) says 1e6.
    const view = new DataView(new ArrayBuffer(65536));
    for (let i = 0; i < 0x8000 / Layout.IOVEC_SIZE; i++) view.setUint32(i * 8, 0x8000 + i, true), view.setUint32(i * 8 + 4, 1, true);
    view.setUint32(0xfff0, 1_000_000, true);
    const n = 1e9;
    for (const name of ["fd_write", "fd_read"]) {
      const touches = WASI_TOUCHES[name]?.([1, 0, n, 0xfff0], Errno.SUCCESS, view) ?? [];
      assert.deepEqual(touches[0], { access: "read", what: "iovs", ptr: 0, length: n * Layout.IOVEC_SIZE }, name);
      const buffers = touches.filter((t) => t.what.startsWith("buf "));
      assert.equal(buffers.length, MAX_IOVEC_REGIONS, name);
      assert.deepEqual(buffers.at(-1), { access: name === "fd_write" ? "read" : "written", what: `buf ${MAX_IOVEC_REGIONS - 1}`, ptr: 0x8000 + MAX_IOVEC_REGIONS - 1, length: 1 });
    }
  });

  test("a real fd_read with iovs_len 1e9 traps and is recorded with its iovec array only; 100 iovecs written describe 64", async () => {
    const hundred = Array.from({ length: 100 }, (_, i): [number, number] => [0x1000 + i, 1]);
    const run = await guest(["fd_write"], ["(call $fd_write (i32.const 1) (i32.const 0x100) (i32.const 100) (i32.const 0x80))"], {}, `(data (i32.const 0x100) "${iovecs(...hundred)}")`);
    assert.deepEqual(run.errnos, [Errno.SUCCESS]);
    const regions = run.calls[0]?.regions ?? [];
    assert.deepEqual([regions.length, regions.at(-1)?.what, u32s(regions.at(-1))], [1 + MAX_IOVEC_REGIONS + 1, "nwritten", [100]]);

    const module = await WebAssembly.compile(
      await wat(`(module (import "${PREVIEW1_MODULE}" "fd_read" (func $r (param i32 i32 i32 i32) (result i32))) (memory (export "memory") 1)
        (func (export "go") (drop (call $r (i32.const 0) (i32.const 0) (i32.const 1000000000) (i32.const 16)))))`),
    );
    const trapped = await record(module, {}, "go");
    assert.ok(trapped.thrown instanceof Trap, "the iovec array runs past memory");
    assert.deepEqual(
      trapped.calls[0]?.regions?.map((r) => [r.access, r.what, r.ptr, r.length, r.outOfBounds]),
      [["read", "iovs", 0, 8e9, true]],
      "a trap writes nothing",
    );
  });

  test("args_get and environ_get describe nothing without the WASI context, and its strings with it", () => {
    const view = new DataView(new ArrayBuffer(64));
    assert.deepEqual(WASI_TOUCHES.args_get?.([0, 16], Errno.SUCCESS, view), []);
    assert.deepEqual(WASI_TOUCHES.environ_get?.([0, 16], Errno.SUCCESS, view), []);
    assert.deepEqual(WASI_TOUCHES.environ_get?.([0, 16], Errno.SUCCESS, view, { argsEncoded: [], environEncoded: [new Uint8Array(4)] }), [
      { access: "written", what: "environ", ptr: 0, length: 4 },
      { access: "written", what: "environ_buf", ptr: 16, length: 4 },
    ]);
  });

  test("every preview1 function is described but proc_exit and the sock_* calls that take buffers; those without pointers touch nothing", () => {
    const undescribed = Object.keys(PREVIEW1_SIGNATURES).filter((name) => !Object.hasOwn(WASI_TOUCHES, name));
    assert.deepEqual(undescribed, ["proc_exit", "sock_accept", "sock_recv", "sock_send"]);
    const view = new DataView(new ArrayBuffer(64));
    for (const name of ["fd_advise", "fd_allocate", "fd_close", "fd_renumber", "fd_sync", "sched_yield", "sock_shutdown"]) {
      assert.deepEqual(WASI_TOUCHES[name]?.([3, 4, 5, 6], Errno.SUCCESS, view), [], name);
    }
  });
});
