/**
 * Checked reads and writes for WASI calls.
 *
 * Unlike the FrankenTerm host functions (which return `-1`), WASI traps on a bad pointer:
 * > If an out-of-bounds pointer is passed to a function and the function needs to
 * > dereference it, the function shall trap.
 * (WASI `legacy/tools/witx-docs.md`, "Pointers"; wasmtime turns `PtrOutOfBounds` into a
 * trap). All values are little-endian, pointers and lengths unsigned (`>>> 0`), and every
 * helper asks {@link GuestMemory} for its views, which are rebuilt after `memory.grow`.
 */

import type { GuestMemory } from "../memory";
import { decodeUtf8, describeFault } from "../memory";
import { Trap } from "../traps";
import { Errno } from "./errno";
import { Layout } from "./witx";

/**
 * Throws a `memory_out_of_bounds` trap unless `[ptr, ptr + len)` is inside memory.
 * `len` is a guest `u32` (taken as unsigned) or a size computed from one (`count * 8`),
 * which may pass 2^32: such a range can never fit, and must not wrap into one that does.
 */
export function check(memory: GuestMemory, ptr: number, len: number, call: string): number {
  const start = len > 0xffff_ffff ? -1 : memory.checkedStart(ptr, len);
  if (start < 0) throw new Trap("memory_out_of_bounds", `${call}: ${describeFault(fault(memory, ptr, len))}`);
  return start;
}

function fault(memory: GuestMemory, ptr: number, len: number) {
  return len > 0xffff_ffff ? { ptr: ptr >>> 0, len, memorySize: memory.size } : memory.fault(ptr, len);
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
 * Reads a path argument (`string` in witx: pointer + length, UTF-8).
 * @returns the string, or `Errno.ILSEQ` when the bytes are not UTF-8 (wasmtime:
 *   `GuestError::InvalidUtf8` → `ILSEQ`). Traps when the range is outside memory.
 */
export function readPath(memory: GuestMemory, ptr: number, len: number, call: string): string | number {
  const start = check(memory, ptr, len, call);
  return decodeUtf8(memory.bytes().subarray(start, start + (len >>> 0))) ?? Errno.ILSEQ;
}

/**
 * Checks an array of `ciovec`/`iovec` and every buffer it points to (trapping on the first
 * one outside memory, before anything is read or written).
 * @returns the total length in bytes.
 */
export function checkIovecs(memory: GuestMemory, ptr: number, count: number, call: string): number {
  const n = count >>> 0;
  const base = check(memory, ptr, n * Layout.IOVEC_SIZE, call);
  const view = memory.view();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const len = view.getUint32(base + i * 8 + 4, true);
    check(memory, view.getUint32(base + i * 8, true), len, call);
    total += len;
  }
  return total;
}

/**
 * The bytes a checked `ciovec` array points to, as one array: a view of guest memory when
 * at most one buffer is non-empty (no copy), else a copy of them all in order.
 */
export function gatherIovecs(memory: GuestMemory, ptr: number, count: number, total: number): Uint8Array {
  const n = count >>> 0;
  const base = ptr >>> 0;
  const view = memory.view();
  const bytes = memory.bytes();
  let out: Uint8Array | undefined;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const buf = view.getUint32(base + i * 8, true);
    const len = view.getUint32(base + i * 8 + 4, true);
    if (len === 0) continue;
    if (len === total) return bytes.subarray(buf, buf + len);
    out ??= new Uint8Array(total);
    out.set(bytes.subarray(buf, buf + len), offset);
    offset += len;
  }
  return out ?? new Uint8Array(0);
}

/**
 * Copies `data` into the buffers of a checked `iovec` array, in order.
 * The array is read completely first, so buffers that overlap it cannot change it midway.
 */
export function scatterIovecs(memory: GuestMemory, ptr: number, count: number, data: Uint8Array): void {
  const n = count >>> 0;
  const view = memory.view();
  const pairs = new Uint32Array(n * 2);
  for (let i = 0; i < n * 2; i++) pairs[i] = view.getUint32((ptr >>> 0) + i * 4, true);
  const bytes = memory.bytes();
  let offset = 0;
  for (let i = 0; i < n && offset < data.length; i++) {
    const buf = pairs[i * 2] ?? 0;
    const len = Math.min(pairs[i * 2 + 1] ?? 0, data.length - offset);
    bytes.set(data.subarray(offset, offset + len), buf);
    offset += len;
  }
}
