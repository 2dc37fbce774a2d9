/**
 * Reading, writing and positioning fds: `fd_read`, `fd_pread`, `fd_write`, `fd_pwrite`,
 * `fd_seek`, `fd_tell`, `fd_close`, `fd_renumber`, `fd_sync`, `fd_datasync`, `fd_advise`,
 * `fd_allocate` (witx `wasi_snapshot_preview1.witx`).
 *
 * Files are preview2 descriptors (`read(len, offset)`, `write(buffer, offset)`); preview1's
 * position lives in the fd entry. A read of at least one byte's room moves `atim` (relatime),
 * a write of at least one byte `mtim` and `ctim` (POSIX; see `times.ts`). Errors follow wasmtime's preview1 (`crates/wasi/src/p1.rs`):
 * an fd that is not open, or of the wrong kind (a directory for `fd_read`), is `EBADF`;
 * positioning a stream (stdio) is `ESPIPE`. Memory is checked before anything else, so a
 * bad pointer traps even when the fd is bad.
 */

import type { Descriptor } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import type { WasiContext } from "./context";
import { resize } from "./quota";
import { Errno } from "./errno";
import { FdKind } from "./fd-table";
import { check, checkIovecs, gatherIovecs, scatterIovecs, writeU32, writeU64 } from "./guest-memory";
import { readStdin, writeStdio } from "./stdio";
import { accessed, modified, realtimeNanos } from "./times";
import { ADVICE, Fdflags, Rights, Whence } from "./witx";

/** The largest file offset the in-memory files can hold (they are `Uint8Array`s). */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

/** A wasm `u64` passed as an `i64` BigInt → a file offset; `-1` when past {@link MAX_OFFSET}. */
export function toOffset(value: bigint): number {
  const unsigned = BigInt.asUintN(64, value);
  return unsigned > BigInt(MAX_OFFSET) ? -1 : Number(unsigned);
}

/**
 * `fd_read(fd, iovs: iovec_array, nread: *size) -> errno`; POSIX `readv`.
 * stdin reads what is left of the page's text (0 bytes at end-of-file); a file reads at its
 * position and advances it. A file opened without `FD_READ`, a directory, stdout or stderr
 * is `EBADF`.
 */
export function fdRead(ctx: WasiContext, fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number): number {
  const total = checkIovecs(ctx.memory, iovsPtr, iovsLen, "fd_read");
  check(ctx.memory, nreadPtr, 4, "fd_read");
  const entry = ctx.fds.get(fd);
  let data: Uint8Array;
  if (entry?.kind === FdKind.stdin) {
    data = readStdin(ctx, total);
  } else {
    const file = ctx.fds.file(fd);
    if (!file || !(file.rightsBase & Rights.FD_READ)) return Errno.BADF;
    data = total === 0 ? new Uint8Array(0) : file.descriptor.read(BigInt(total), BigInt(file.position))[0];
    file.position += data.length;
    if (total > 0) accessed(file.times, realtimeNanos());
  }
  scatterIovecs(ctx.memory, iovsPtr, iovsLen, data);
  writeU32(ctx.memory, nreadPtr, data.length, "fd_read");
  return Errno.SUCCESS;
}

/**
 * `fd_pread(fd, iovs: iovec_array, offset: filesize, nread: *size) -> errno`; POSIX `preadv`.
 * Reads a file at `offset` without moving its position. stdin is `ESPIPE` (wasmtime, "legacy
 * implementation returns SPIPE here"); anything else that is not a readable file `EBADF`.
 */
export function fdPread(ctx: WasiContext, fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
  const total = checkIovecs(ctx.memory, iovsPtr, iovsLen, "fd_pread");
  check(ctx.memory, nreadPtr, 4, "fd_pread");
  if (ctx.fds.get(fd)?.kind === FdKind.stdin) return Errno.SPIPE;
  const file = ctx.fds.file(fd);
  if (!file || !(file.rightsBase & Rights.FD_READ)) return Errno.BADF;
  const at = toOffset(offset);
  const data = total === 0 || at < 0 ? new Uint8Array(0) : file.descriptor.read(BigInt(total), BigInt(at))[0];
  if (total > 0) accessed(file.times, realtimeNanos());
  scatterIovecs(ctx.memory, iovsPtr, iovsLen, data);
  writeU32(ctx.memory, nreadPtr, data.length, "fd_pread");
  return Errno.SUCCESS;
}

