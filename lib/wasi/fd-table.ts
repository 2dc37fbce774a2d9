/**
 * The descriptor table: what each preview1 `fd` of one instance refers to.
 *
 * As in wasmtime's preview1 adapter (`crates/wasi/src/p1.rs`, `Descriptors`), fds 0-2 are
 * the CLI streams, the preopens follow from 3, and `path_open` adds files and directories,
 * each backed by a preview2 `Descriptor`. preview2 has no offsets, rights or fd flags, so
 * they live here: a file's position, its `fdflags`, and its rights.
 * Rights are plain numbers (all defined bits fit in 30), enforced where POSIX would refuse
 * the call: `fd_read` without `FD_READ` and writes without `FD_WRITE` are `EBADF`.
 * A new fd gets the lowest free number, as POSIX `open` does.
 */

import type { Descriptor } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import type { FileTimes } from "./times";

/** What an fd refers to. */
export const FdKind = { stdin: 0, stdout: 1, stderr: 2, directory: 3, file: 4 } as const;
export type FdKind = (typeof FdKind)[keyof typeof FdKind];

/** Most fds open at once; past it `path_open` is `EMFILE`. */
export const MAX_FDS = 4096;

/** A directory's entries as `fd_readdir` saw them when it started from cookie 0. */
export interface DirectoryListing {
  names: Uint8Array[];
  types: number[];
  inodes: bigint[];
}

/** One open descriptor. */
export class FdEntry {
  /** Offset of the next `fd_read`/`fd_write` (files only). */
  position = 0;
  /** The listing `fd_readdir` continues from (directories only). */
  listing: DirectoryListing | undefined = undefined;
  /**
   * The entry's times (files and directories; set when the fd is made). The fd holds its
   * own reference, so a file unlinked while open keeps its times.
   */
  times: FileTimes | undefined = undefined;

  /**
   * @param kind what the fd refers to.
   * @param descriptor the preview2 descriptor (files and directories).
   * @param guestPath absolute path as the guest sees it (`/data/notes.txt`); permissions
   *   are checked against it, and `path_rename` keeps it current.
   * @param rightsBase `fs_rights_base`.
   * @param rightsInheriting `fs_rights_inheriting`.
   * @param fdflags as opened (all five bits) or changed by `fd_fdstat_set_flags` (`APPEND`, `NONBLOCK`).
   * @param preopenName the preopen's path as UTF-8, for `fd_prestat_*`; absent otherwise.
   */
  constructor(
    readonly kind: FdKind,
    readonly descriptor: Descriptor | undefined,
    public guestPath: string,
    public rightsBase: number,
    public rightsInheriting: number,
    public fdflags = 0,
    readonly preopenName?: Uint8Array,
  ) {}
}

/** A file or directory entry: one with a preview2 descriptor and times. */
export type DescriptorEntry = FdEntry & { readonly descriptor: Descriptor; times: FileTimes };

/** The fds of one instance. */
export class FdTable {
  private readonly entries: (FdEntry | undefined)[] = [];
  private open = 0;

  /** The entry of `fd` (taken as unsigned), or `undefined` when it is not open. */
  get(fd: number): FdEntry | undefined {
    return this.entries[fd >>> 0];
  }

  /** The entry of `fd` when it is an open file. */
  file(fd: number): DescriptorEntry | undefined {
    const entry = this.entries[fd >>> 0];
    return entry?.kind === FdKind.file && entry.descriptor && entry.times ? (entry as DescriptorEntry) : undefined;
  }

  /** The entry of `fd` when it is an open directory. */
  directory(fd: number): DescriptorEntry | undefined {
    const entry = this.entries[fd >>> 0];
    return entry?.kind === FdKind.directory && entry.descriptor && entry.times ? (entry as DescriptorEntry) : undefined;
  }

  /** Adds `entry` under the lowest free fd; `-1` when {@link MAX_FDS} are open. */
  add(entry: FdEntry): number {
    if (this.open >= MAX_FDS) return -1;
    let fd = 0;
    while (this.entries[fd] !== undefined) fd++;
    this.entries[fd] = entry;
    this.open++;
    return fd;
  }

  /** Closes `fd`; false when it was not open. */
  close(fd: number): boolean {
    if (this.get(fd) === undefined) return false;
    this.entries[fd >>> 0] = undefined;
    this.open--;
    return true;
  }

  /** Moves `from` to `to`, closing what `to` was; false when either is not open. */
  renumber(from: number, to: number): boolean {
    const entry = this.get(from);
    if (entry === undefined || this.get(to) === undefined) return false;
    if (from >>> 0 === to >>> 0) return true;
    this.entries[to >>> 0] = entry;
    this.entries[from >>> 0] = undefined;
    this.open--;
    return true;
  }

  /** After a rename, points every fd at or below `from` to the same place below `to`. */
  renamePaths(from: string, to: string): void {
    for (const entry of this.entries) {
      if (entry === undefined || entry.preopenName) continue;
      if (entry.guestPath === from) entry.guestPath = to;
      else if (entry.guestPath.startsWith(`${from}/`)) entry.guestPath = to + entry.guestPath.slice(from.length);
    }
  }
}
