/** `proc_exit`, `proc_raise` (witx `wasi_snapshot_preview1.witx`). */

import { ProcExit, Trap } from "../traps";
import type { WasiContext } from "./context";
import { Errno } from "./errno";

/**
 * `proc_exit(rval: exitcode)`; POSIX `_exit`. Never returns: the caller of the export sees
 * {@link ProcExit}. As in wasmtime (`crates/wasi/src/p1.rs`), a status of 126 or more is
 * refused with a trap ("exit with invalid exit status outside of [0..126)"), so C's
 * `exit(-1)` traps there and here alike.
 */
export function procExit(_ctx: WasiContext, code: number): never {
  const status = code >>> 0;
  if (status >= 126) throw new Trap("host", `proc_exit(${status}): exit with invalid exit status outside of [0..126)`);
  throw new ProcExit(status);
}

/**
 * `proc_raise(sig: signal) -> errno`; POSIX `raise`. There are no signals to deliver:
 * `ENOTSUP`, as wasmtime.
 */
export function procRaise(_ctx: WasiContext, _signal: number): number {
  return Errno.NOTSUP;
}
