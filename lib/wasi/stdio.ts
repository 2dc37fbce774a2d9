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
import { FdKind } from "./fd-table";

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
 * Writes the bytes of a checked `ciovec` array to stdout or stderr, straight from guest
 * memory into the line buffer. The preview2 output stream these fds stood for did nothing
 * else (it is never closed; its handler was the sink), so this is the same: the bytes are cut into {@link WRITE_CHUNK}-byte chunks of the concatenated
 * buffers and the listener is told after each chunk, as after each stream write.
 */
export function writeStdioIovecs(ctx: WasiContext, kind: FdKind, iovsPtr: number, iovsLen: number): void {
  const stream = kind === FdKind.stdout ? "stdout" : "stderr";
  const sink = kind === FdKind.stdout ? ctx.stdout : ctx.stderr;
  const view = ctx.memory.view();
  const bytes = ctx.memory.bytes();
  const base = iovsPtr >>> 0;
  const n = iovsLen >>> 0;
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