/**
 * `fd_write(fd, iovs: ciovec_array, nwritten: *size) -> errno`; POSIX `writev`.
 * stdout and stderr go to the page; a file is written at its position (at its end with
 * `APPEND`) and the position moves past the bytes written. A file opened without
 * `FD_WRITE`, a directory or stdin is `EBADF`.
 */
export function fdWrite(ctx: WasiContext, fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
  // Looking the fd up first changes nothing: the stdio path checks memory before anything else too.
  const kind = ctx.fds.get(fd)?.kind;
  if (kind === FdKind.stdout || kind === FdKind.stderr) return writeStdio(ctx, kind, iovsPtr, iovsLen, nwrittenPtr);
  const total = checkIovecs(ctx.memory, iovsPtr, iovsLen, "fd_write");
  check(ctx.memory, nwrittenPtr, 4, "fd_write");
  const file = ctx.fds.file(fd);
  if (!file || !(file.rightsBase & Rights.FD_WRITE)) return Errno.BADF;
  if (total > 0) {
    const size = Number(file.descriptor.stat().size);
    const at = file.fdflags & Fdflags.APPEND ? size : file.position;
    const grown = resize(ctx.quota, size, Math.max(size, at + total));
    if (grown !== Errno.SUCCESS) return grown;
    writeAt(file.descriptor, gatherIovecs(ctx.memory, iovsPtr, iovsLen, total), at);
    file.position = at + total;
    modified(file.times, realtimeNanos());
  }
  writeU32(ctx.memory, nwrittenPtr, total, "fd_write");
  return Errno.SUCCESS;
}

/**
 * `fd_pwrite(fd, iovs: ciovec_array, offset: filesize, nwritten: *size) -> errno`; POSIX
 * `pwritev`. Writes a file at `offset` without moving its position; with `APPEND` the
 * offset is ignored and the bytes are appended (Linux semantics, as wasmtime). stdout and
 * stderr are `ESPIPE`; anything else that is not a writable file `EBADF`.
 */
export function fdPwrite(ctx: WasiContext, fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
  const total = checkIovecs(ctx.memory, iovsPtr, iovsLen, "fd_pwrite");
  check(ctx.memory, nwrittenPtr, 4, "fd_pwrite");
  const kind = ctx.fds.get(fd)?.kind;
  if (kind === FdKind.stdout || kind === FdKind.stderr) return Errno.SPIPE;
  const file = ctx.fds.file(fd);
  if (!file || !(file.rightsBase & Rights.FD_WRITE)) return Errno.BADF;
  if (total > 0) {
    const size = Number(file.descriptor.stat().size);
    const at = file.fdflags & Fdflags.APPEND ? size : toOffset(offset);
    if (at < 0) return Errno.FBIG;
    const grown = resize(ctx.quota, size, Math.max(size, at + total));
    if (grown !== Errno.SUCCESS) return grown;
    writeAt(file.descriptor, gatherIovecs(ctx.memory, iovsPtr, iovsLen, total), at);
    modified(file.times, realtimeNanos());
  }
  writeU32(ctx.memory, nwrittenPtr, total, "fd_pwrite");
  return Errno.SUCCESS;
}

/**
 * `fd_seek(fd, offset: filedelta, whence, newoffset: *filesize) -> errno`; POSIX `lseek`.
 * A negative result or an unknown `whence` is `EINVAL`; a result past 2^53 (no in-memory
 * file can be that large) `EOVERFLOW`. stdio is `ESPIPE`, a directory `EBADF` (wasmtime).
 */
export function fdSeek(ctx: WasiContext, fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
  check(ctx.memory, newOffsetPtr, 8, "fd_seek");
  const file = ctx.fds.file(fd);
  if (!file) return isStdio(ctx, fd) ? Errno.SPIPE : Errno.BADF;
  let base: number;
  if (whence === Whence.SET) base = 0;
  else if (whence === Whence.CUR) base = file.position;
  else if (whence === Whence.END) base = Number(file.descriptor.stat().size);
  else return Errno.INVAL;
  const target = BigInt(base) + BigInt.asIntN(64, offset);
  if (target < 0n) return Errno.INVAL;
  if (target > BigInt(MAX_OFFSET)) return Errno.OVERFLOW;
  file.position = Number(target);
  writeU64(ctx.memory, newOffsetPtr, target, "fd_seek");
  return Errno.SUCCESS;
}

/** `fd_tell(fd, offset: *filesize) -> errno`; POSIX `lseek(fd, 0, SEEK_CUR)`. As `fd_seek`. */
export function fdTell(ctx: WasiContext, fd: number, offsetPtr: number): number {
  check(ctx.memory, offsetPtr, 8, "fd_tell");
  const file = ctx.fds.file(fd);
  if (!file) return isStdio(ctx, fd) ? Errno.SPIPE : Errno.BADF;
  writeU64(ctx.memory, offsetPtr, BigInt(file.position), "fd_tell");
  return Errno.SUCCESS;
}

