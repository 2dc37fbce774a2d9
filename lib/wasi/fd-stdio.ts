/**
 * The `fd_*` calls on the three standard descriptors, over preview2's `wasi:cli` streams.
 * Descriptors above 2 are the filesystem's; with no preopens there are none, so they are
 * `EBADF` here (which is also how wasi-libc learns that the preopen list has ended).
 */

import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { check, readIovecs, writeU32 } from "./guest-memory";

/** witx `$filetype.character_device`. */
const CHARACTER_DEVICE = 2;
/** witx `$rights`: `fd_read` is bit 1, `fd_write` bit 6, `poll_fd_readwrite` bit 27. */
const RIGHT_FD_READ = 1n << 1n;
const RIGHT_FD_WRITE = 1n << 6n;
const RIGHT_POLL = 1n << 27n;
/** preview2 streams take at most 4096 bytes per `blocking-write-and-flush`. */
const WRITE_CHUNK = 4096;

/**
 * `fd_write(fd, iovs: ciovec_array, nwritten: *size) -> errno`; POSIX `writev`.
 * Only fds 1 and 2 are writable: anything else is `EBADF`.
 */
export function fdWrite(ctx: WasiContext, fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
  const stream = fd === 1 ? ctx.cli.stdout.getStdout() : fd === 2 ? ctx.cli.stderr.getStderr() : undefined;
  if (!stream) return Errno.BADF;
  let written = 0;
  for (const buffer of readIovecs(ctx.memory, iovsPtr, iovsLen, "fd_write")) {
    for (let offset = 0; offset < buffer.length; offset += WRITE_CHUNK) {
      stream.blockingWriteAndFlush(buffer.subarray(offset, offset + WRITE_CHUNK));
    }
    written += buffer.length;
  }
  writeU32(ctx.memory, nwrittenPtr, written, "fd_write");
  return Errno.SUCCESS;
}

/**
 * `fd_fdstat_get(fd, stat: *fdstat) -> errno`; POSIX `fstat` + `fcntl(F_GETFL)`.
 * `fdstat` is 24 bytes: filetype u8 @0, flags u16 @2, rights_base u64 @8, inheriting u64 @16.
 */
export function fdFdstatGet(ctx: WasiContext, fd: number, statPtr: number): number {
  if (fd > 2) return Errno.BADF;
  const rights = (fd === 0 ? RIGHT_FD_READ : RIGHT_FD_WRITE) | RIGHT_POLL;
  const view = ctx.memory.view();
  const at = check(ctx.memory, statPtr, 24, "fd_fdstat_get");
  view.setUint8(at, CHARACTER_DEVICE);
  view.setUint8(at + 1, 0);
  view.setUint16(at + 2, 0, true);
  view.setUint32(at + 4, 0, true);
  view.setBigUint64(at + 8, rights, true);
  view.setBigUint64(at + 16, 0n, true);
  return Errno.SUCCESS;
}

/** `fd_prestat_get(fd, buf: *prestat) -> errno`: no preopens yet, so every fd is `EBADF`. */
export function fdPrestatGet(_ctx: WasiContext, _fd: number, _bufPtr: number): number {
  return Errno.BADF;
}

/** `fd_prestat_dir_name(fd, path: *u8, path_len) -> errno`: `EBADF`, as above. */
export function fdPrestatDirName(_ctx: WasiContext, _fd: number, _pathPtr: number, _pathLen: number): number {
  return Errno.BADF;
}
