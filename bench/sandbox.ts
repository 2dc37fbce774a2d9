/**
 * The sandbox's costs: what fuel metering and the memory cap (`lib/sandbox/instrument.ts`)
 * add to compute-heavy guests, how long instrumenting takes and how much it grows a module,
 * and what loading an extension costs end to end (`ExtensionInstance.load`).
 */

import { readdirSync } from "node:fs";
import { AuditTrail } from "../lib/audit/trail";
import { ExtensionInstance } from "../lib/instance";
import { GuestMemory } from "../lib/memory";
import { instrument } from "../lib/sandbox/instrument";
import { Meter } from "../lib/sandbox/meter";
import { sectionId, splitSections } from "../lib/sandbox/module-sections";
import { createWasiContext } from "../lib/wasi/context";
import {
  asNumber,
  assemble,
  computeGuestWat,
  exportedFunction,
  fnvBytes,
  readRepoFile,
  readRepoText,
  stubImports,
  withNonce,
  type ExportedFunction,
} from "./guests";
import { check, type Case, type Group } from "./measure";

const both = { fuel: true, memoryCap: true } as const;
/** Fuel set before every call: far more than any case uses, so nothing runs out. */
const BUDGET = 1_000_000_000_000n;
/** Warm-up per compute case, so both twins run TurboFan code when timed (see `Case.warmMs`). */
const WARM_MS = 250;

/** One export of a module, run uninstrumented and instrumented. */
interface ComputeCall {
  /** Row label. */
  label: string;
  /** Which module. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The export and its arguments. */
  exportName: string;
  args: (number | bigint)[];
  /** Called once on each instance before timing (fill memory). */
  prepare?: (instance: WebAssembly.Instance) => void;
}

/** An instance of `bytes`, instrumented or not, with its WASI imports stubbed (never called). */
async function computeInstance(bytes: Uint8Array<ArrayBuffer>, instrumented: boolean) {
  const code = instrumented ? instrument(bytes, both).bytes : bytes;
  const module = await WebAssembly.compile(code);
  const instance = await WebAssembly.instantiate(module, stubImports(module));
  const meter = instrumented ? Meter.attach(instance) : undefined;
  meter?.setMaxPages(16384);
  meter?.setFuel(BUDGET);
  return { instance, meter };
}

/** The uninstrumented/instrumented pair of cases for one call. */
async function computePair(call: ComputeCall): Promise<Case[]> {
  const plain = await computeInstance(call.bytes, false);
  const metered = await computeInstance(call.bytes, true);
  const meter = metered.meter;
  if (!meter) throw new Error("the instrumented module has no meter");
  call.prepare?.(plain.instance);
  call.prepare?.(metered.instance);
  const plainFn: ExportedFunction = exportedFunction(plain.instance, call.exportName);
  const meteredFn: ExportedFunction = exportedFunction(metered.instance, call.exportName);
  let fuelPerCall = 0n;
  const plainName = `${call.label}, uninstrumented`;
  return [
    { name: plainName, role: "baseline", ops: 1, compareTo: plainName, warmMs: WARM_MS, run: () => asNumber(plainFn(...call.args)) },
    {
      name: `${call.label}, fuel + memoryCap`,
      role: "ours",
      ops: 1,
      compareTo: plainName,
      warmMs: WARM_MS,
      run: () => {
        meter.setFuel(BUDGET); // as ExtensionInstance.call does before every hook
        return asNumber(meteredFn(...call.args));
      },
      verify: () => {
        const expected = asNumber(plainFn(...call.args));
        meter.setFuel(BUDGET);
        const got = asNumber(meteredFn(...call.args));
        fuelPerCall = BUDGET - meter.fuelLeft();
        check(got === expected, `instrumented result ${got} differs from the original's ${expected}`);
        check(fuelPerCall > 0n, "no fuel was consumed");
      },
      detail: () => `${(Number(fuelPerCall) / 1e6).toFixed(2)} M fuel/call`,
    },
  ];
}

/** Fuel overhead on a WAT compute guest and on the Rust test module. */
async function fuelGroup(timeMs: number): Promise<Group> {
  const wat = await assemble("compute", computeGuestWat());
  const fill = (instance: WebAssembly.Instance) => void exportedFunction(instance, "fill")(fnvBytes);
  const calls: ComputeCall[] = [
    { label: `WAT fnv1a(${fnvBytes / 1024} KiB)`, bytes: wat, exportName: "fnv1a", args: [fnvBytes], prepare: fill },
    { label: "WAT fib(22)", bytes: wat, exportName: "fib", args: [22] },
  ];
  const notes = [
    "ratio = instrumented / uninstrumented; the fuel is reset before each call, as the executor does.",
    "Rust integrate is bimodal across runs: its uninstrumented code takes ~245 or ~320 µs depending on which groups ran " +
      "before in the process (also with --no-liftoff, so not tiering; most likely code placement of the hot loop). " +
      "Its ratio swings between ~0.85× and ~1.15×; run `npm run bench -- fuel` alone for the ~245 µs state.",
  ];
  const rust = readRepoFile("lib/sandbox/testdata/compute-rs.wasm");
  if (rust) {
    calls.push(
      { label: "Rust fib(22)", bytes: rust, exportName: "fib", args: [22] },
      { label: "Rust primes_below(100000)", bytes: rust, exportName: "primes_below", args: [100_000] },
      { label: "Rust integrate(100000)", bytes: rust, exportName: "integrate", args: [100_000] },
    );
  } else {
    notes.push("lib/sandbox/testdata/compute-rs.wasm is missing: Rust rows skipped.");
  }
  const cases: Case[] = [];
  for (const call of calls) cases.push(...(await computePair(call)));
  return {
    id: "fuel",
    title: "Fuel instrumentation overhead on compute-heavy guests; time per call",
    per: "call",
    unit: "µs",
    reference: cases[0]?.name ?? "",
    ratioLabel: "× plain",
    timeMs,
    minIterations: 16,
    cases,
    notes,
  };
}

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

/** The sandbox groups; a string in place of a group says why it was skipped. */
export async function sandboxGroups(timeMs: number): Promise<(Group | string)[]> {
  return [await fuelGroup(timeMs), instrumentGroup(timeMs), loadGroup(timeMs)];
}
