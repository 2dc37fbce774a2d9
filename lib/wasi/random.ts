/**
 * `random_get` over preview2's `wasi:random` (`crypto.getRandomValues`). POSIX: `getrandom`.
 * Small requests come from a pool drawn ahead (`random-pool.ts`).
 */

import { random } from "@bytecodealliance/preview2-shim/random";
import { copyBytes } from "../memory";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { check, writeBytes } from "./guest-memory";
import { POOLED_REQUEST_BYTES, randomPool } from "./random-pool";

/**
 * `random_get(buf: *u8, buf_len: size) -> errno` (witx `wasi_snapshot_preview1.witx`: "Write
 * high-quality random data into a buffer"). The range is checked before any bytes are made,
 * so a huge `buf_len` traps instead of allocating. Up to {@link POOLED_REQUEST_BYTES} bytes
 * are copied from the pool (fresh bytes each time); longer requests are filled directly.
 */
export function randomGet(ctx: WasiContext, bufPtr: number, bufLen: number): number {
  const start = check(ctx.memory, bufPtr, bufLen, "random_get");
  const length = bufLen >>> 0;
  if (length === 0) return Errno.SUCCESS;
  const bytes = ctx.memory.bytes();
  if (length <= POOLED_REQUEST_BYTES) {
    const at = randomPool.take(length);
    copyBytes(randomPool.buffer, randomPool.view, at, bytes, ctx.memory.view(), start, length);
    return Errno.SUCCESS;
  }
  if (length <= DIRECT_BYTES && !(bytes.buffer instanceof SharedArrayBufferType)) {
    // What the shim's getRandomBytes does, into guest memory instead of a new array.
    crypto.getRandomValues(bytes.subarray(start, start + length));
    return Errno.SUCCESS;
  }
  writeBytes(ctx.memory, bufPtr, random.getRandomBytes(BigInt(length)), "random_get");
  return Errno.SUCCESS;
}

/** `crypto.getRandomValues` fills at most 65,536 bytes per call (and never a shared buffer). */
const DIRECT_BYTES = 65536;

/** A class no buffer is an instance of where `SharedArrayBuffer` does not exist. */
const SharedArrayBufferType: abstract new (...args: never[]) => unknown = typeof SharedArrayBuffer === "undefined" ? class {} : SharedArrayBuffer;
