/**
 * The `wasi_snapshot_preview1` import object of one instance.
 *
 * Each call lives in the file of its WASI concern (`args-environ.ts`, `clocks.ts`,
 * `fd-io.ts`, `fd-stat.ts`, `fd-readdir.ts`, `path.ts`, `poll.ts`, `proc.ts`, `random.ts`,
 * `sched.ts`, `sock.ts`) as a function of the context and the call's own parameters. This
 * module wires them to the import names and wraps each in one place that
 * - records an audit entry per call (numbers only: the name's bytes, the errno, four args);
 * - turns anything the preview2 shim throws into an errno (its `error-code` strings through
 *   `error-map.ts`, anything else `EIO`), so only a {@link Trap} or {@link ProcExit}
 *   crosses the import boundary;
 * - for {@link SUSPENDING_CALLS}, does the same when the returned `Promise` settles.
 * An import name that is not a preview1 function gets a stub returning `ENOSYS`, so a
 * module importing it still instantiates.
 */

import { AuditFn, Detail, Outcome } from "../audit/trail";
import { encodeUtf8 } from "../memory";
import { fail, num, record } from "./audit-call";
import { argsGet, argsSizesGet, environGet, environSizesGet } from "./args-environ";
import { clockResGet, clockTimeGet } from "./clocks";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import {
  fdAdvise, fdAllocate, fdClose, fdDatasync, fdPread, fdPwrite, fdRead, fdRenumber, fdSeek, fdSync, fdTell, fdWrite,
} from "./fd-io";
import { fdReaddir } from "./fd-readdir";
import {
  fdFdstatGet, fdFdstatSetFlags, fdFdstatSetRights, fdFilestatGet, fdFilestatSetSize, fdFilestatSetTimes,
  fdPrestatDirName, fdPrestatGet,
} from "./fd-stat";
import {
  pathCreateDirectory, pathFilestatGet, pathFilestatSetTimes, pathLink, pathOpen, pathReadlink, pathRemoveDirectory,
  pathRename, pathSymlink, pathUnlinkFile,
} from "./path";
import { pollOneoff } from "./poll";
import { procExit, procRaise } from "./proc";
import { randomGet } from "./random";
import { schedYield } from "./sched";
import { FAST_CALLS } from "./fast-calls";
import { sockAccept, sockRecv, sockSend, sockShutdown } from "./sock";

/** The import module name of WASI preview1. */
export const PREVIEW1_MODULE = "wasi_snapshot_preview1";

/** A preview1 call: the context, then the call's parameters as wasm passes them. */
type Call = (ctx: WasiContext, ...args: never[]) => number | Promise<number>;

/** Every function of `wasi_snapshot_preview1.witx`, by import name. */
const CALLS = {
  args_get: argsGet,
  args_sizes_get: argsSizesGet,
  environ_get: environGet,
  environ_sizes_get: environSizesGet,
  clock_res_get: clockResGet,
  clock_time_get: clockTimeGet,
  fd_advise: fdAdvise,
  fd_allocate: fdAllocate,
  fd_close: fdClose,
  fd_datasync: fdDatasync,
  fd_fdstat_get: fdFdstatGet,
  fd_fdstat_set_flags: fdFdstatSetFlags,
  fd_fdstat_set_rights: fdFdstatSetRights,
  fd_filestat_get: fdFilestatGet,
  fd_filestat_set_size: fdFilestatSetSize,
  fd_filestat_set_times: fdFilestatSetTimes,
  fd_pread: fdPread,
  fd_prestat_get: fdPrestatGet,
  fd_prestat_dir_name: fdPrestatDirName,
  fd_pwrite: fdPwrite,
  fd_read: fdRead,
  fd_readdir: fdReaddir,
  fd_renumber: fdRenumber,
  fd_seek: fdSeek,
  fd_sync: fdSync,
  fd_tell: fdTell,
  fd_write: fdWrite,
  path_create_directory: pathCreateDirectory,
  path_filestat_get: pathFilestatGet,
  path_filestat_set_times: pathFilestatSetTimes,
  path_link: pathLink,
  path_open: pathOpen,
  path_readlink: pathReadlink,
  path_remove_directory: pathRemoveDirectory,
  path_rename: pathRename,
  path_symlink: pathSymlink,
  path_unlink_file: pathUnlinkFile,
  poll_oneoff: pollOneoff,
  proc_exit: procExit,
  proc_raise: procRaise,
  random_get: randomGet,
  sched_yield: schedYield,
  sock_accept: sockAccept,
  sock_recv: sockRecv,
  sock_send: sockSend,
  sock_shutdown: sockShutdown,
} satisfies Record<string, Call>;

