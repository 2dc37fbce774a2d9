/**
 * fds 0-2 over preview2's `wasi:cli` streams (`createCli`, one set per instance).
 *
 * stdin is the text the page supplied, read once, then end-of-file: the stream handler
 * below serves it and throws the stream error `closed` at the end, which preview1 reports
 * as a read of 0 bytes (wasmtime: `StreamError::Closed` → `Ok(empty)`). stdout and stderr
 * are written in chunks of at most 4096 bytes, the limit of `blocking-write-and-flush`.
 */

import type { WasiContext } from "./context";
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

/** Writes `bytes` to stdout or stderr. */
export function writeStdio(ctx: WasiContext, kind: FdKind, bytes: Uint8Array): void {
  const stream = kind === FdKind.stdout ? ctx.cli.stdout.getStdout() : ctx.cli.stderr.getStderr();
  for (let offset = 0; offset < bytes.length; offset += WRITE_CHUNK) {
    stream.blockingWriteAndFlush(bytes.subarray(offset, offset + WRITE_CHUNK));
  }
}
