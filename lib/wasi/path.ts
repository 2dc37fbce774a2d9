/**
 * The `path_*` calls (witx `wasi_snapshot_preview1.witx`): every one names a path relative
 * to a directory fd, resolved by `path-resolve.ts` (no escape from the fd), checked against
 * the manifest's permissions by `filesystem.ts` (`EACCES` + an `fs_read`/`fs_write` audit
 * record), then handed, already canonical, to the fd's preview2 descriptor.
 *
 * Common errors: the path not UTF-8 → `EILSEQ`; the fd a file → `ENOTDIR` (POSIX
 * `openat`; wasmtime says `EBADF` except for `path_open`); the fd closed or stdio → `EBADF`;
 * the path or a buffer outside memory → trap. Reading a path needs a read or write
 * permission; anything that creates, changes or removes needs a write permission, on every
 * path it names (`path_link` and `path_rename` on both, since a hard link to a read-only
 * file would make it writable). Every call that adds, removes or renames an entry moves
 * the times `times.ts` describes.
 */

import type { Descriptor, DescriptorFlags, DescriptorStat, OpenFlags } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { encodeUtf8 } from "../memory";
import type { WasiContext } from "./context";
import { release } from "./quota";
import { Errno } from "./errno";
import { writeFilestat } from "./fd-stat";
import { FdEntry, FdKind, type DescriptorEntry } from "./fd-table";
import { checkAccess, joinGuestPath } from "./filesystem";
import { check, readPath, writeBytes, writeU32 } from "./guest-memory";
import { NO_FOLLOW, resolvePath } from "./path-resolve";
import { changed, modified, realtimeNanos, setTimes, validFstflags, type FileTimes } from "./times";
import { ALL_RIGHTS, DIRECTORY_RIGHTS_BASE, DIRECTORY_RIGHTS_INHERITING, Fdflags, Layout, Lookupflags, Oflags, Rights, WRITE_RIGHTS } from "./witx";

/** The errno for a path call whose `fd` is not a directory. */
function notADirectory(ctx: WasiContext, fd: number): number {
  return ctx.fds.get(fd)?.kind === FdKind.file ? Errno.NOTDIR : Errno.BADF;
}

/**
 * Reads, resolves and permission-checks the path of a call, leaving the canonical path in
 * `resolved` (module scratch: no object per call). @returns an errno, or `SUCCESS`.
 */
function prepare(ctx: WasiContext, dir: DescriptorEntry, pathPtr: number, pathLen: number, follow: boolean, write: boolean | undefined, call: string): number {
  const path = readPath(ctx.memory, pathPtr, pathLen, call);
  if (typeof path === "number") return path;
  const rel = resolvePath(dir.descriptor, path, follow);
  if (typeof rel === "number") return rel;
  resolved.rel = rel;
  resolved.guest = joinGuestPath(dir.guestPath, rel);
  resolved.trailingSlash = path.charCodeAt(path.length - 1) === 47;
  return write === undefined ? Errno.SUCCESS : checkAccess(ctx.filesystem, ctx.audit, resolved.guest, write);
}
const resolved = { rel: "", guest: "", trailingSlash: false };

/**
 * The errno for a path that ends in `/` and names nothing yet, in a call that would create
 * a non-directory there: the slash says "a directory", so the name may not be taken as a
 * file or link. `SUCCESS` when there is no slash or the entry exists (resolution has
 * already refused `file/` with `ENOTDIR`). POSIX and Linux: `ENOENT` for `linkat` and
 * `symlinkat` (wasmtime's tests `path_link` and `path_symlink_trailing_slashes`),
 * `EISDIR` for `openat(O_CREAT)`.
 */
function missingWithSlash(dir: Descriptor, rel: string, errno: number): number {
  return resolved.trailingSlash && !exists(dir, rel) ? errno : Errno.SUCCESS;
}

