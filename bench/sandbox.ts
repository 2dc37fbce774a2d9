/**
 * The sandbox's costs measured in Node: how long instrumenting takes and how much it grows
 * a module, and what loading an extension costs end to end (`ExtensionInstance.load`).
 * The fuel overhead group is in `fuel.ts` (it runs in Chromium too).
 */

import { readdirSync } from "node:fs";
import { AuditTrail } from "../lib/audit/trail";
import { ExtensionInstance } from "../lib/instance";
import { GuestMemory } from "../lib/memory";
import { instrument } from "../lib/sandbox/instrument";
import { sectionId, splitSections } from "../lib/sandbox/module-sections";
import { createWasiContext } from "../lib/wasi/context";
import type { CompiledModule } from "../lib/cache/module-cache";
import { readRepoFile, readRepoText } from "./files";
import { goalRows } from "./goals";
import { stubImports, withNonce } from "./guests";
import { check, type Case, type Group } from "./measure";

const both = { fuel: true, memoryCap: true } as const;

/** Size of a module's code section content, in bytes (0 without one). */
function codeSectionBytes(bytes: Uint8Array): number {
  const code = splitSections(bytes).find((s) => s.id === sectionId.code);
  return code ? code.end - code.contentStart : 0;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function growth(before: number, after: number): string {
  return `+${(((after - before) / before) * 100).toFixed(0)}%`;
}

/** The modules to instrument: the sandbox's test data and every shipped extension. */
function instrumentTargets(notes: string[]): { path: string; bytes: Uint8Array<ArrayBuffer> }[] {
  const targets: { path: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  for (const path of ["lib/sandbox/testdata/compute-rs.wasm", "lib/sandbox/testdata/reactor-c.wasm"]) {
    const bytes = readRepoFile(path);
    if (bytes) targets.push({ path, bytes });
  }
  const dir = new URL("../public/extensions/", import.meta.url);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".wasm")).sort();
  } catch {
    notes.push("public/extensions/ is missing (run `npm run build:extensions`): only the test data was instrumented.");
  }
  for (const name of names) {
    const bytes = readRepoFile(`public/extensions/${name}`);
    if (bytes) targets.push({ path: `public/extensions/${name}`, bytes });
  }
  return targets;
}

/** Time to instrument each module, with the size growth in the detail column. */
function instrumentGroup(timeMs: number): Group {
  const notes = ["detail: module size before → after, and the code section's growth."];
  const cases: Case[] = instrumentTargets(notes).map(({ path, bytes }) => {
    const out = instrument(bytes, both).bytes;
    const codeBefore = codeSectionBytes(bytes);
    const codeAfter = codeSectionBytes(out);
    return {
      name: `instrument ${path.split("/").pop() ?? path}`,
      role: "ours",
      ops: 1,
      run: () => instrument(bytes, both).bytes.length,
      verify: () => check(WebAssembly.validate(out), `the instrumented ${path} does not validate`),
      detail: () => `${kb(bytes.length)} → ${kb(out.length)} (${growth(bytes.length, out.length)}), code ${growth(codeBefore, codeAfter)}`,
    };
  });
  return {
    id: "instrument",
    title: "Instrumentation (fuel + memoryCap) time per module",
    per: "module",
    unit: "ms",
    reference: cases.find((c) => c.name.includes("compute-rs"))?.name ?? cases[0]?.name ?? "",
    ratioLabel: "× compute-rs",
    timeMs: Math.max(100, timeMs / 2),
    minIterations: 16,
    cases,
    notes,
  };
}

/** Loading hello.wasm: raw compile + instantiate, the instrumenter, and the whole executor path. */
function loadGroup(timeMs: number): Group | string {
  const bytes = readRepoFile("public/extensions/hello.wasm");
  const manifestSource = readRepoText("public/extensions/hello.toml");
  if (!bytes || !manifestSource) return "public/extensions/hello.wasm (or hello.toml) is missing: instance load not measured. Run `npm run build:extensions`.";
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
      detail: () => "the page's memory-cache entry: manifest, SHA-256, link, instantiate",
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

/** The Node-only sandbox groups; a string in place of a group says why it was skipped. */
export function sandboxGroups(timeMs: number): (Group | string)[] {
  return [instrumentGroup(timeMs), loadGroup(timeMs)];
}
