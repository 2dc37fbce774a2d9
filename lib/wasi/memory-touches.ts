/**
 * Which bytes of linear memory each WASI preview1 function reads or writes, for the memory
 * view of "record memory" (`lib/abi/call-recorder.ts`). The layouts are the witx's
 * (`wasi_snapshot_preview1.witx`, typenames.witx): an `iovec`/`ciovec` is 8 bytes
 * (`buf: u32, buf_len: u32`), a `prestat` 8, an `fdstat` 24, a `filestat` 64, a
 * `subscription` 48, an `event` 32; `size`, `fd` and `errno` results are `u32`, timestamps
 * and file offsets `u64`.
 *
 * Reads are described whatever the outcome (they are what the guest passed); writes only
 * when the call returned errno 0 (`success`), since on an error the host writes nothing.
 * `environ_get` and `args_get` take no lengths: what they write is sized by the context's
 * strings ({@link WasiStrings}), the ones the `*_sizes_get` call before them reported.
 */

import type { WasiContext } from "./context";
import { Layout } from "./witx";

/** A range a call touched: pointer and length as the guest passed them (unsigned). */
export interface Touch {
  access: "read" | "written";
  /** What the bytes are, in the witx's parameter names: `iovs`, `buf`, `path`, `nwritten`, … */
  what: string;
  ptr: number;
  length: number;
}

/**
 * What `args_get` and `environ_get` copy: the instance's arguments and environment, each entry
 * NUL-terminated UTF-8, fixed at load (`createWasiContext`).
 */
export type WasiStrings = Pick<WasiContext, "argsEncoded" | "environEncoded">;

/**
 * The ranges of one call, from its unsigned arguments, its errno and linear memory after it.
 * `strings` sizes `args_get` and `environ_get`; without it they describe nothing.
 */
export type WasiTouches = (args: readonly number[], errno: number, memory: DataView, strings?: WasiStrings) => Touch[];

const IOVEC = Layout.IOVEC_SIZE;
/** Buffers described per call at most: a guest may pass any `iovs_len`, even one past memory. */
export const MAX_IOVEC_REGIONS = 64;

const read = (what: string, ptr = 0, length = 0): Touch => ({ access: "read", what, ptr, length });
const written = (what: string, ptr = 0, length = 0): Touch => ({ access: "written", what, ptr, length });

/** A u32 of memory, or 0 when `ptr` is out of bounds (the call refused it then). */
function u32(memory: DataView, ptr: number): number {
  return ptr + 4 <= memory.byteLength ? memory.getUint32(ptr, true) : 0;
}

/**
 * The buffers an iovec array points at, each as a range, stopping after `limit` bytes (the
 * count moved), at the end of memory and after {@link MAX_IOVEC_REGIONS}.
 */
function iovecBuffers(memory: DataView, access: Touch["access"], iovs: number, count: number, limit = Infinity): Touch[] {
  const out: Touch[] = [];
  let left = limit;
  const inMemory = Math.max(0, Math.floor((memory.byteLength - iovs) / IOVEC));
  const described = Math.min(count, inMemory, MAX_IOVEC_REGIONS);
  for (let i = 0; i < described && left > 0; i++) {
    const buf = u32(memory, iovs + i * IOVEC);
    const length = Math.min(u32(memory, iovs + i * IOVEC + 4), left);
    out.push({ access, what: `buf ${i}`, ptr: buf, length });
    left -= length;
  }
  return out;
}

/** A call that writes only on success. */
const onSuccess = (errno: number, touches: Touch[]): Touch[] => (errno === 0 ? touches : []);

/** `fd_write` and `fd_pwrite`: the iovec array and every buffer read, `nwritten` written. */
function gatherWrite(iovs: number, count: number, nwritten: number, errno: number, m: DataView): Touch[] {
  return [read("iovs", iovs, count * IOVEC), ...iovecBuffers(m, "read", iovs, count), ...onSuccess(errno, [written("nwritten", nwritten, 4)])];
}

/** `fd_read` and `fd_pread`: the iovec array read, the buffers filled up to `nread`, `nread` written. */
function scatterRead(iovs: number, count: number, nread: number, errno: number, m: DataView): Touch[] {
  return [read("iovs", iovs, count * IOVEC), ...onSuccess(errno, [...iovecBuffers(m, "written", iovs, count, u32(m, nread)), written("nread", nread, 4)])];
}

/**
 * `args_get(argv, argv_buf)` and `environ_get(environ, environ_buf)`: on success a `u32`
 * pointer per entry at `array` (count × 4 bytes, no NULL after the last) and the entries
 * back to back at `buf` (the sum of their lengths, NULs included): what `*_sizes_get`
 * reported. Both are host-sized (`entries`), so neither needs a bound.
 */
function stringTable(names: [string, string], entries: readonly Uint8Array[] | undefined, array: number, buf: number, errno: number): Touch[] {
  if (!entries) return [];
  const size = entries.reduce((sum, entry) => sum + entry.length, 0);
  return onSuccess(errno, [written(names[0], array, entries.length * 4), written(names[1], buf, size)]);
}