/** The adapter's id of the entry at `rel` under `dir`, not following a final link. */
function inoAt(dir: Descriptor, rel: string): bigint {
  return dir.metadataHashAt(NO_FOLLOW, rel).upper;
}

/** The times of the entry at `rel` under `dir`. */
function timesAt(ctx: WasiContext, dir: Descriptor, rel: string): FileTimes {
  return ctx.filesystem.times.get(inoAt(dir, rel));
}

/** A name was added to or removed from the directory that holds `rel`: its `mtim` and `ctim`. */
function directoryChanged(ctx: WasiContext, dir: Descriptor, rel: string, now: bigint): void {
  const slash = rel.lastIndexOf("/");
  modified(timesAt(ctx, dir, slash < 0 ? "" : rel.slice(0, slash)), now);
}

/** The entry at `rel` lost a name: its `ctim` moves, or its times go with its last name. */
function nameRemoved(ctx: WasiContext, ino: bigint, lastName: boolean, now: bigint): void {
  if (lastName) ctx.filesystem.times.forget(ino);
  else changed(ctx.filesystem.times.get(ino), now);
}

/**
 * `path_create_directory(fd, path: string) -> errno`; POSIX `mkdirat`.
 * An existing entry (the fd's own directory included) is `EEXIST`.
 */
export function pathCreateDirectory(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  const errno = prepare(ctx, dir, pathPtr, pathLen, false, true, "path_create_directory");
  if (errno) return errno;
  if (resolved.rel === "") return Errno.EXIST;
  dir.descriptor.createDirectoryAt(resolved.rel);
  const now = realtimeNanos();
  ctx.filesystem.times.created(inoAt(dir.descriptor, resolved.rel), now);
  directoryChanged(ctx, dir.descriptor, resolved.rel, now);
  return Errno.SUCCESS;
}

/**
 * `path_filestat_get(fd, flags: lookupflags, path: string, buf: *filestat) -> errno`; POSIX
 * `fstatat` (`AT_SYMLINK_NOFOLLOW` unless `symlink_follow`). A read.
 */
export function pathFilestatGet(ctx: WasiContext, fd: number, flags: number, pathPtr: number, pathLen: number, bufPtr: number): number {
  check(ctx.memory, bufPtr, Layout.FILESTAT_SIZE, "path_filestat_get");
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  const errno = prepare(ctx, dir, pathPtr, pathLen, (flags & Lookupflags.SYMLINK_FOLLOW) !== 0, false, "path_filestat_get");
  if (errno) return errno;
  const stat = dir.descriptor.statAt(NO_FOLLOW, resolved.rel);
  const ino = inoAt(dir.descriptor, resolved.rel);
  writeFilestat(ctx.memory, bufPtr, stat, ino, ctx.filesystem.times.get(ino), "path_filestat_get");
  return Errno.SUCCESS;
}

/**
 * `path_filestat_set_times(fd, flags, path, atim, mtim, fst_flags) -> errno`; POSIX
 * `utimensat`. A write; contradictory flags are `EINVAL`. Without `symlink_follow` a final
 * symbolic link gets the times itself (Linux `AT_SYMLINK_NOFOLLOW`, which wasmtime passes
 * on); with it, its target. `ctim` moves to now (see `setTimes`). The flags are judged
 * before the fd and the path, as wasmtime does.
 */
export function pathFilestatSetTimes(
  ctx: WasiContext, fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fstFlags: number,
): number {
  if (!validFstflags(fstFlags)) return Errno.INVAL;
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  const errno = prepare(ctx, dir, pathPtr, pathLen, (flags & Lookupflags.SYMLINK_FOLLOW) !== 0, true, "path_filestat_set_times");
  if (errno) return errno;
  setTimes(timesAt(ctx, dir.descriptor, resolved.rel), atim, mtim, fstFlags, realtimeNanos());
  return Errno.SUCCESS;
}

