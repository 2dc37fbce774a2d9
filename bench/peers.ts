/**
 * WASI preview1 runtimes behind one interface, so the same guest module runs on each:
 * ours (`lib/wasi`, wired as `lib/instance.ts` wires it), `@bjorn3/browser_wasi_shim` and
 * `@runno/wasi`, plus a baseline whose imports are JS no-ops (the cost of crossing the
 * wasm→JS boundary and nothing else). Node's built-in `node:wasi` is in `peers-node.ts`:
 * everything here runs in the Chromium Worker too.
 *
 * Each adapter's stdout sink does as little as it can (counts, keeps the last chunk), so
 * the figures are the runtime's cost, not the sink's.
 */

import { ConsoleStdout, File, OpenFile, WASI as ShimWasi } from "@bjorn3/browser_wasi_shim";
import { WASI as RunnoWasi } from "@runno/wasi";
import { AuditTrail } from "../lib/audit/trail";
import { GuestMemory } from "../lib/memory";
import { CallOutput } from "../lib/call-output";
import { createWasiContext } from "../lib/wasi/context";
import { createPreview1Imports, PREVIEW1_MODULE } from "../lib/wasi/preview1";
import { exportedMemory } from "./guests";

/** What a row is, for ratios: ours, a peer, the no-op baseline, or a reference point. */
export type Role = "ours" | "peer" | "baseline" | "reference";

/** What a runtime's stdout sink saw. */
export interface StdoutTally {
  /** Chunks (or lines, for ours) delivered. */
  writes: number;
  /** Bytes (or UTF-16 units for string sinks; the line is ASCII) delivered. */
  bytes: number;
  /** The last chunk, decoded (for ours: the last line, without its newline). */
  last: string;
}

/** One WASI runtime, set up for one instance of a guest. */
export interface WasiRuntime {
  /** Display name. */
  readonly name: string;
  readonly role: Role;
  /** The import object to instantiate the guest with. */
  readonly imports: WebAssembly.Imports;
  /** Binds the instance (memory, `_initialize`) the way the runtime's docs say to. */
  attach(instance: WebAssembly.Instance, module: WebAssembly.Module): void;
  /** What stdout received since the last call, then resets; `undefined` when not observable. */
  takeStdout(): StdoutTally | undefined;
  /** How the runtime was configured, when it matters for reading the figures. */
  readonly note?: string;
  /** Releases what the runtime holds (an fd). */
  dispose(): void;
  /** The end of a hook call, timed with it (ours: `CallOutput.flush`, as `ExtensionInstance.call` ends). */
  endCall?(): void;
  /** Untimed work after each hook call (ours: a fresh `CallOutput` for the next call). */
  afterCall?(): void;
  /** Only in the groups named here (a second configuration of a peer that matters for one call). */
  readonly only?: readonly string[];
}

/** Counts what a sink receives; the hot path does two additions and keeps a reference. */
class Tally {
  private writes = 0;
  private bytes = 0;
  private last: Uint8Array | string = "";

  addBytes(chunk: Uint8Array): void {
    this.writes++;
    this.bytes += chunk.length;
    this.last = chunk;
  }

  addText(text: string): void {
    this.writes++;
    this.bytes += text.length;
    this.last = text;
  }

  take(): StdoutTally {
    const last = typeof this.last === "string" ? this.last : new TextDecoder().decode(this.last);
    const tally = { writes: this.writes, bytes: this.bytes, last };
    this.writes = 0;
    this.bytes = 0;
    this.last = "";
    return tally;
  }
}

/** The reactor exports every runtime expects: `memory` and `_initialize`. */
interface ReactorExports {
  memory: WebAssembly.Memory;
  _initialize: () => unknown;
}

function reactorExports(instance: WebAssembly.Instance): ReactorExports {
  const initialize = instance.exports._initialize;
  if (typeof initialize !== "function") throw new Error("the guest is not a reactor (no _initialize)");
  return { memory: exportedMemory(instance), _initialize: initialize as () => unknown };
}

/**
 * Ours: `createWasiContext` + `createPreview1Imports` over a real {@link AuditTrail} and
 * {@link GuestMemory}, with output streamed as `ExtensionInstance.call` streams it: a
 * `CallOutput` per hook call as the `onOutput` listener (kept lines, the streaming
 * interval), forwarding batches to a listener that stands for the page's.
 */
