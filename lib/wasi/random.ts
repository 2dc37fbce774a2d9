/** `random_get` over preview2's `wasi:random` (`crypto.getRandomValues`). POSIX: `getrandom`. */

import { random } from "@bytecodealliance/preview2-shim/random";
import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { check, writeBytes } from "./guest-memory";

/**
 * `random_get(buf: *u8, buf_len: size) -> errno`. The range is checked before any bytes
 * are made, so a huge `buf_len` traps instead of allocating.
 */
export function randomGet(ctx: WasiContext, bufPtr: number, bufLen: number): number {
  check(ctx.memory, bufPtr, bufLen, "random_get");
  writeBytes(ctx.memory, bufPtr, random.getRandomBytes(BigInt(bufLen >>> 0)), "random_get");
  return Errno.SUCCESS;
}
