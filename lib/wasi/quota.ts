/**
 * Storage limits of one instance's in-memory filesystem. The files live in the worker's
 * memory, so without a bound a guest within its memory cap could make the host allocate
 * without end (`fd_filestat_set_size` to 2^53, many large files).
 *
 * - One file may not pass `maxFileBytes` (`EFBIG`, as POSIX for a file-size limit).
 * - All files together may not grow past `totalBytes` (`ENOSPC`, a full device).
 *
 * Usage starts at the initial files' total and follows growth, shrinking, truncation on
 * open (`O_TRUNC`), unlinking the last name of a file and renaming over one. A file with
 * several hard links is counted once, and credited back when its last name goes.
 */

import { Errno } from "./errno";

/** The limits and what is used, in bytes. */
export interface FileQuota {
  maxFileBytes: number;
  totalBytes: number;
  usedBytes: number;
}

/**
 * Checks that a file may go from `size` to `newSize` bytes and records the change.
 * @returns `SUCCESS`, `EFBIG` (file limit) or `ENOSPC` (total limit); nothing is recorded on failure.
 */
export function resize(quota: FileQuota, size: number, newSize: number): number {
  if (newSize > quota.maxFileBytes) return Errno.FBIG;
  const growth = newSize - size;
  if (growth > 0 && quota.usedBytes + growth > quota.totalBytes) return Errno.NOSPC;
  quota.usedBytes = Math.max(0, quota.usedBytes + growth);
  return Errno.SUCCESS;
}

/** Credits back a removed file's bytes. */
export function release(quota: FileQuota, size: number): void {
  quota.usedBytes = Math.max(0, quota.usedBytes - size);
}