export function ours(importNames: readonly string[]): WasiRuntime {
  const memory = new GuestMemory();
  const audit = new AuditTrail("bench");
  const tally = new Tally();
  const page = (stream: "stdout" | "stderr", lines: string[]) => {
    if (stream !== "stdout") return;
    for (const line of lines) tally.addText(line);
  };
  let output = new CallOutput(page);
  const ctx = createWasiContext(memory, audit, { args: ["bench.wasm"], env: [], wait: "block", onOutput: output.add });
  return {
    name: "ours (lib/wasi)",
    role: "ours",
    imports: { [PREVIEW1_MODULE]: createPreview1Imports(ctx, importNames) },
    attach(instance) {
      const exports = reactorExports(instance);
      memory.attach(exports.memory);
      exports._initialize();
    },
    takeStdout: () => tally.take(),
    dispose() {},
    endCall: () => output.flush(),
    // The call's kept lines go with its result: a fresh CallOutput for the next call, so the
    // bench's "retained" column sees no call's lines.
    afterCall() {
      output = new CallOutput(page);
      ctx.onOutput = output.add;
    },
  };
}

/**
 * `@bjorn3/browser_wasi_shim` 0.4 as its README sets it up: fd 1 is a
 * `ConsoleStdout.lineBuffered` (lines of text, what the page shows and ours delivers).
 * With `raw`, a `ConsoleStdout` with a counting callback: bytes, no decoding, no lines
 * (shown beside it in the fd_write group, as a floor).
 */
export function browserWasiShim(raw = false): WasiRuntime {
  const tally = new Tally();
  const stdout = raw ? new ConsoleStdout((chunk) => tally.addBytes(chunk)) : ConsoleStdout.lineBuffered((line) => tally.addText(line));
  const stderr = new ConsoleStdout(() => {});
  const wasi = new ShimWasi(["bench.wasm"], [], [new OpenFile(new File([])), stdout, stderr]);
  return {
    name: raw ? "@bjorn3/browser_wasi_shim, raw bytes" : "@bjorn3/browser_wasi_shim",
    role: raw ? "reference" : "peer",
    imports: { [PREVIEW1_MODULE]: wasi.wasiImport },
    attach: (instance) => wasi.initialize({ exports: reactorExports(instance) }),
    takeStdout: () => tally.take(),
    dispose() {},
    ...(raw ? { only: ["fd_write"], note: "browser_wasi_shim, raw bytes: a ConsoleStdout that counts byte chunks, no text and no lines: less than the page needs, a floor." } : {}),
  };
}

/**
 * `@runno/wasi` 0.10: stdout is a callback receiving decoded text.
 * @param passThroughDebug install a `debug` hook that returns the result unchanged. Without
 *   one, runno's `fd_write` appends `{ output }` to a module-global array that only the
 *   debug hook empties (`dist/main.js`, `function y`): an unbounded leak over millions of
 *   calls. The timed rows use the hook; the leak is measured separately.
 */
export function runno(passThroughDebug: boolean): WasiRuntime {
  const tally = new Tally();
  const wasi = new RunnoWasi({
    args: ["bench.wasm"],
    stdout: (text) => tally.addText(text),
    stderr: () => {},
    ...(passThroughDebug ? { debug: (_name: string, _args: string[], result: number) => result } : {}),
  });
  return {
    name: passThroughDebug ? "@runno/wasi" : "@runno/wasi (no debug hook)",
    role: "peer",
    imports: wasi.getImportObject(),
    attach: (instance, module) => wasi.initialize({ instance, module }),
    takeStdout: () => tally.take(),
    note: passThroughDebug
      ? "@runno/wasi runs with a pass-through `debug` hook: without one its fd_write leaks (next note)."
      : undefined,
    dispose() {},
  };
}

/** The no-op baseline: each import returns 0 and touches nothing. */
export function bareImports(importNames: readonly string[]): WasiRuntime {
  const functions: Record<string, () => number> = {};
  for (const name of importNames) functions[name] = () => 0;
  return {
    name: "bare import (JS no-op)",
    role: "baseline",
    imports: { [PREVIEW1_MODULE]: functions },
    attach: (instance) => reactorExports(instance)._initialize(),
    takeStdout: () => undefined,
    dispose() {},
  };
}

/** Instantiates `module` on `runtime` and attaches it. */
export async function instantiateOn(runtime: WasiRuntime, module: WebAssembly.Module): Promise<WebAssembly.Instance> {
  const instance = await WebAssembly.instantiate(module, runtime.imports);
  runtime.attach(instance, module);
  return instance;
}
