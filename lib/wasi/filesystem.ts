/**
 * The per-instance filesystem: preopens over preview2's in-memory adapter, governed by the
 * manifest's filesystem permissions.
 *
 * Each instance gets its own trees (`createFilesystem({ adapter, preopens })` with
 * `InMemoryFilesystemAdapter`, none of the shim's module-global `_setFileData`). The
 * adapter is used as it is: its trees are plain `FileData` objects that it mutates in
 * place, which is what {@link snapshotFiles} reads back after a run.
 *
 * Permissions (`[permissions] filesystem = ["read:P", "write:P", "P"]`, bare = read, plus
 * `filesystem_read`/`filesystem_write`):
 * - Paths are guest paths. A relative one (`~/.config/x`) is taken under `/` (`/~/.config/x`),
 *   which is also where wasi-libc resolves a relative path with its default cwd `/`.
 * - Matching is by prefix, component-wise: `write:/data/out` permits `/data/out` and
 *   `/data/out/x`, not `/data/outside`. FrankenTerm's code (`src/manifest.rs`,
 *   `allows_read`) compares strings (`path.starts_with(allowed)`); with a trailing `/`
 *   both agree, without one the playground is the stricter. A test pins this.
 * - Reading is allowed under read or write paths (FrankenTerm's code checks only
 *   `filesystem_read` for reads); writing, creating, renaming and unlinking only under
 *   write paths.
 * - Each distinct top-level permitted path is a preopen, fds 3, 4, … in lexicographic
 *   order of the path. A permitted path that `files` gives as a file preopens its parent
 *   (a preopen must be a directory); the rest of that directory stays unreadable.
 * - A refused access is `EACCES` (POSIX's "permission denied"; the call was well-formed
 *   and the fd had the rights, a policy said no) with an audit record `fs_read`/`fs_write`
 *   `Denied("… access denied: PATH")`; a granted one is recorded as `Ok`, as `env_get` is.
 */

import {
  createFilesystem,
  InMemoryFilesystemAdapter,
  type FileDataEntry,
} from "@bytecodealliance/preview2-shim/filesystem";
import type { Descriptor } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { AuditFn, Detail, Outcome, type AuditTrail } from "../audit/trail";
import { encodeUtf8 } from "../memory";
import { Errno } from "./errno";
import { TimeTable } from "./times";

/** The manifest's filesystem permissions, as `lib/manifest` parses them. */
export interface FilesystemPermissions {
  /** Paths the extension may read (prefix match). */
  read: readonly string[];
  /** Paths the extension may write, and read (prefix match). */
  write: readonly string[];
}

/** An initial tree: absolute path → contents (a string is UTF-8 text), `null` = directory. */
export type InitialFiles = Readonly<Record<string, string | Uint8Array | null>>;

/** One preopened directory. */
export interface Preopen {
  /** The guest path, e.g. `/data`. */
  path: string;
  /** Its preview2 descriptor. */
  descriptor: Descriptor;
}

/** The filesystem state of one instance. */
export interface WasiFilesystem {
  /** Preopens in fd order (the first is fd 3). */
  preopens: Preopen[];
  /** Normalised read paths. */
  read: string[];
  /** Normalised write paths. */
  write: string[];
  /** The `FileData` root of each preopen (mutated in place by the adapter). */
  roots: Map<string, FileDataEntry>;
  /** The times of every entry (the adapter keeps none). */
  times: TimeTable;
  /** Initial entries no preopen reaches: the guest cannot see them; snapshots keep them. */
  unreachable: Map<string, Uint8Array | null>;
  /** Releases the adapter. */
  dispose(): void;
}

/** `/a/./b//c/../d/` → `/a/b/d`; a relative path is taken under `/`. */
export function normalizeGuestPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** True when normalised `path` is `prefix` or below it (component-wise). */
export function pathPermitted(prefix: string, path: string): boolean {
  return prefix === "/" || path === prefix || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 47);
}

/** `base` + `/` + `rel`, for guest paths (`rel` relative, possibly empty). */
export function joinGuestPath(base: string, rel: string): string {
  if (rel === "") return base;
  return base === "/" ? `/${rel}` : `${base}/${rel}`;
}

function parentPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

/**
 * Builds the filesystem of one instance.
 * @throws {Error} when `files` is contradictory (a file where a directory must be).
 */
