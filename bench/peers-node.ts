/**
 * The Node-only WASI peer: Node's built-in `node:wasi` (uvwasi, real syscalls).
 */

import { closeSync, openSync } from "node:fs";
import { WASI as NodeWasi } from "node:wasi";
import { PREVIEW1_MODULE } from "../lib/wasi/preview1";
import type { WasiRuntime } from "./peers";

/** Node's `node:wasi` (uvwasi, real syscalls): stdout is an fd open on `/dev/null`. */
export function nodeWasi(): WasiRuntime {
  const devNull = openSync("/dev/null", "w");
  const wasi = new NodeWasi({ version: "preview1", args: ["bench.wasm"], env: {}, stdout: devNull, returnOnExit: true });
  return {
    name: "node:wasi",
    role: "peer",
    imports: importObject(wasi.getImportObject()),
    attach: (instance) => wasi.initialize(instance),
    takeStdout: () => undefined,
    note: "node:wasi writes each fd_write to /dev/null with a real write(2) syscall.",
    dispose: () => closeSync(devNull),
  };
}

/** node:wasi types its import object as `object`; check it is one before use. */
function importObject(value: object): WebAssembly.Imports {
  const namespace: unknown = (value as Record<string, unknown>)[PREVIEW1_MODULE];
  if (typeof namespace !== "object" || namespace === null) throw new Error(`no ${PREVIEW1_MODULE} in the import object`);
  return value as WebAssembly.Imports;
}
