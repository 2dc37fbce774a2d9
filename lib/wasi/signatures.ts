/**
 * The core-wasm types of the `wasi_snapshot_preview1` functions, lowered from the witx
 * (`legacy/preview1/witx/wasi_snapshot_preview1.witx` of the WASI repository) as wasi-libc
 * and Rust's `wasi` crate import them: pointers, sizes, fds, flags and enums are `i32`;
 * `filesize`, `timestamp`, `filedelta`, `dircookie` and `rights` are `i64`; every function
 * returns its `errno` as an `i32`, except `proc_exit`, which returns nothing.
 *
 * A module that imports one with another type is refused at load, naming the import, the
 * witx type and the module's, as wasmtime refuses it at link time (its linker checks every
 * import's type); without the check a wrong one would fail only when called.
 */

import { formatSignature, type Signature } from "../abi/signatures";
import type { FunctionImport } from "../sandbox/import-signatures";
import { PREVIEW1_MODULE } from "./preview1";

/** `n` parameters of type `i32`. */
const i32s = (n: number): string[] => Array.from({ length: n }, () => "i32");
const errno = (params: string[]): Signature => ({ params, results: ["i32"] });

/** Each preview1 function's parameters and results, by import name. */
export const PREVIEW1_SIGNATURES: Readonly<Record<string, Signature>> = {
  args_get: errno(i32s(2)),
  args_sizes_get: errno(i32s(2)),
  environ_get: errno(i32s(2)),
  environ_sizes_get: errno(i32s(2)),
  clock_res_get: errno(i32s(2)),
  clock_time_get: errno(["i32", "i64", "i32"]),
  fd_advise: errno(["i32", "i64", "i64", "i32"]),
  fd_allocate: errno(["i32", "i64", "i64"]),
  fd_close: errno(i32s(1)),
  fd_datasync: errno(i32s(1)),
  fd_fdstat_get: errno(i32s(2)),
  fd_fdstat_set_flags: errno(i32s(2)),
  fd_fdstat_set_rights: errno(["i32", "i64", "i64"]),
  fd_filestat_get: errno(i32s(2)),
  fd_filestat_set_size: errno(["i32", "i64"]),
  fd_filestat_set_times: errno(["i32", "i64", "i64", "i32"]),
  fd_pread: errno(["i32", "i32", "i32", "i64", "i32"]),
  fd_prestat_get: errno(i32s(2)),
  fd_prestat_dir_name: errno(i32s(3)),
  fd_pwrite: errno(["i32", "i32", "i32", "i64", "i32"]),
  fd_read: errno(i32s(4)),
  fd_readdir: errno(["i32", "i32", "i32", "i64", "i32"]),
  fd_renumber: errno(i32s(2)),
  fd_seek: errno(["i32", "i64", "i32", "i32"]),
  fd_sync: errno(i32s(1)),
  fd_tell: errno(i32s(2)),
  fd_write: errno(i32s(4)),
  path_create_directory: errno(i32s(3)),
  path_filestat_get: errno(i32s(5)),
  path_filestat_set_times: errno(["i32", "i32", "i32", "i32", "i64", "i64", "i32"]),
  path_link: errno(i32s(7)),
  path_open: errno(["i32", "i32", "i32", "i32", "i32", "i64", "i64", "i32", "i32"]),
  path_readlink: errno(i32s(6)),
  path_remove_directory: errno(i32s(3)),
  path_rename: errno(i32s(6)),
  path_symlink: errno(i32s(5)),
  path_unlink_file: errno(i32s(3)),
  poll_oneoff: errno(i32s(4)),
  proc_exit: { params: ["i32"], results: [] },
  proc_raise: errno(i32s(1)),
  random_get: errno(i32s(2)),
  sched_yield: errno([]),
  sock_accept: errno(i32s(3)),
  sock_recv: errno(i32s(6)),
  sock_send: errno(i32s(5)),
  sock_shutdown: errno(i32s(2)),
};

/**
 * Why the `wasi_snapshot_preview1` import `imported` does not have the witx type, or
 * `undefined` when it has it (or is not a preview1 function: those get an `ENOSYS` stub
 * whatever their type, see `preview1.ts`).
 */
export function wasiSignatureMismatch(imported: FunctionImport): string | undefined {
  if (imported.module !== PREVIEW1_MODULE || !Object.hasOwn(PREVIEW1_SIGNATURES, imported.name)) return undefined;
  const expected = PREVIEW1_SIGNATURES[imported.name] as Signature;
  const actual = formatSignature(imported);
  return actual === formatSignature(expected)
    ? undefined
    : `"${imported.module}"."${imported.name}" is imported as ${actual}, but WASI preview1 declares it ${formatSignature(expected)}`;
}