/** The names of every preview1 function, in witx order of the table above. */
export const PREVIEW1_FUNCTIONS = Object.keys(CALLS) as (keyof typeof CALLS)[];

/**
 * The imports that may return a `Promise` (and then must be wrapped with
 * `new WebAssembly.Suspending(fn)`, the export that reaches them called through
 * `WebAssembly.promising`). Only when the context's wait mode is `suspend`.
 */
export const SUSPENDING_CALLS: ReadonlySet<string> = new Set(["poll_oneoff"]);

/** True when the import `name` may return a `Promise` (see {@link SUSPENDING_CALLS}). */
export function maySuspend(name: string): boolean {
  return SUSPENDING_CALLS.has(name);
}

/** True when the playground implements the preview1 function `name`. */
export function isImplemented(name: string): boolean {
  return Object.hasOwn(CALLS, name);
}

/** A wasm-callable function; parameters are numbers, or BigInts for i64. */
type ImportFunction = (...args: (number | bigint)[]) => number | Promise<number> | void;

/**
 * Builds the functions for the preview1 imports `names` (those the module declares).
 * @returns the import object's `wasi_snapshot_preview1` entry.
 */
export function createPreview1Imports(ctx: WasiContext, names: readonly string[]): Record<string, ImportFunction> {
  const imports: Record<string, ImportFunction> = {};
  for (const name of names) {
    const call: Call | undefined = isImplemented(name) ? CALLS[name as keyof typeof CALLS] : undefined;
    const fast = FAST_CALLS[name];
    imports[name] = fast
      ? (fast(ctx) as unknown as ImportFunction)
      : call === undefined
        ? notImplemented(ctx, name)
        : maySuspend(name)
          ? auditedAsync(ctx, name, call)
          : audited(ctx, name, call);
  }
  return imports;
}

type AnyCall = (ctx: WasiContext, ...args: unknown[]) => number | Promise<number>;

/** Wraps a call so that each invocation leaves one audit record (numbers only). */
function audited(ctx: WasiContext, name: string, call: Call): ImportFunction {
  const nameBytes = encodeUtf8(name);
  return (a, b, c, d, e, f, g, h, i) => {
    let errno: number;
    try {
      errno = (call as AnyCall)(ctx, a, b, c, d, e, f, g, h, i) as number;
    } catch (error) {
      errno = fail(ctx, nameBytes, error, a, b, c, d);
    }
    record(ctx, nameBytes, errno, a, b, c, d);
    return errno;
  };
}

/** As {@link audited}, for a call that may return a `Promise`: recorded when it settles. */
function auditedAsync(ctx: WasiContext, name: string, call: Call): ImportFunction {
  const nameBytes = encodeUtf8(name);
  return (a, b, c, d, e, f, g, h, i) => {
    let result: number | Promise<number>;
    try {
      result = (call as AnyCall)(ctx, a, b, c, d, e, f, g, h, i);
    } catch (error) {
      result = fail(ctx, nameBytes, error, a, b, c, d);
    }
    if (typeof result === "number") {
      record(ctx, nameBytes, result, a, b, c, d);
      return result;
    }
    return result.then(
      (errno) => {
        record(ctx, nameBytes, errno, a, b, c, d);
        return errno;
      },
      (error: unknown) => {
        const errno = fail(ctx, nameBytes, error, a, b, c, d);
        record(ctx, nameBytes, errno, a, b, c, d);
        return errno;
      },
    );
  };
}

function notImplemented(ctx: WasiContext, name: string): ImportFunction {
  const nameBytes = encodeUtf8(name);
  return (a, b, c, d) => {
    ctx.audit.record(AuditFn.wasi, Outcome.error, Detail.notImplemented, nameBytes, Errno.NOSYS, num(a), num(b), num(c), num(d));
    return Errno.NOSYS;
  };
}
