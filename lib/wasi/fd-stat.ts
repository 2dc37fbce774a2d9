/**
 * What an fd is and its attributes: `fd_fdstat_get`, `fd_fdstat_set_flags`,
 * `fd_fdstat_set_rights`, `fd_filestat_get`, `fd_filestat_set_size`, `fd_filestat_set_times`,
 * `fd_prestat_get`, `fd_prestat_dir_name` (witx `wasi_snapshot_preview1.witx`).
 *
 * Errors follow wasmtime's preview1 (`crates/wasi/src/p1.rs`) except where a comment says
 * otherwise. Times come from the layer's own table (`times.ts`): the in-memory adapter
 * keeps none.
 */

import type { DescriptorStat, DescriptorType } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import type { GuestMemory } from "../memory";
import type { WasiContext } from "./context";
import { resize } from "./quota";
import { Errno } from "./errno";
import { FdKind } from "./fd-table";
import { checkAccess } from "./filesystem";
import { check, writeBytes } from "./guest-memory";
import { modified, realtimeNanos, setTimes, validFstflags, type FileTimes } from "./times";
import { Fdflags, Filetype, Layout, Rights, SYNC_FDFLAGS } from "./witx";

/** The preview1 `filetype` of a preview2 `descriptor-type` (a FIFO has none: `unknown`, as wasmtime). */
export function filetypeOf(type: DescriptorType): number {
  switch (type) {
    case "unknown": return Filetype.UNKNOWN;
    case "block-device": return Filetype.BLOCK_DEVICE;
    case "character-device": return Filetype.CHARACTER_DEVICE;
    case "directory": return Filetype.DIRECTORY;
    case "fifo": return Filetype.UNKNOWN;
    case "symbolic-link": return Filetype.SYMBOLIC_LINK;
    case "regular-file": return Filetype.REGULAR_FILE;
    case "socket": return Filetype.SOCKET_STREAM;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

/**
 * Writes a `filestat` (64 bytes) at `ptr`. `dev` is 1 for every file (wasmtime); `ino` is the
 * in-memory adapter's entry id (`metadata-hash().upper`, stable for the entry's life); the
 * times are the layer's (`times.ts`), zero for stdio (wasmtime).
 */
export function writeFilestat(memory: GuestMemory, ptr: number, stat: DescriptorStat, ino: bigint, times: FileTimes | undefined, call: string): void {
  const at = check(memory, ptr, Layout.FILESTAT_SIZE, call);
  const view = memory.view();
  view.setBigUint64(at, 1n, true);
  view.setBigUint64(at + 8, ino, true);
  view.setBigUint64(at + 16, BigInt(filetypeOf(stat.type)), true); // filetype u8 + 7 bytes of padding
  view.setBigUint64(at + 24, stat.linkCount, true);
  view.setBigUint64(at + 32, stat.size, true);
  view.setBigUint64(at + 40, times?.atim ?? 0n, true);
  view.setBigUint64(at + 48, times?.mtim ?? 0n, true);
  view.setBigUint64(at + 56, times?.ctim ?? 0n, true);
}

/**
 * `fd_fdstat_get(fd, stat: *fdstat) -> errno`; POSIX `fstat` + `fcntl(F_GETFL)`.
 * stdio is a character device (so wasi-libc's `isatty` is true and C's stdout is
 * line-buffered); files and directories report their type, the `fdflags` they were opened
 * with (`APPEND`, `NONBLOCK`, `DSYNC`, `RSYNC`, `SYNC`) and the rights the fd holds (a
 * directory only directory rights).
 */
export function fdFdstatGet(ctx: WasiContext, fd: number, statPtr: number): number {
  const at = check(ctx.memory, statPtr, Layout.FDSTAT_SIZE, "fd_fdstat_get");
  const entry = ctx.fds.get(fd);
  if (!entry) return Errno.BADF;
  const filetype = entry.descriptor ? filetypeOf(entry.descriptor.getType()) : Filetype.CHARACTER_DEVICE;
  const view = ctx.memory.view();
  view.setUint8(at, filetype);
  view.setUint8(at + 1, 0);
  view.setUint16(at + 2, entry.fdflags, true);
  view.setUint32(at + 4, 0, true);
  view.setBigUint64(at + 8, BigInt(entry.rightsBase), true);
  view.setBigUint64(at + 16, BigInt(entry.rightsInheriting), true);
  return Errno.SUCCESS;
}

/**
 * `fd_fdstat_set_flags(fd, flags: fdflags) -> errno`; POSIX `fcntl(F_SETFL)`.
 * Only `APPEND` and `NONBLOCK` can change; `DSYNC`/`RSYNC`/`SYNC` or unknown bits are
 * `EINVAL`; anything but a file `EBADF` (wasmtime). Sync flags the file was opened with
 * stay (wasmtime: they are the preview2 descriptor's flags, which this call never touches).
 */
export function fdFdstatSetFlags(ctx: WasiContext, fd: number, flags: number): number {
  const file = ctx.fds.file(fd);
  if (!file) return Errno.BADF;
  if (flags & ~(Fdflags.APPEND | Fdflags.NONBLOCK)) return Errno.INVAL;
  file.fdflags = (file.fdflags & SYNC_FDFLAGS) | flags;
  return Errno.SUCCESS;
}

/**
 * `fd_fdstat_set_rights(fd, fs_rights_base, fs_rights_inheriting) -> errno`.
 * witx: "This can only be used to remove rights, and returns `errno::notcapable` if called
 * in a way that would attempt to add rights." The playground keeps rights per fd, so it
 * does exactly that (wasmtime, which derives rights from the open mode, says `ENOTSUP`).
 * Removing `FD_READ`/`FD_WRITE` makes later reads/writes `EBADF`.
 */
export function fdFdstatSetRights(ctx: WasiContext, fd: number, base: bigint, inheriting: bigint): number {
  const entry = ctx.fds.get(fd);
  if (!entry) return Errno.BADF;
  const newBase = BigInt.asUintN(64, base);
  const newInheriting = BigInt.asUintN(64, inheriting);
  if (newBase & ~BigInt(entry.rightsBase) || newInheriting & ~BigInt(entry.rightsInheriting)) return Errno.NOTCAPABLE;
  entry.rightsBase = Number(newBase);
  entry.rightsInheriting = Number(newInheriting);
  return Errno.SUCCESS;
}

/**
 * `fd_filestat_get(fd, buf: *filestat) -> errno`; POSIX `fstat`.
 * stdio reads as a character device with every other field 0 (wasmtime).
 */
export function fdFilestatGet(ctx: WasiContext, fd: number, bufPtr: number): number {
  check(ctx.memory, bufPtr, Layout.FILESTAT_SIZE, "fd_filestat_get");
  const entry = ctx.fds.get(fd);
  if (!entry) return Errno.BADF;
  if (!entry.descriptor) {
    const stat: DescriptorStat = { type: "character-device", linkCount: 0n, size: 0n };
    writeFilestat(ctx.memory, bufPtr, stat, 0n, undefined, "fd_filestat_get");
    return Errno.SUCCESS;
  }
  const { descriptor } = entry;
  writeFilestat(ctx.memory, bufPtr, descriptor.stat(), descriptor.metadataHash().upper, entry.times, "fd_filestat_get");
  return Errno.SUCCESS;
}

/**
 * `fd_filestat_set_size(fd, size: filesize) -> errno`; POSIX `ftruncate`.
 * Files opened with `FD_WRITE` only (`EBADF`, as POSIX for an fd not open for writing);
 * growing fills with zeros; past 2^53 bytes `EFBIG`. Moves `mtim` and `ctim`, even when the
 * size stays (Linux).
 */
export function fdFilestatSetSize(ctx: WasiContext, fd: number, size: bigint): number {
  const file = ctx.fds.file(fd);
  if (!file || !(file.rightsBase & Rights.FD_WRITE)) return Errno.BADF;
  const length = BigInt.asUintN(64, size);
  if (length > BigInt(Number.MAX_SAFE_INTEGER)) return Errno.FBIG;
  const resized = resize(ctx.quota, Number(file.descriptor.stat().size), Number(length));
  if (resized !== Errno.SUCCESS) return resized;
  file.descriptor.setSize(length);
  modified(file.times, realtimeNanos());
  return Errno.SUCCESS;
}

/**
 * `fd_filestat_set_times(fd, atim, mtim, fst_flags) -> errno`; POSIX `futimens`.
 * Changing metadata is writing: the fd's path must be under a write permission (`EACCES`
 * and `fs_write` `Denied` otherwise). Contradictory flags are `EINVAL`; stdio `EBADF`.
 * Files and directories alike; `ctim` moves to now (see `setTimes`). The flags are judged
 * before the fd, as wasmtime does (its `systimespec` runs first).
 */
export function fdFilestatSetTimes(ctx: WasiContext, fd: number, atim: bigint, mtim: bigint, fstFlags: number): number {
  if (!validFstflags(fstFlags)) return Errno.INVAL;
  const entry = ctx.fds.get(fd);
  if (!entry?.times) return Errno.BADF;
  const denied = checkAccess(ctx.filesystem, ctx.audit, entry.guestPath, true);
  if (denied) return denied;
  setTimes(entry.times, atim, mtim, fstFlags, realtimeNanos());
  return Errno.SUCCESS;
}

/**
 * `fd_prestat_get(fd, buf: *prestat) -> errno`: `{ tag: dir, pr_name_len }` for a preopen;
 * any other fd is `EBADF`, which is how wasi-libc learns that the preopens have ended.
 */
export function fdPrestatGet(ctx: WasiContext, fd: number, bufPtr: number): number {
  const at = check(ctx.memory, bufPtr, Layout.PRESTAT_SIZE, "fd_prestat_get");
  const name = ctx.fds.get(fd)?.preopenName;
  if (!name) return Errno.BADF;
  const view = ctx.memory.view();
  view.setUint32(at, 0, true);
  view.setUint32(at + 4, name.length, true);
  return Errno.SUCCESS;
}

/**
 * `fd_prestat_dir_name(fd, path: *u8, path_len: size) -> errno`: the preopen's path (no NUL).
 * An fd that is open but not a preopen is `ENOTDIR` (wasmtime: "legacy implementation
 * returns NOTDIR here"), a buffer shorter than the name `ENAMETOOLONG`.
 */
export function fdPrestatDirName(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const entry = ctx.fds.get(fd);
  if (!entry) return Errno.BADF;
  const name = entry.preopenName;
  if (!name || entry.kind !== FdKind.directory) return Errno.NOTDIR;
  if (name.length > pathLen >>> 0) return Errno.NAMETOOLONG;
  writeBytes(ctx.memory, pathPtr, name, "fd_prestat_dir_name");
  return Errno.SUCCESS;
}
