/**
 * fds 0-2 over preview2's `wasi:cli` streams (`createCli`, one set per instance).
 *
 * stdin is the text the page supplied, read once, then end-of-file: the stream handler
 * below serves it and throws the stream error `closed` at the end, which preview1 reports
 * as a read of 0 bytes (wasmtime: `StreamError::Closed` → `Ok(empty)`). stdout and stderr
 * are written straight into their line buffers, in chunks of at most 4096 bytes (the limit
 * of `blocking-write-and-flush`, the stream write they stand for).
 */

import { notifyOutput, type WasiContext } from "./context";
import { Errno } from "./errno";
import { FdKind } from "./fd-table";
import { check, checkIovecs } from "./guest-memory";
import { Layout } from "./witx";

/** preview2 streams take at most 4096 bytes per `blocking-write-and-flush`. */
const WRITE_CHUNK = 4096;

/** The bytes fd 0 serves, as a `wasi:io` input-stream handler. */
export class StdinSource {
  private offset = 0;

  constructor(private data: Uint8Array) {}

  /** Starts over with `data` (the page's stdin was edited): the next read returns its first byte. */
  replace(data: Uint8Array): void {
    this.data = data;
    this.offset = 0;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.data.length - this.offset;
  }

  /** `blocking-read(len)`: up to `len` bytes; the stream error `closed` at end-of-file. */
  blockingRead(len: bigint): Uint8Array {
    if (this.offset >= this.data.length) throw { tag: "closed" };
    const end = Math.min(this.data.length, this.offset + Number(len));
    const bytes = this.data.subarray(this.offset, end);
    this.offset = end;
    return bytes;
  }
}

/** Reads up to `len` bytes from stdin; an empty array at end-of-file. */
export function readStdin(ctx: WasiContext, len: number): Uint8Array {
  if (len === 0 || ctx.stdin.remaining === 0) return new Uint8Array(0);
  return ctx.cli.stdin.getStdin().blockingRead(BigInt(len));
}

/**
 * `fd_write` to stdout or stderr (`kind`), straight from the guest's `ciovec` array into the
 * line buffer: what `fd-io.ts`'s `fdWrite` does for these fds, on the hot path.
 *
 * The same as before, in the same order: the array and every buffer it points to are
 * checked first, then `nwritten` (a bad one traps with `memory_out_of_bounds` before a byte
 * is taken: witx-docs "Pointers"; the trap's message comes from `checkIovecs`/`check`,
 * which run when the inline check fails); then the bytes go to the sink and the listener
 * is told, then `nwritten` gets the total (mod 2^32, a `u32`). Writes of more than
 * {@link WRITE_CHUNK} bytes are cut into chunks of that size (see {@link writeChunked}).
 * Reads the iovecs through `GuestMemory`'s cached views; allocates nothing but the lines.
 * @returns `SUCCESS` (an error is a trap: a {@link Trap} thrown).
 */
export function writeStdio(ctx: WasiContext, kind: FdKind, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
  const memory = ctx.memory;
  const view = memory.view();
  const size = memory.attached ? view.byteLength : -1;
  const base = iovsPtr >>> 0;
  const n = iovsLen >>> 0;
  const out = nwrittenPtr >>> 0;
  let total = 0;
  let inside = n * Layout.IOVEC_SIZE <= 0xffff_ffff && base + n * Layout.IOVEC_SIZE <= size && out + 4 <= size;
  for (let i = 0; inside && i < n; i++) {
    const len = view.getUint32(base + i * 8 + 4, true);
    inside = view.getUint32(base + i * 8, true) + len <= size;
    total += len;
  }
  if (!inside) {
    // Throws the trap that names the first range outside memory, as fdWrite always has.
    total = checkIovecs(memory, iovsPtr, iovsLen, "fd_write");
    check(memory, nwrittenPtr, 4, "fd_write");
  }
  if (total > WRITE_CHUNK) writeChunked(ctx, kind, base, n);
  else if (total > 0) {
    const sink = kind === FdKind.stdout ? ctx.stdout : ctx.stderr;
    const bytes = memory.bytes();
    for (let i = 0; i < n; i++) {
      const at = view.getUint32(base + i * 8, true);
      sink.writeRange(bytes, at, at + view.getUint32(base + i * 8 + 4, true));
    }
    notifyOutput(ctx, kind === FdKind.stdout ? "stdout" : "stderr", sink);
  }
  view.setUint32(out, total, true);
  return Errno.SUCCESS;
}

/**
 * Writes the bytes of a checked `ciovec` array of more than {@link WRITE_CHUNK} bytes: cut
 * into chunks of that size of the concatenated buffers, the listener told after each chunk,
 * as after each `blocking-write-and-flush` of the preview2 output stream these fds stood for
 * (it was never closed, and its handler was the sink, so this is what it did).
 */
function writeChunked(ctx: WasiContext, kind: FdKind, base: number, n: number): void {
  const stream = kind === FdKind.stdout ? "stdout" : "stderr";
  const sink = kind === FdKind.stdout ? ctx.stdout : ctx.stderr;
  const view = ctx.memory.view();
  const bytes = ctx.memory.bytes();
  let chunkLeft = WRITE_CHUNK;
  let pending = false;
  for (let i = 0; i < n; i++) {
    let at = view.getUint32(base + i * 8, true);
    let len = view.getUint32(base + i * 8 + 4, true);
    while (len > 0) {
      const piece = Math.min(len, chunkLeft);
      sink.writeRange(bytes, at, at + piece);
      pending = true;
      at += piece;
      len -= piece;
      chunkLeft -= piece;
      if (chunkLeft === 0) {
        notifyOutput(ctx, stream, sink);
        pending = false;
        chunkLeft = WRITE_CHUNK;
      }
    }
  }
  if (pending) notifyOutput(ctx, stream, sink);
}
