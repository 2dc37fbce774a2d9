/**
 * What fuel metering and the memory cap (`lib/sandbox/instrument.ts`) add to compute-heavy
 * guests: each export timed uninstrumented and instrumented. Runs in Node and in Chromium.
 */

import { instrument } from "../lib/sandbox/instrument";
import { Meter } from "../lib/sandbox/meter";
import { asNumber, exportedFunction, fnvBytes, stubImports, type ExportedFunction } from "./guests";
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

/**
 * Calls per timed iteration. One call of WAT fib(22) takes ~30 µs, and a cross-origin
 * isolated page's clock moves in 5 µs steps: a sample of one call would be ±17% rounding.
 * 16 calls make a sample of ~0.5 ms or more, so the clock's step is ≤ 1% of it.
 */
const CALLS_PER_SAMPLE = 16;

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
    {
      name: plainName,
      role: "baseline",
      ops: CALLS_PER_SAMPLE,
      compareTo: plainName,
      warmMs: WARM_MS,
      run: () => {
        let sum = 0;
        for (let i = 0; i < CALLS_PER_SAMPLE; i++) sum += asNumber(plainFn(...call.args));
        return sum;
      },
    },
    {
      name: `${call.label}, fuel + memoryCap`,
      role: "ours",
      ops: CALLS_PER_SAMPLE,
      compareTo: plainName,
      warmMs: WARM_MS,
      run: () => {
        let sum = 0;
        for (let i = 0; i < CALLS_PER_SAMPLE; i++) {
          meter.setFuel(BUDGET); // as ExtensionInstance.call does before every hook
          sum += asNumber(meteredFn(...call.args));
        }
        return sum;
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

/**
 * Fuel overhead on a WAT compute guest and on the Rust test module.
 * @param wat the binary of `computeGuestWat()`.
 * @param rust `lib/sandbox/testdata/compute-rs.wasm`, when present.
 */
export async function fuelGroup(wat: Uint8Array<ArrayBuffer>, rust: Uint8Array<ArrayBuffer> | undefined, timeMs: number): Promise<Group> {
  const fill = (instance: WebAssembly.Instance) => void exportedFunction(instance, "fill")(fnvBytes);
  const calls: ComputeCall[] = [
    { label: `WAT fnv1a(${fnvBytes / 1024} KiB)`, bytes: wat, exportName: "fnv1a", args: [fnvBytes], prepare: fill },
    { label: "WAT fib(22)", bytes: wat, exportName: "fib", args: [22] },
  ];
  const notes = [
    `ratio = instrumented / uninstrumented; the fuel is reset before each call, as the executor does; ${CALLS_PER_SAMPLE} calls per sample, so Chromium's 5 µs clock step is ≤ 1% of one.`,
    "Rust integrate is bimodal across runs: its uninstrumented code takes ~245 or ~320 µs depending on which groups ran " +
      "before in the process (also with --no-liftoff, so not tiering; most likely code placement of the hot loop). " +
      "Its ratio swings between ~0.85× and ~1.15×; run `npm run bench -- fuel` alone for the ~245 µs state.",
  ];
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