/** `fd_close(fd) -> errno`; POSIX `close`. Any open fd, stdio and preopens included. */
export function fdClose(ctx: WasiContext, fd: number): number {
  return ctx.fds.close(fd) ? Errno.SUCCESS : Errno.BADF;
}

/**
 * `fd_renumber(fd, to) -> errno`; POSIX `dup2` + `close(fd)`. Both must be open
 * (`EBADF` otherwise, as wasmtime); what `to` referred to is closed.
 */
export function fdRenumber(ctx: WasiContext, fd: number, to: number): number {
  return ctx.fds.renumber(fd, to) ? Errno.SUCCESS : Errno.BADF;
}

/** `fd_sync(fd) -> errno`; POSIX `fsync`. Files only (`EBADF` otherwise, as wasmtime); in memory, nothing to do. */
export function fdSync(ctx: WasiContext, fd: number): number {
  const file = ctx.fds.file(fd);
  if (!file) return Errno.BADF;
  file.descriptor.sync();
  return Errno.SUCCESS;
}

/** `fd_datasync(fd) -> errno`; POSIX `fdatasync`. As `fd_sync`. */
export function fdDatasync(ctx: WasiContext, fd: number): number {
  const file = ctx.fds.file(fd);
  if (!file) return Errno.BADF;
  file.descriptor.syncData();
  return Errno.SUCCESS;
}

/**
 * `fd_advise(fd, offset: filesize, len: filesize, advice) -> errno`; POSIX `posix_fadvise`.
 * Files only (`EBADF`); an advice outside the witx enum is `EINVAL`. The in-memory adapter
 * only records it.
 */
export function fdAdvise(ctx: WasiContext, fd: number, offset: bigint, len: bigint, advice: number): number {
  const file = ctx.fds.file(fd);
  if (!file) return Errno.BADF;
  const name = ADVICE[advice];
  if (name === undefined) return Errno.INVAL;
  file.descriptor.advise(BigInt.asUintN(64, offset), BigInt.asUintN(64, len), name);
  return Errno.SUCCESS;
}

/**
 * `fd_allocate(fd, offset: filesize, len: filesize) -> errno`; POSIX `posix_fallocate`.
 * Grows the file to `offset + len` when it is shorter (zero-filled). Files opened with
 * `FD_WRITE` only (`EBADF`); past 2^53 bytes `EFBIG`. wasmtime answers `ENOTSUP` for every
 * file; the in-memory adapter can do what POSIX asks, so the playground does.
 */
export function fdAllocate(ctx: WasiContext, fd: number, offset: bigint, len: bigint): number {
  const file = ctx.fds.file(fd);
  if (!file || !(file.rightsBase & Rights.FD_WRITE)) return Errno.BADF;
  const end = BigInt.asUintN(64, offset) + BigInt.asUintN(64, len);
  if (end > BigInt(MAX_OFFSET)) return Errno.FBIG;
  const size = file.descriptor.stat().size;
  if (end <= size) return Errno.SUCCESS;
  const grown = resize(ctx.quota, Number(size), Number(end));
  if (grown !== Errno.SUCCESS) return grown;
  file.descriptor.setSize(end);
  modified(file.times, realtimeNanos());
  return Errno.SUCCESS;
}

function isStdio(ctx: WasiContext, fd: number): boolean {
  const kind = ctx.fds.get(fd)?.kind;
  return kind === FdKind.stdin || kind === FdKind.stdout || kind === FdKind.stderr;
}

const dispose: symbol = Symbol.dispose ?? Symbol.for("dispose");

/**
 * Writes `bytes` at `at` through `write-via-stream` rather than `write`: the shim's
 * in-memory adapter keeps a doubling buffer per file for its streams, while its `write`
 * copies the whole file each time (writing a file in small pieces would be quadratic).
 */
function writeAt(descriptor: Descriptor, bytes: Uint8Array, at: number): void {
  const stream = descriptor.writeViaStream(BigInt(at));
  try {
    for (let offset = 0; offset < bytes.length; ) {
      const permit = Number(stream.checkWrite());
      const chunk = bytes.subarray(offset, offset + Math.max(1, permit));
      stream.write(chunk);
      offset += chunk.length;
    }
  } finally {
    (stream as unknown as Record<symbol, (() => void) | undefined>)[dispose]?.();
  }
}
