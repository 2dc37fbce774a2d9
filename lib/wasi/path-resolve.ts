/**
 * Path resolution below a directory fd, as a capability-based host must do it.
 *
 * preview1 paths are relative to a directory fd and must not leave it (witx `path_open`:
 * "the path is relative to `fd`"; wasmtime enforces it with `cap-std`). The playground
 * resolves every path itself, one component at a time, so that the path the permission
 * check sees is the path the adapter touches:
 * - `.` and empty components are dropped; `..` pops a component, and popping past the fd's
 *   own directory is `EPERM` (cap-std's and the adapter's `not-permitted`);
 * - an absolute path is `EPERM` (it names no capability);
 * - a symbolic link met on the way, or at the end when following, is replaced by its
 *   target, itself resolved by the same rules: an absolute target or one that climbs out
 *   is `EPERM`; more than 40 links is `ELOOP` (Linux's `MAXSYMLINKS`, the adapter's limit);
 * - a trailing `/` makes the last component followed, and it must be a directory (POSIX);
 * - a component that is not a directory but has more after it is `ENOTDIR`.
 * The result is a canonical path relative to the fd (`""` is the fd's directory itself)
 * with no `.`, `..` or symbolic link in it, except the last component when not following.
 */

import type { Descriptor, PathFlags } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { Errno } from "./errno";

/** Links followed in one resolution before giving up with `ELOOP`. */
export const MAX_SYMLINKS = 40;

/** `path-flags` that never follow: every path handed to the adapter is already resolved. */
export const NO_FOLLOW: PathFlags = Object.freeze({ symlinkFollow: false });

/**
 * Resolves `path` below the directory `dir`.
 * @param followFinal follow a symbolic link in the last component.
 * @returns the canonical relative path, or an errno. A missing last component is not an
 *   error (the caller may be about to create it); a missing directory on the way throws
 *   the adapter's `no-entry`, which the import wrapper maps to `ENOENT`.
 */
export function resolvePath(dir: Descriptor, path: string, followFinal: boolean): string | number {
  if (path === "") return Errno.NOENT;
  if (path.charCodeAt(0) === 47) return Errno.PERM;
  if (path.includes("\0")) return Errno.INVAL;
  const trailingSlash = path.charCodeAt(path.length - 1) === 47;
  const follow = followFinal || trailingSlash;
  const stack: string[] = [];
  const pending = components(path);
  let links = 0;
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (name === "..") {
      if (stack.pop() === undefined) return Errno.PERM;
      continue;
    }
    stack.push(name);
    const isLast = pending.length === 0;
    if (isLast && !follow) break;
    const rel = stack.join("/");
    let type: string;
    try {
      type = dir.statAt(NO_FOLLOW, rel).type;
    } catch (error) {
      if (isLast && error === "no-entry") break;
      throw error;
    }
    if (type === "symbolic-link") {
      if (++links > MAX_SYMLINKS) return Errno.LOOP;
      const target = dir.readlinkAt(rel);
      if (target === "") return Errno.NOENT;
      if (target.charCodeAt(0) === 47) return Errno.PERM;
      stack.pop();
      pending.push(...components(target));
    } else if ((!isLast || trailingSlash) && type !== "directory") {
      // More components after a file, or `file/`: POSIX says ENOTDIR.
      return Errno.NOTDIR;
    }
  }
  return stack.join("/");
}

/** The meaningful components of `path`, last first (ready to `pop`). */
function components(path: string): string[] {
  const out: string[] = [];
  const parts = path.split("/");
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] as string;
    if (part !== "" && part !== ".") out.push(part);
  }
  return out;
}