export function createWasiFilesystem(files: InitialFiles, permissions: FilesystemPermissions): WasiFilesystem {
  const initial = new Map<string, Uint8Array | null>();
  for (const [path, content] of Object.entries(files)) {
    initial.set(normalizeGuestPath(path), typeof content === "string" ? encodeUtf8(content) : content === null ? null : content.slice());
  }
  const read = permissions.read.map(normalizeGuestPath);
  const write = permissions.write.map(normalizeGuestPath);
  const candidates = new Set<string>();
  for (const path of [...read, ...write]) candidates.add(initial.get(path) ? parentPath(path) : path);
  const paths: string[] = [];
  for (const path of [...candidates].sort()) {
    if (!paths.some((root) => pathPermitted(root, path))) paths.push(path);
  }

  const roots = new Map<string, FileDataEntry>(paths.map((path) => [path, { dir: {} }]));
  const unreachable = new Map<string, Uint8Array | null>();
  for (const [path, content] of [...initial].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const root = paths.find((prefix) => pathPermitted(prefix, path));
    if (root === undefined) unreachable.set(path, content);
    else place(roots.get(root) as FileDataEntry, root, path, content);
  }

  const filesystem = createFilesystem({ adapter: new InMemoryFilesystemAdapter(), preopens: Object.fromEntries(roots) });
  const preopens = filesystem.preopens.getDirectories().map(([descriptor, path]) => ({ path, descriptor }));
  return { preopens, read, write, roots, times: new TimeTable(), unreachable, dispose: () => filesystem.dispose() };
}

/** Puts `content` at `path` (below `rootPath`) in the tree `root`, creating directories. */
function place(root: FileDataEntry, rootPath: string, path: string, content: Uint8Array | null): void {
  const names = path === rootPath ? [] : path.slice(rootPath === "/" ? 1 : rootPath.length + 1).split("/");
  let dir = root;
  let at = rootPath;
  for (const [i, name] of names.entries()) {
    at = joinGuestPath(at, name);
    const children = dir.dir as Record<string, FileDataEntry>;
    const isLast = i === names.length - 1;
    const existing = children[name];
    if (isLast && content !== null) {
      // Entries are placed in sorted order, so nothing is below `path` yet.
      children[name] = { source: content };
      return;
    }
    if (existing && !existing.dir) throw new Error(`files: "${at}" is a file, but "${path}" is inside it`);
    dir = children[name] ??= { dir: {} };
  }
  if (content !== null && names.length === 0) throw new Error(`files: "${path}" is a preopened directory, not a file`);
}

/**
 * Checks one access against the permissions and audits it as the host names it:
 * `fs_read`/`fs_write`, `Ok` or `Denied("read access denied: PATH")`.
 * @returns `Errno.SUCCESS`, or `Errno.ACCES` when refused.
 */
export function checkAccess(fs: WasiFilesystem, audit: AuditTrail, path: string, write: boolean): number {
  const allowed = write
    ? fs.write.some((prefix) => pathPermitted(prefix, path))
    : fs.read.some((prefix) => pathPermitted(prefix, path)) || fs.write.some((prefix) => pathPermitted(prefix, path));
  const fn = write ? AuditFn.fsWrite : AuditFn.fsRead;
  if (allowed) {
    audit.record(fn, Outcome.ok, Detail.none, encodeUtf8(path));
    return Errno.SUCCESS;
  }
  audit.record(fn, Outcome.denied, Detail.deniedPath, encodeUtf8(path), Errno.ACCES);
  return Errno.ACCES;
}

/**
 * The files and directories after a run: absolute path → contents (a copy), `null` for a
 * directory, sorted by path. Covers every preopen (the root included) and the initial
 * entries no preopen reaches, unchanged. Symbolic links are left out.
 */
export function snapshotFiles(ctx: { filesystem: WasiFilesystem }): Record<string, Uint8Array | null> {
  const out = new Map<string, Uint8Array | null>(ctx.filesystem.unreachable);
  const walk = (path: string, entry: FileDataEntry): void => {
    if (entry.dir) {
      out.set(path, null);
      for (const [name, child] of Object.entries(entry.dir)) walk(joinGuestPath(path, name), child);
    } else if (entry.source !== undefined) {
      out.set(path, typeof entry.source === "string" ? encodeUtf8(entry.source) : entry.source.slice());
    }
  };
  for (const [path, root] of ctx.filesystem.roots) walk(path, root);
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
