/**
 * Checked reads and writes for WASI calls.
 *
 * Unlike the FrankenTerm host functions (which return `-1`), WASI traps on a bad pointer:
 * > If an out-of-bounds pointer is passed … the function shall trap.
 * (wasmtime `crates/wasi`, following the witx `pointer` semantics). All values are
 * little-endian, lengths unsigned.
 */

import type { GuestMemory } from "../memory";
import { describeFault } from "../memory";
import { Trap } from "../traps";

/** Throws a `memory_out_of_bounds` trap unless `[ptr, ptr + len)` is inside memory. */
export function check(memory: GuestMemory, ptr: number, len: number, call: string): number {
  const start = memory.checkedStart(ptr, len);
  if (start < 0) throw new Trap("memory_out_of_bounds", `${call}: ${describeFault(memory.fault(ptr, len))}`);
  return start;
}

/** Writes a `u32` at `ptr`. */
export function writeU32(memory: GuestMemory, ptr: number, value: number, call: string): void {
  memory.view().setUint32(check(memory, ptr, 4, call), value, true);
}

/** Writes a `u64` at `ptr`. */
export function writeU64(memory: GuestMemory, ptr: number, value: bigint, call: string): void {
  memory.view().setBigUint64(check(memory, ptr, 8, call), value, true);
}

/** Copies `bytes` to `ptr`. */
export function writeBytes(memory: GuestMemory, ptr: number, bytes: Uint8Array, call: string): void {
  memory.bytes().set(bytes, check(memory, ptr, bytes.length, call));
}

/**
 * Reads an array of `ciovec`/`iovec` (`{ buf: u32, buf_len: u32 }`, 8 bytes each) and
 * returns views of the buffers they point to, each checked.
 */
export function readIovecs(memory: GuestMemory, ptr: number, count: number, call: string): Uint8Array[] {
  const base = check(memory, ptr, (count >>> 0) * 8, call);
  const view = memory.view();
  const buffers: Uint8Array[] = [];
  for (let i = 0; i < count >>> 0; i++) {
    const buf = view.getUint32(base + i * 8, true);
    const len = view.getUint32(base + i * 8 + 4, true);
    const start = check(memory, buf, len, call);
    buffers.push(memory.bytes().subarray(start, start + len));
  }
  return buffers;
}
