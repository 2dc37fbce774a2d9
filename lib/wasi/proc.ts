/** `proc_exit` (witx): ends the call with an exit status. POSIX: `_exit`. */

import { ProcExit } from "../traps";

/** `proc_exit(rval: exitcode)`: never returns; the caller of the export sees {@link ProcExit}. */
export function procExit(code: number): never {
  throw new ProcExit(code >>> 0);
}