/** A function whose parameters hold no pointer: it touches no guest memory. */
const none: WasiTouches = () => [];

/**
 * The witx layouts above, per function; a function not here is not described (`proc_exit`,
 * which does not return, and the `sock_*` calls that take buffers, stubs here).
 */
export const WASI_TOUCHES: Readonly<Record<string, WasiTouches>> = {
  fd_write: ([, iovs = 0, count = 0, nwritten = 0], errno, m) => gatherWrite(iovs, count, nwritten, errno, m),
  fd_pwrite: ([, iovs = 0, count = 0, , nwritten = 0], errno, m) => gatherWrite(iovs, count, nwritten, errno, m),
  fd_read: ([, iovs = 0, count = 0, nread = 0], errno, m) => scatterRead(iovs, count, nread, errno, m),
  fd_pread: ([, iovs = 0, count = 0, , nread = 0], errno, m) => scatterRead(iovs, count, nread, errno, m),
  args_get: ([argv = 0, buf = 0], errno, _m, strings) => stringTable(["argv", "argv_buf"], strings?.argsEncoded, argv, buf, errno),
  environ_get: ([environ = 0, buf = 0], errno, _m, strings) => stringTable(["environ", "environ_buf"], strings?.environEncoded, environ, buf, errno),
  environ_sizes_get: ([count, size], errno) => onSuccess(errno, [written("environc", count, 4), written("environ_buf_size", size, 4)]),
  args_sizes_get: ([count, size], errno) => onSuccess(errno, [written("argc", count, 4), written("argv_buf_size", size, 4)]),
  clock_res_get: ([, res], errno) => onSuccess(errno, [written("resolution", res, 8)]),
  clock_time_get: ([, , time], errno) => onSuccess(errno, [written("time", time, 8)]),
  random_get: ([buf = 0, len = 0], errno) => onSuccess(errno, [written("buf", buf, len)]),
  fd_prestat_get: ([, buf], errno) => onSuccess(errno, [written("prestat", buf, Layout.PRESTAT_SIZE)]),
  fd_prestat_dir_name: ([, path, len], errno) => onSuccess(errno, [written("path", path, len)]),
  fd_fdstat_get: ([, buf], errno) => onSuccess(errno, [written("fdstat", buf, Layout.FDSTAT_SIZE)]),
  fd_filestat_get: ([, buf], errno) => onSuccess(errno, [written("filestat", buf, Layout.FILESTAT_SIZE)]),
  fd_seek: ([, , , offset], errno) => onSuccess(errno, [written("newoffset", offset, 8)]),
  fd_tell: ([, offset], errno) => onSuccess(errno, [written("offset", offset, 8)]),
  fd_readdir: ([, buf = 0, , , bufused = 0], errno, m) => onSuccess(errno, [written("buf", buf, u32(m, bufused)), written("bufused", bufused, 4)]),
  path_open: ([, , path, len, , , , , fd], errno) => [read("path", path, len), ...onSuccess(errno, [written("fd", fd, 4)])],
  path_filestat_get: ([, , path, len, buf], errno) => [read("path", path, len), ...onSuccess(errno, [written("filestat", buf, Layout.FILESTAT_SIZE)])],
  path_filestat_set_times: ([, , path, len]) => [read("path", path, len)],
  path_create_directory: ([, path, len]) => [read("path", path, len)],
  path_remove_directory: ([, path, len]) => [read("path", path, len)],
  path_unlink_file: ([, path, len]) => [read("path", path, len)],
  path_rename: ([, old, oldLen, , next, nextLen]) => [read("old_path", old, oldLen), read("new_path", next, nextLen)],
  path_symlink: ([old, oldLen, , next, nextLen]) => [read("old_path", old, oldLen), read("new_path", next, nextLen)],
  path_link: ([, , old, oldLen, , next, nextLen]) => [read("old_path", old, oldLen), read("new_path", next, nextLen)],
  path_readlink: ([, path, len, buf = 0, , bufused = 0], errno, m) => [
    read("path", path, len),
    ...onSuccess(errno, [written("buf", buf, u32(m, bufused)), written("bufused", bufused, 4)]),
  ],
  fd_advise: none,
  fd_allocate: none,
  fd_close: none,
  fd_datasync: none,
  fd_fdstat_set_flags: none,
  fd_fdstat_set_rights: none,
  fd_filestat_set_size: none,
  fd_filestat_set_times: none,
  fd_renumber: none,
  fd_sync: none,
  proc_raise: none,
  sched_yield: none,
  sock_shutdown: none,
  poll_oneoff: ([subs = 0, events = 0, count = 0, nevents = 0], errno, m) => [
    read("subscriptions", subs, count * Layout.SUBSCRIPTION_SIZE),
    ...onSuccess(errno, [written("events", events, u32(m, nevents) * Layout.EVENT_SIZE), written("nevents", nevents, 4)]),
  ],
};
