/**
 * `args_*` and `environ_*` (witx `wasi_snapshot_preview1.witx`): the same two-call shape,
 * sizes first, then an array of pointers plus a buffer of NUL-terminated strings.
 * POSIX equivalents: `argv`, `environ`.
 */

import type { WasiContext } from "./context";
import { Errno } from "./errno";
import { writeBytes, writeU32 } from "./guest-memory";

/** `args_sizes_get(argc: *size, argv_buf_size: *size) -> errno`; POSIX `argc` and the bytes of `argv`. */
export function argsSizesGet(ctx: WasiContext, countPtr: number, sizePtr: number): number {
  return writeSizes(ctx, ctx.argsEncoded, countPtr, sizePtr, "args_sizes_get");
}

/** `args_get(argv: **u8, argv_buf: *u8) -> errno`; POSIX `argv`. */
export function argsGet(ctx: WasiContext, pointersPtr: number, bufferPtr: number): number {
  return writeStrings(ctx, ctx.argsEncoded, pointersPtr, bufferPtr, "args_get");
}

/** `environ_sizes_get(count: *size, buf_size: *size) -> errno`; POSIX: the size of `environ`. */
export function environSizesGet(ctx: WasiContext, countPtr: number, sizePtr: number): number {
  return writeSizes(ctx, ctx.environEncoded, countPtr, sizePtr, "environ_sizes_get");
}

/** `environ_get(environ: **u8, environ_buf: *u8) -> errno`; POSIX `environ`, entries `KEY=VALUE`. */
export function environGet(ctx: WasiContext, pointersPtr: number, bufferPtr: number): number {
  return writeStrings(ctx, ctx.environEncoded, pointersPtr, bufferPtr, "environ_get");
}

function writeSizes(ctx: WasiContext, strings: Uint8Array[], countPtr: number, sizePtr: number, call: string): number {
  writeU32(ctx.memory, countPtr, strings.length, call);
  writeU32(ctx.memory, sizePtr, strings.reduce((sum, s) => sum + s.length, 0), call);
  return Errno.SUCCESS;
}

function writeStrings(ctx: WasiContext, strings: Uint8Array[], pointersPtr: number, bufferPtr: number, call: string): number {
  let offset = bufferPtr >>> 0;
  strings.forEach((bytes, i) => {
    writeU32(ctx.memory, (pointersPtr >>> 0) + i * 4, offset, call);
    writeBytes(ctx.memory, offset, bytes, call);
    offset += bytes.length;
  });
  return Errno.SUCCESS;
}