/**
 * `path_link(old_fd, old_flags, old_path, new_fd, new_path) -> errno`; POSIX `linkat`.
 * Writes on both paths. `symlink_follow` in `old_flags` is `EINVAL`, as wasmtime (its
 * preview2 `link-at` refuses to follow; a link to a symbolic link links the link itself).
 * A directory cannot be linked (`EPERM`); an existing new path is `EEXIST`; a new path
 * `name/` that does not exist is `ENOENT` (POSIX; wasmtime's `path_link` test), one that
 * is a file `ENOTDIR`.
 */
export function pathLink(
  ctx: WasiContext, oldFd: number, oldFlags: number, oldPathPtr: number, oldPathLen: number, newFd: number, newPathPtr: number, newPathLen: number,
): number {
  const oldDir = ctx.fds.directory(oldFd);
  if (!oldDir) return notADirectory(ctx, oldFd);
  const newDir = ctx.fds.directory(newFd);
  if (!newDir) return notADirectory(ctx, newFd);
  if (oldFlags & Lookupflags.SYMLINK_FOLLOW) return Errno.INVAL;
  let errno = prepare(ctx, oldDir, oldPathPtr, oldPathLen, false, true, "path_link");
  if (errno) return errno;
  const oldRel = resolved.rel;
  errno = prepare(ctx, newDir, newPathPtr, newPathLen, false, true, "path_link");
  if (errno) return errno;
  errno = missingWithSlash(newDir.descriptor, resolved.rel, Errno.NOENT);
  if (errno) return errno;
  oldDir.descriptor.linkAt(NO_FOLLOW, oldRel, newDir.descriptor, resolved.rel);
  const now = realtimeNanos();
  changed(timesAt(ctx, oldDir.descriptor, oldRel), now);
  directoryChanged(ctx, newDir.descriptor, resolved.rel, now);
  return Errno.SUCCESS;
}

/**
 * `path_open(fd, dirflags, path, oflags, fs_rights_base, fs_rights_inheriting, fdflags,
 * opened_fd: *fd) -> errno`; POSIX `openat`.
 *
 * The access is a write when the call truncates, creates a file that does not exist,
 * appends, or asks for a writing right (`FD_WRITE`, `FD_ALLOCATE`, `FD_FILESTAT_SET_SIZE`:
 * what wasi-libc and Rust's std ask for with `O_WRONLY`); otherwise a read. The new fd
 * holds the rights asked for, within the directory's inheriting rights, and a directory
 * only those a directory has a use for ({@link DIRECTORY_RIGHTS_BASE}, reported by
 * `fd_fdstat_get`). A directory opened with `FD_WRITE` is `EISDIR`. Every `fdflags` bit is
 * kept and reported: `APPEND` and `NONBLOCK` as usual, and `DSYNC`, `RSYNC`, `SYNC` as
 * wasmtime keeps them (it opens the host file with `O_DSYNC`/`O_RSYNC`/`O_SYNC` and
 * reports them back); an in-memory file is always synced, so they need nothing more.
 * Unknown `oflags`/`fdflags` bits, or `O_CREAT | O_DIRECTORY` (Linux: `EINVAL`;
 * directories are made with `path_create_directory`), are `EINVAL`;
 * `O_EXCL` never follows the last component; more than 4096 fds open is `EMFILE`.
 * `O_CREAT` on `name/` that does not exist is `EISDIR` (Linux, which wasmtime passes
 * through: the slash asks for a directory, and `O_CREAT` only makes files); `file/` is
 * `ENOTDIR`.
 */
