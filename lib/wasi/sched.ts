/** `sched_yield` (witx `wasi_snapshot_preview1.witx`). */

import type { WasiContext } from "./context";
import { Errno } from "./errno";

/**
 * `sched_yield() -> errno`; POSIX `sched_yield`. One guest per Worker and nothing to yield
 * to: succeeds at once (wasmtime: "No such thing in preview 2. Intentionally left empty.").
 */
export function schedYield(_ctx: WasiContext): number {
  return Errno.SUCCESS;
}
