/**
 * Helpers for the sandbox tests (not used at run time): WAT assembly through the `wabt`
 * package, hand-assembled modules for malformed inputs, typed access to exports, metered
 * calls, and WASI stubs for real compiler output.
 */

import { Worker } from "node:worker_threads";
import wabtInit from "wabt";
import { BinaryWriter } from "./binary-writer";
import { injectedExports } from "./instrument";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
/** Feature flags accepted by wabt's `parseWat`. */
export type WatFeatures = NonNullable<Parameters<Wabt["parseWat"]>[2]>;

let wabtPromise: Promise<Wabt> | undefined;

/** Every post-MVP feature the instrumenter supports, for wabt. */
export const allFeatures: WatFeatures = {
  simd: true,
  bulk_memory: true,
  reference_types: true,
  multi_value: true,
  sign_extension: true,
  sat_float_to_int: true,
  mutable_globals: true,
  tail_call: true,
  threads: true,
};

/**
 * Assembles WAT text into a binary module, writing a name section from `$names`, and checks
 * it with the engine (wabt's own validator ignores the `threads` flag).
 */
export async function wat(text: string, features: WatFeatures = {}): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await (wabtPromise ??= wabtInit());
  const module = wabt.parseWat("test.wat", text, features);
  try {
    const bytes = new Uint8Array(module.toBinary({ write_debug_names: true }).buffer);
    if (!WebAssembly.validate(bytes)) await WebAssembly.compile(bytes); // throws the engine's reason
    return bytes;
  } finally {
    module.destroy();
  }
}

/** Disassembles a binary (for failure messages while debugging tests). */
export async function toWat(bytes: Uint8Array, features: WatFeatures = allFeatures): Promise<string> {
  const wabt = await (wabtPromise ??= wabtInit());
  const module = wabt.readWasm(bytes, { readDebugNames: true, ...features });
  try {
    return module.toText({});
  } finally {
    module.destroy();
  }
}

/** A module from raw sections: `[id, content]` pairs after the standard header. */
export function moduleFromSections(
  sections: ReadonlyArray<readonly [number, ArrayLike<number>]>,
): Uint8Array<ArrayBuffer> {
  const writer = new BinaryWriter();
  writer.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const [id, content] of sections) {
    writer.byte(id).u32(content.length).bytes(Uint8Array.from(content));
  }
  return writer.finish();
}

/**
 * A one-function module `(func (export "f") (result i32) <body>)` assembled by hand, so
 * tests can put arbitrary (even invalid) bytes in the body. `body` excludes the final end.
 */
export function singleFunctionModule(body: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  const code = new BinaryWriter();
  code.byte(0x00); // no locals
  code.bytes(Uint8Array.from(body));
  code.byte(0x0b);
  const entry = code.finish();
  const codeSection = new BinaryWriter().u32(1).u32(entry.length).bytes(entry).finish();
  return moduleFromSections([
    [1, [0x01, 0x60, 0x00, 0x01, 0x7f]],
    [3, [0x01, 0x00]],
    [7, [0x01, 0x01, 0x66, 0x00, 0x00]],
    [10, codeSection],
  ]);
}

/** Typed access to an instance's exports. */
export class Exports {
  constructor(readonly instance: WebAssembly.Instance) {}

  /** An exported function; throws when missing or not a function. */
  fn(name: string): (...args: Array<number | bigint>) => unknown {
    const value = this.instance.exports[name];
    if (typeof value !== "function") throw new Error(`export ${name} is not a function`);
    return value as (...args: Array<number | bigint>) => unknown;
  }

  /** An exported global; throws when missing or not a global. */
  global(name: string): WebAssembly.Global {
    const value = this.instance.exports[name];
    if (!(value instanceof WebAssembly.Global)) throw new Error(`export ${name} is not a global`);
    return value;
  }

  /** An exported memory; throws when missing or not a memory. */
  memory(name = "memory"): WebAssembly.Memory {
    const value = this.instance.exports[name];
    if (!(value instanceof WebAssembly.Memory)) throw new Error(`export ${name} is not a memory`);
    return value;
  }

  /** Whether an export of this name exists. */
  has(name: string): boolean {
    return name in this.instance.exports;
  }

  /** `__ft_fuel` as a bigint. */
  get fuel(): bigint {
    const value: unknown = this.global(injectedExports.fuel).value;
    if (typeof value !== "bigint") throw new Error("__ft_fuel is not an i64");
    return value;
  }

