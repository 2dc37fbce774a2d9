/**
 * What loading an extension costs (`ExtensionInstance.load`), uncached and with the module
 * from the page's memory cache, against a bare compile + instantiate. Runs in Node and in
 * the Chromium Worker (where the uncached path also reads and writes IndexedDB, as the
 * playground's worker does).
 */

import { AuditTrail } from "../lib/audit/trail";
import type { CompiledModule } from "../lib/cache/module-cache";
import { ExtensionInstance } from "../lib/instance";
import { GuestMemory } from "../lib/memory";
import { instrument } from "../lib/sandbox/instrument";
import { createWasiContext } from "../lib/wasi/context";
import { goalRows } from "./goals";
import { stubImports, withNonce } from "./guests";
import { check, type Case, type Group } from "./measure";

const both = { fuel: true, memoryCap: true } as const;

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * Loading hello.wasm: raw compile + instantiate, the instrumenter, and the whole executor
 * path, uncached and from the page's memory cache.
 * @param bytes `public/extensions/hello.wasm`; @param manifestSource its `hello.toml`.
 */
export function loadGroup(bytes: Uint8Array<ArrayBuffer>, manifestSource: string, timeMs: number): Group {
  let nonce = 0;
  let current = bytes;
  const fresh = () => void (current = withNonce(bytes, ++nonce));
  const baseName = "compile + instantiate, original";
  const load = () => ExtensionInstance.load({ bytes: current, manifestSource, env: {}, fileName: "hello.wasm" });
  // What the page holds after the first load: the compiled, instrumented module by SHA-256.
  let compiled: CompiledModule | undefined;
  const cached = async () => (compiled ??= (await ExtensionInstance.load({ bytes, manifestSource, env: {}, fileName: "hello.wasm" })).compiled);
  const cases: Case[] = [
    {
      name: baseName,
      role: "baseline",
      ops: 1,
      async: true,
      before: fresh,
      run: async () => {
        const module = await WebAssembly.compile(current);
        const instance = await WebAssembly.instantiate(module, stubImports(module));
        return Object.keys(instance.exports).length;
      },
    },
    { name: "instrument only", role: "ours", ops: 1, before: fresh, run: () => instrument(current, both).bytes.length },
    {
      name: "instrument + compile + instantiate",
      role: "ours",
      ops: 1,
      async: true,
      before: fresh,
      run: async () => {
        const module = await WebAssembly.compile(instrument(current, both).bytes);
        const instance = await WebAssembly.instantiate(module, stubImports(module));
        return Object.keys(instance.exports).length;
      },
    },
    {
      name: "ExtensionInstance.load (whole path)",
      role: "ours",
      ops: 1,
      async: true,
      before: fresh,
      run: async () => (await load()).info.exports.length,
      verify: async () => {
        fresh();
        const result = await (await load()).call("on_reload");
        check(result.trap === undefined, `on_reload trapped: ${result.trap?.message ?? ""}`);
        check(result.logs.length > 0 && result.stdout.length > 0, "on_reload produced no logs or stdout");
      },
      detail: () => "manifest, instrument, compile, link, instantiate",
    },
    {
      name: goalRows.loadCached,
      role: "ours",
      ops: 1,
      async: true,
      run: async () => (await ExtensionInstance.load({ bytes, manifestSource, env: {}, fileName: "hello.wasm", compiled: await cached() })).info.exports.length,
      verify: async () => {
        const instance = await ExtensionInstance.load({ bytes, manifestSource, env: {}, fileName: "hello.wasm", compiled: await cached() });
        check(instance.info.module.cache === "memory", `the module came from the ${instance.info.module.cache} layer, not the page's memory cache`);
        const result = await instance.call("on_reload");
        check(result.trap === undefined && result.stdout.length > 0, "on_reload of the cached instance failed");
      },
      detail: () => "the page's memory-cache entry: manifest, byte comparison, link, instantiate",
    },
    { name: "new AuditTrail() (10,000-record ring)", role: "reference", ops: 1, run: () => new AuditTrail("bench").capacity },
    {
      name: "createWasiContext()",
      role: "reference",
      ops: 1,
      run: () => createWasiContext(new GuestMemory(), new AuditTrail("bench", 1), { args: ["hello.wasm"], env: [] }).fds.get(1)?.kind ?? -1,
    },
  ];
  return {
    id: "load",
    title: `Instance load of hello.wasm (${kb(bytes.length)}); time per load`,
    per: "load",
    unit: "ms",
    reference: baseName,
    ratioLabel: "× original",
    timeMs,
    minIterations: 16,
    cases,
    notes: [
      "Each iteration compiles unique bytes (a nonce custom section): V8 would otherwise reuse the compiled module.",
      "V8 compiles in background threads; on 2 cores compile times are the noisiest figures here.",
    ],
  };
}

