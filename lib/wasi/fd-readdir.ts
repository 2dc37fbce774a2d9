/**
 * `fd_readdir` (witx `wasi_snapshot_preview1.witx`); POSIX `readdir` on an open directory.
 */

import type { Descriptor } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { encodeUtf8 } from "../memory";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { filetypeOf } from "./fd-stat";
import type { DirectoryListing } from "./fd-table";
import { checkAccess } from "./filesystem";
import { check, writeU32 } from "./guest-memory";
import { NO_FOLLOW } from "./path-resolve";
import { accessed, realtimeNanos } from "./times";
import { Filetype, Layout } from "./witx";

const DOT = encodeUtf8(".");
const DOT_DOT = encodeUtf8("..");

/**
 * `fd_readdir(fd, buf: *u8, buf_len: size, cookie: dircookie, bufused: *size) -> errno`.
 *
 * Fills `buf` with `dirent` headers (24 bytes) each followed by its name, starting at entry
 * number `cookie`: `.` (cookie 0), `..` (1), then the entries sorted by name (the in-memory
 * adapter's order), as wasmtime lists them. Each `d_next` is the cookie of the entry after
 * it. witx: "If less than the size of the read buffer, the end of the directory has been
 * reached": when the buffer fills, the last entry is cut off and `bufused == buf_len`, and
 * the caller reads again from that entry's cookie with a larger buffer (wasi-libc does).
 *
 * Cookies must survive changes to the directory: a program that unlinks each entry as it
 * reads it (Rust's `remove_dir_all`) would otherwise skip every other one. So reading from
 * cookie 0 takes a snapshot of the listing, kept on the fd, and later cookies index into
 * it (POSIX leaves it unspecified whether entries added or removed since `rewinddir` are
 * listed). Reading a directory is a read: the fd's path needs a read or write permission.
 * Not a directory → `EBADF` (wasmtime); the buffer outside memory → trap. Moves the
 * directory's `atim` by the `relatime` rule, as Linux's `getdents` (see `times.ts`).
 */
export function fdReaddir(ctx: WasiContext, fd: number, bufPtr: number, bufLen: number, cookie: bigint, usedPtr: number): number {
  const start = check(ctx.memory, bufPtr, bufLen, "fd_readdir");
  check(ctx.memory, usedPtr, 4, "fd_readdir");
  const dir = ctx.fds.directory(fd);
  if (!dir) return Errno.BADF;
  const denied = checkAccess(ctx.filesystem, ctx.audit, dir.guestPath, false);
  if (denied) return denied;
  const position = BigInt.asUintN(64, cookie);
  if (position === 0n || !dir.listing) dir.listing = list(dir.descriptor);
  accessed(dir.times, realtimeNanos());
  const { names, types, inodes } = dir.listing;

  const capacity = bufLen >>> 0;
  const bytes = ctx.memory.bytes();
  const header = new DataView(new ArrayBuffer(Layout.DIRENT_SIZE));
  const headerBytes = new Uint8Array(header.buffer);
  let used = 0;
  for (let i = position > BigInt(names.length) ? names.length : Number(position); i < names.length && used < capacity; i++) {
    const name = names[i] as Uint8Array;
    header.setBigUint64(0, BigInt(i + 1), true);
    header.setBigUint64(8, inodes[i] ?? 0n, true);
    header.setUint32(16, name.length, true);
    header.setUint32(20, types[i] ?? Filetype.UNKNOWN, true); // d_type u8 + 3 bytes of padding
    const headerLength = Math.min(Layout.DIRENT_SIZE, capacity - used);
    bytes.set(headerBytes.subarray(0, headerLength), start + used);
    used += headerLength;
    const nameLength = Math.min(name.length, capacity - used);
    bytes.set(name.subarray(0, nameLength), start + used);
    used += nameLength;
  }
  writeU32(ctx.memory, usedPtr, used, "fd_readdir");
  return Errno.SUCCESS;
}

/** `.`, `..`, then the directory's entries, with their types and inode numbers. */
function list(descriptor: Descriptor): DirectoryListing {
  const self = descriptor.metadataHash().upper;
  const listing: DirectoryListing = {
    names: [DOT, DOT_DOT],
    types: [Filetype.DIRECTORY, Filetype.DIRECTORY],
    inodes: [self, self],
  };
  const stream = descriptor.readDirectory();
  for (let entry = stream.readDirectoryEntry(); entry; entry = stream.readDirectoryEntry()) {
    listing.names.push(encodeUtf8(entry.name));
    listing.types.push(filetypeOf(entry.type));
    listing.inodes.push(descriptor.metadataHashAt(NO_FOLLOW, entry.name).upper);
  }
  return listing;
}