export function pathOpen(
  ctx: WasiContext, fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
  rightsBase: bigint, rightsInheriting: bigint, fdflags: number, openedFdPtr: number,
): number {
  check(ctx.memory, openedFdPtr, 4, "path_open");
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  if (oflags & ~0xf || fdflags & ~0x1f) return Errno.INVAL;
  if ((oflags & (Oflags.CREAT | Oflags.DIRECTORY)) === (Oflags.CREAT | Oflags.DIRECTORY)) return Errno.INVAL;
  const exclusive = (oflags & (Oflags.CREAT | Oflags.EXCL)) === (Oflags.CREAT | Oflags.EXCL);
  const follow = (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0 && !exclusive;
  const base = Number(BigInt.asUintN(64, rightsBase) & BigInt(ALL_RIGHTS)) & dir.rightsInheriting;
  const inheriting = Number(BigInt.asUintN(64, rightsInheriting) & BigInt(ALL_RIGHTS)) & dir.rightsInheriting;
  let errno = prepare(ctx, dir, pathPtr, pathLen, follow, undefined, "path_open");
  if (errno) return errno;
  const rel = resolved.rel;
  const prior = oflags & (Oflags.CREAT | Oflags.TRUNC) ? statOrNothing(dir.descriptor, rel) : undefined;
  const creates = (oflags & Oflags.CREAT) !== 0 && prior === undefined;
  const write = (oflags & Oflags.TRUNC) !== 0 || (base & WRITE_RIGHTS) !== 0 || (fdflags & Fdflags.APPEND) !== 0 || creates;
  errno = checkAccess(ctx.filesystem, ctx.audit, resolved.guest, write);
  if (errno) return errno;
  if (oflags & Oflags.CREAT) {
    errno = missingWithSlash(dir.descriptor, rel, Errno.ISDIR);
    if (errno) return errno;
  }
  const truncates = (oflags & Oflags.TRUNC) !== 0 && prior?.type === "regular-file";
  const descriptor = dir.descriptor.openAt(NO_FOLLOW, rel, openFlags(oflags), descriptorFlags(base));
  if (truncates) release(ctx.quota, Number(prior.size));
  const isDirectory = descriptor.getType() === "directory";
  if (isDirectory && base & Rights.FD_WRITE) return Errno.ISDIR;
  const entry = isDirectory
    ? new FdEntry(FdKind.directory, descriptor, resolved.guest, base & DIRECTORY_RIGHTS_BASE, inheriting & DIRECTORY_RIGHTS_INHERITING, fdflags)
    : new FdEntry(FdKind.file, descriptor, resolved.guest, base, inheriting, fdflags);
  entry.times = openedTimes(ctx, dir.descriptor, rel, descriptor, creates, truncates);
  const opened = ctx.fds.add(entry);
  if (opened < 0) return Errno.MFILE;
  writeU32(ctx.memory, openedFdPtr, opened, "path_open");
  return Errno.SUCCESS;
}

/** The times of a file just opened: new ones when it was created, `mtim`/`ctim` moved when truncated. */
function openedTimes(ctx: WasiContext, dir: Descriptor, rel: string, opened: Descriptor, creates: boolean, truncates: boolean): FileTimes {
  const ino = opened.metadataHash().upper;
  if (!creates && !truncates) return ctx.filesystem.times.get(ino);
  const now = realtimeNanos();
  if (!creates) {
    const times = ctx.filesystem.times.get(ino);
    modified(times, now);
    return times;
  }
  directoryChanged(ctx, dir, rel, now);
  return ctx.filesystem.times.created(ino, now);
}

/** The stat of `rel` under `dir` (not following), `undefined` when nothing is there. */
function statOrNothing(dir: Descriptor, rel: string): DescriptorStat | undefined {
  try {
    return dir.statAt(NO_FOLLOW, rel);
  } catch (error) {
    if (error === "no-entry") return undefined;
    throw error;
  }
}

function exists(dir: Descriptor, rel: string): boolean {
  try {
    dir.statAt(NO_FOLLOW, rel);
    return true;
  } catch (error) {
    return error !== "no-entry";
  }
}

function openFlags(oflags: number): OpenFlags {
  return {
    create: (oflags & Oflags.CREAT) !== 0,
    directory: (oflags & Oflags.DIRECTORY) !== 0,
    exclusive: (oflags & Oflags.EXCL) !== 0,
    truncate: (oflags & Oflags.TRUNC) !== 0,
  };
}

function descriptorFlags(rights: number): DescriptorFlags {
  return { read: (rights & Rights.FD_READ) !== 0, write: (rights & Rights.FD_WRITE) !== 0 };
}

/**
 * `path_readlink(fd, path, buf: *u8, buf_len: size, bufused: *size) -> errno`; POSIX
 * `readlinkat`. A read. The target is cut to `buf_len` bytes, without NUL (as wasmtime);
 * a path that is not a symbolic link is `EINVAL`.
 */
export function pathReadlink(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number, bufPtr: number, bufLen: number, usedPtr: number): number {
  check(ctx.memory, usedPtr, 4, "path_readlink");
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  const errno = prepare(ctx, dir, pathPtr, pathLen, false, false, "path_readlink");
  if (errno) return errno;
  const target = encodeUtf8(dir.descriptor.readlinkAt(resolved.rel));
  const bytes = target.subarray(0, Math.min(target.length, bufLen >>> 0));
  writeBytes(ctx.memory, bufPtr, bytes, "path_readlink");
  writeU32(ctx.memory, usedPtr, bytes.length, "path_readlink");
  return Errno.SUCCESS;
}

/**
 * `path_remove_directory(fd, path) -> errno`; POSIX `unlinkat(AT_REMOVEDIR)`. A write.
 * Not empty → `ENOTEMPTY`; not a directory → `ENOTDIR`; the fd's own directory `EINVAL`.
 */
export function pathRemoveDirectory(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  const errno = prepare(ctx, dir, pathPtr, pathLen, false, true, "path_remove_directory");
  if (errno) return errno;
  const ino = resolved.rel === "" ? undefined : inoAt(dir.descriptor, resolved.rel);
  dir.descriptor.removeDirectoryAt(resolved.rel);
  const now = realtimeNanos();
  if (ino !== undefined) nameRemoved(ctx, ino, true, now);
  directoryChanged(ctx, dir.descriptor, resolved.rel, now);
  return Errno.SUCCESS;
}

/**
 * `path_rename(fd, old_path, new_fd, new_path) -> errno`; POSIX `renameat`. Writes on both
 * paths; across directories and preopens alike. Replacing follows POSIX (`EISDIR`,
 * `ENOTDIR`, `ENOTEMPTY`); moving a directory into itself is `EINVAL`. A trailing `/` on
 * either path is for directories only: renaming a file as `source/` or to `target/` is
 * `ENOTDIR` whether or not the target exists (wasmtime's
 * `path_rename_file_trailing_slashes` test). Open fds below the old path keep working
 * under the new one.
 */
export function pathRename(
  ctx: WasiContext, fd: number, oldPathPtr: number, oldPathLen: number, newFd: number, newPathPtr: number, newPathLen: number,
): number {
  const oldDir = ctx.fds.directory(fd);
  if (!oldDir) return notADirectory(ctx, fd);
  const newDir = ctx.fds.directory(newFd);
  if (!newDir) return notADirectory(ctx, newFd);
  let errno = prepare(ctx, oldDir, oldPathPtr, oldPathLen, false, true, "path_rename");
  if (errno) return errno;
  const { rel: oldRel, guest: oldGuest } = resolved;
  const oldSlash = resolved.trailingSlash;
  errno = prepare(ctx, newDir, newPathPtr, newPathLen, false, true, "path_rename");
  if (errno) return errno;
  if ((oldSlash || resolved.trailingSlash) && oldDir.descriptor.statAt(NO_FOLLOW, oldRel).type !== "directory") return Errno.NOTDIR;
  const same = sameEntry(oldDir.descriptor, oldRel, newDir.descriptor, resolved.rel);
  const replaced = same ? undefined : statOrNothing(newDir.descriptor, resolved.rel);
  const replacedIno = replaced && inoAt(newDir.descriptor, resolved.rel);
  const movedIno = inoAt(oldDir.descriptor, oldRel);
  oldDir.descriptor.renameAt(oldRel, newDir.descriptor, resolved.rel);
  ctx.fds.renamePaths(oldGuest, resolved.guest);
  if (same) return Errno.SUCCESS;
  const lastName = replaced !== undefined && (replaced.type === "directory" || replaced.linkCount <= 1n);
  if (replaced?.type === "regular-file" && lastName) release(ctx.quota, Number(replaced.size));
  const now = realtimeNanos();
  if (replacedIno !== undefined) nameRemoved(ctx, replacedIno, lastName, now);
  changed(ctx.filesystem.times.get(movedIno), now);
  directoryChanged(ctx, oldDir.descriptor, oldRel, now);
  directoryChanged(ctx, newDir.descriptor, resolved.rel, now);
  return Errno.SUCCESS;
}

/** True when both names are the same entry (a rename between two links of one file changes nothing). */
function sameEntry(oldDir: Descriptor, oldRel: string, newDir: Descriptor, newRel: string): boolean {
  try {
    return oldDir.metadataHashAt(NO_FOLLOW, oldRel).upper === newDir.metadataHashAt(NO_FOLLOW, newRel).upper;
  } catch {
    return false;
  }
}

/**
 * `path_symlink(old_path, fd, new_path) -> errno`; POSIX `symlinkat`. A write on the new
 * path. The target is stored as given; an absolute one is `EPERM` (the adapter's
 * `not-permitted`: it could only point outside the capability). A target that climbs out
 * can be created but never followed (`EPERM` when used). A new path `name/` is `ENOENT`
 * when nothing is there, `ENOTDIR` when a file is, `EEXIST` when a directory is (wasmtime's
 * `path_symlink_trailing_slashes` test, on unix).
 */
export function pathSymlink(ctx: WasiContext, oldPathPtr: number, oldPathLen: number, fd: number, newPathPtr: number, newPathLen: number): number {
  const target = readPath(ctx.memory, oldPathPtr, oldPathLen, "path_symlink");
  if (typeof target === "number") return target;
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  let errno = prepare(ctx, dir, newPathPtr, newPathLen, false, true, "path_symlink");
  if (errno) return errno;
  errno = missingWithSlash(dir.descriptor, resolved.rel, Errno.NOENT);
  if (errno) return errno;
  dir.descriptor.symlinkAt(target, resolved.rel);
  const now = realtimeNanos();
  ctx.filesystem.times.created(inoAt(dir.descriptor, resolved.rel), now);
  directoryChanged(ctx, dir.descriptor, resolved.rel, now);
  return Errno.SUCCESS;
}

/**
 * `path_unlink_file(fd, path) -> errno`; POSIX `unlinkat`. A write. A directory is
 * `EISDIR`; a symbolic link is removed itself, never its target.
 */
export function pathUnlinkFile(ctx: WasiContext, fd: number, pathPtr: number, pathLen: number): number {
  const dir = ctx.fds.directory(fd);
  if (!dir) return notADirectory(ctx, fd);
  const errno = prepare(ctx, dir, pathPtr, pathLen, false, true, "path_unlink_file");
  if (errno) return errno;
  const stat = statOrNothing(dir.descriptor, resolved.rel);
  const ino = stat && inoAt(dir.descriptor, resolved.rel);
  dir.descriptor.unlinkFileAt(resolved.rel);
  const lastName = stat !== undefined && stat.linkCount <= 1n;
  if (stat?.type === "regular-file" && lastName) release(ctx.quota, Number(stat.size));
  const now = realtimeNanos();
  if (ino !== undefined) nameRemoved(ctx, ino, lastName, now);
  directoryChanged(ctx, dir.descriptor, resolved.rel, now);
  return Errno.SUCCESS;
}