  set fuel(value: bigint) {
    this.global(injectedExports.fuel).value = value;
  }
}

/** Instantiates a binary and wraps its exports. */
export async function instantiate(bytes: Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): Promise<Exports> {
  const module = await WebAssembly.compile(bytes);
  return new Exports(await WebAssembly.instantiate(module, imports));
}

/** Outcome of one metered call. */
export interface Metered<T> {
  /** The call's result, when it returned. */
  readonly value?: T;
  /** What it threw, when it trapped. */
  readonly error?: unknown;
  /** Fuel consumed (budget minus what was left, so it includes the failing region on a trap). */
  readonly used: bigint;
  /** `__ft_fuel` after the call. */
  readonly left: bigint;
}

/** Sets `__ft_fuel` to `budget`, runs `call`, reports the result or trap and the fuel used. */
export function metered<T>(exports: Exports, budget: bigint, call: () => T): Metered<T> {
  exports.fuel = budget;
  try {
    const value = call();
    return { value, used: budget - exports.fuel, left: exports.fuel };
  } catch (error) {
    return { error, used: budget - exports.fuel, left: exports.fuel };
  }
}

/** Captured output of {@link wasiStubs}. */
export interface StubOutput {
  text: string;
}

/**
 * Minimal WASI preview1 imports for test binaries: `fd_write` decodes the iovecs into
 * `output.text` and reports them written; `proc_exit` throws; everything else returns 0
 * (success) without writing results.
 */
export function wasiStubs(module: WebAssembly.Module, memory: () => WebAssembly.Memory, output: StubOutput): WebAssembly.Imports {
  const functions: Record<string, (...args: number[]) => number> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    if (entry.kind !== "function") throw new Error(`unexpected import ${entry.module}.${entry.name}`);
    functions[entry.name] = () => 0;
  }
  functions["fd_write"] = (_fd, iovs, iovsLength, writtenPointer) => {
    const view = new DataView(memory().buffer);
    let written = 0;
    for (let i = 0; i < (iovsLength ?? 0); i++) {
      const base = view.getUint32((iovs ?? 0) + i * 8, true);
      const length = view.getUint32((iovs ?? 0) + i * 8 + 4, true);
      output.text += new TextDecoder().decode(new Uint8Array(memory().buffer, base, length));
      written += length;
    }
    view.setUint32(writtenPointer ?? 0, written, true);
    return 0;
  };
  functions["proc_exit"] = (code) => {
    throw new Error(`proc_exit(${code})`);
  };
  return { wasi_snapshot_preview1: functions };
}

/** Instantiates a WASI binary with {@link wasiStubs}. */
export async function instantiateWasi(bytes: Uint8Array<ArrayBuffer>): Promise<{ exports: Exports; output: StubOutput }> {
  const module = await WebAssembly.compile(bytes);
  const output: StubOutput = { text: "" };
  let exports: Exports | undefined;
  const imports = wasiStubs(module, () => (exports as Exports).memory(), output);
  exports = new Exports(await WebAssembly.instantiate(module, imports));
  return { exports, output };
}

/** Outcome of {@link runIsolated}. */
export type IsolatedRun =
  | { readonly outcome: "returned"; readonly left: bigint }
  | { readonly outcome: "trapped"; readonly message: string; readonly left: bigint }
  | { readonly outcome: "timeout" };

const isolatedRunner = `
const { parentPort, workerData } = require("node:worker_threads");
WebAssembly.instantiate(workerData.bytes, {}).then(({ instance }) => {
  const fuel = instance.exports.${injectedExports.fuel};
  fuel.value = workerData.fuel;
  try {
    instance.exports[workerData.name]();
    parentPort.postMessage({ outcome: "returned", left: fuel.value });
  } catch (error) {
    parentPort.postMessage({ outcome: "trapped", message: String(error), left: fuel.value });
  }
});`;

/**
 * Calls export `name` of an instrumented module (no imports) with `fuel`, in a worker that
 * is terminated after `timeoutMs`: a test of "this loop stops" then fails instead of hanging
 * when metering is broken.
 */
export function runIsolated(bytes: Uint8Array<ArrayBuffer>, name: string, fuel: bigint, timeoutMs = 10_000): Promise<IsolatedRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(isolatedRunner, { eval: true, workerData: { bytes, name, fuel } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ outcome: "timeout" });
    }, timeoutMs);
    worker.once("message", (result: IsolatedRun) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
