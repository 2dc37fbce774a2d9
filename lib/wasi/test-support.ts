/**
 * A small harness for the unit tests of `lib/wasi`: one context over a fresh 2-page
 * memory, every preview1 import, and helpers to lay out arguments in guest memory.
 * Not used by the playground itself.
 */

import { AuditTrail } from "../audit/trail";
import { GuestMemory } from "../memory";
import { createWasiContext, type WasiContext, type WasiOptions } from "./context";
import { createPreview1Imports, PREVIEW1_FUNCTIONS } from "./preview1";
import { Oflags, Rights } from "./witx";

/** Rights wasi-libc asks for with `O_RDONLY` (everything but the writing ones). */
export const READ_RIGHTS = Rights.FD_READ | Rights.FD_SEEK | Rights.FD_TELL | Rights.FD_FILESTAT_GET | Rights.FD_READDIR | Rights.FD_FDSTAT_SET_FLAGS;
/** Rights for `O_RDWR`. */
export const READ_WRITE_RIGHTS = READ_RIGHTS | Rights.FD_WRITE | Rights.FD_FILESTAT_SET_SIZE | Rights.FD_ALLOCATE | Rights.FD_DATASYNC;

export interface OpenOptions {
  dirfd?: number;
  oflags?: number;
  rights?: number;
  fdflags?: number;
  follow?: boolean;
}

export interface Harness {
  ctx: WasiContext;
  memory: WebAssembly.Memory;
  /** Calls an import that must answer synchronously. */
  call(name: string, ...args: (number | bigint)[]): number;
  /** Calls an import that may return a `Promise`. */
  callMaybeAsync(name: string, ...args: (number | bigint)[]): number | Promise<number>;
  view(): DataView;
  /** Reserves `size` zeroed bytes (8-aligned) and returns their address. */
  alloc(size: number): number;
  /** Copies text (UTF-8) or bytes into memory: `[ptr, len]`. */
  put(data: string | Uint8Array): [number, number];
  /** Lays out an iovec array: its address. */
  iovecs(buffers: [number, number][]): number;
  text(ptr: number, len: number): string;
  /** `path_open` below `dirfd` (default 3): `{ errno, fd }`. */
  open(path: string, options?: OpenOptions): { errno: number; fd: number };
  /** Writes `text` to `fd` with one `fd_write`: the errno. */
  write(fd: number, text: string): number;
  /** Reads up to `len` bytes from `fd` with one `fd_read`: `{ errno, text }`. */
  read(fd: number, len?: number): { errno: number; text: string };
  /** Audit entries as `function summary outcome` lines. */
  audit(): string[];
}

/** A harness over a fresh context; `options` are merged over no args, env, files or permissions. */
export function harness(options: Partial<WasiOptions> = {}): Harness {
  const memory = new WebAssembly.Memory({ initial: 2 });
  const guest = new GuestMemory();
  guest.attach(memory);
  const ctx = createWasiContext(guest, new AuditTrail("test"), { args: ["test.wasm"], env: [], wait: "suspend", ...options });
  const wasi = createPreview1Imports(ctx, PREVIEW1_FUNCTIONS);
  let next = 1024;
  const h: Harness = {
    ctx,
    memory,
    call(name, ...args) {
      const result = h.callMaybeAsync(name, ...args);
      if (typeof result !== "number") throw new Error(`${name} returned ${String(result)}, not a number`);
      return result;
    },
    callMaybeAsync(name, ...args) {
      const fn = wasi[name];
      if (!fn) throw new Error(`no import ${name}`);
      return fn(...args) as number | Promise<number>;
    },
    view: () => new DataView(memory.buffer),
    alloc(size) {
      const ptr = next;
      next += Math.ceil(Math.max(size, 1) / 8) * 8;
      new Uint8Array(memory.buffer, ptr, size).fill(0);
      return ptr;
    },
    put(data) {
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      const ptr = h.alloc(bytes.length);
      new Uint8Array(memory.buffer).set(bytes, ptr);
      return [ptr, bytes.length];
    },
    iovecs(buffers) {
      const ptr = h.alloc(buffers.length * 8);
      buffers.forEach(([buf, len], i) => {
        h.view().setUint32(ptr + i * 8, buf, true);
        h.view().setUint32(ptr + i * 8 + 4, len, true);
      });
      return ptr;
    },
    text: (ptr, len) => new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len)),
    open(path, { dirfd = 3, oflags = 0, rights = READ_RIGHTS, fdflags = 0, follow = true } = {}) {
      const [ptr, len] = h.put(path);
      const out = h.alloc(4);
      const errno = h.call("path_open", dirfd, follow ? 1 : 0, ptr, len, oflags, BigInt(rights), BigInt(rights), fdflags, out);
      return { errno, fd: errno === 0 ? h.view().getUint32(out, true) : -1 };
    },
    write(fd, text) {
      const iovs = h.iovecs([h.put(text)]);
      return h.call("fd_write", fd, iovs, 1, h.alloc(4));
    },
    read(fd, len = 256) {
      const buf = h.alloc(len);
      const nread = h.alloc(4);
      const errno = h.call("fd_read", fd, h.iovecs([[buf, len]]), 1, nread);
      return { errno, text: errno === 0 ? h.text(buf, h.view().getUint32(nread, true)) : "" };
    },
    audit: () => ctx.audit.entries().map((e) => `${e.function} ${e.argsSummary} ${e.outcome}`),
  };
  return h;
}

/** `O_CREAT | O_TRUNC`, with read-write rights: what `fopen(path, "w")` asks for. */
export const CREATE = { oflags: Oflags.CREAT | Oflags.TRUNC, rights: READ_WRITE_RIGHTS };
