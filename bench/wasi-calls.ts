/**
 * WASI preview1 on the hot path: `fd_write` of a 32-byte line to stdout,
 * `clock_time_get(MONOTONIC)` and `random_get(16 bytes)`, on ours and three peers, with the
 * same guest module, against the same guest linked to JS no-ops.
 */

import { asNumber, exportedFunction, exportedMemory, wasiLayout, type ExportedFunction } from "./guests";
import { check, type AllocationProbe, type Case, type Group } from "./measure";
import { bareImports, browserWasiShim, instantiateOn, ours, runno, type WasiRuntime } from "./peers";

/** WASI calls per hook call (the executor keeps 1,000 output lines per call). */
const CALLS = 1000;

/** One runtime with the guest instantiated on it. */
interface Linked {
  runtime: WasiRuntime;
  memory: WebAssembly.Memory;
  writeLoop: ExportedFunction;
  clockLoop: ExportedFunction;
  randomLoop: ExportedFunction;
}

async function link(runtime: WasiRuntime, module: WebAssembly.Module): Promise<Linked> {
  const instance = await instantiateOn(runtime, module);
  return {
    runtime,
    memory: exportedMemory(instance),
    writeLoop: exportedFunction(instance, "write_loop"),
    clockLoop: exportedFunction(instance, "clock_loop"),
    randomLoop: exportedFunction(instance, "random_loop"),
  };
}

/** Checks that `CALLS` writes of the line reached the runtime (and its sink, when observable). */
function verifyWrites(linked: Linked): void {
  const { line } = wasiLayout;
  linked.runtime.takeStdout();
  const total = asNumber(linked.writeLoop(CALLS));
  linked.runtime.endCall?.();
  linked.runtime.afterCall?.();
  if (linked.runtime.role === "baseline") {
    check(total === 0, `the no-op baseline reported ${total} bytes written`);
    return;
  }
  check(total === CALLS * line.text.length, `the guest counted ${total} bytes written, expected ${CALLS * line.text.length}`);
  const seen = linked.runtime.takeStdout();
  if (!seen) return; // node:wasi writes to /dev/null: the guest's nwritten count is the evidence
  // Ours and the line-buffered shim deliver lines (no "\n"); the raw shim and runno chunks.
  const lines = linked.runtime.role === "ours" || linked.runtime.name === "@bjorn3/browser_wasi_shim";
  const expectedLast = lines ? line.text.slice(0, -1) : line.text;
  check(seen.writes === CALLS, `stdout saw ${seen.writes} writes, expected ${CALLS}`);
  check(seen.last === expectedLast, `stdout's last write was ${JSON.stringify(seen.last)}`);
}

function verifyClock(linked: Linked): void {
  const errors = asNumber(linked.clockLoop(CALLS));
  check(errors === 0, `clock_loop returned errno mask 0x${errors.toString(16)}`);
  if (linked.runtime.role === "baseline") return;
  const time = new DataView(linked.memory.buffer).getBigUint64(wasiLayout.time, true);
  check(time > 0n, "clock_time_get wrote no time");
}

function verifyRandom(linked: Linked): void {
  const errors = asNumber(linked.randomLoop(CALLS));
  check(errors === 0, `random_loop returned errno mask 0x${errors.toString(16)}`);
  if (linked.runtime.role === "baseline") return;
  const xor = new DataView(linked.memory.buffer).getBigUint64(wasiLayout.randomXor, true);
  check(xor !== 0n, "random_get produced all-zero buffers");
}

type Kind = "fd_write" | "clock_time_get" | "random_get";

const kinds: Record<Kind, { title: string; run: (l: Linked, n: number) => number; verify: (l: Linked) => void }> = {
  fd_write: {
    title: `fd_write(stdout, one 32-byte line): guest loops ${CALLS}× per hook call; time per call`,
    run: (l, n) => asNumber(l.writeLoop(n)),
    verify: verifyWrites,
  },
  clock_time_get: {
    title: `clock_time_get(MONOTONIC): guest loops ${CALLS}× per hook call; time per call`,
    run: (l, n) => asNumber(l.clockLoop(n)),
    verify: verifyClock,
  },
  random_get: {
    title: `random_get(16 B): guest loops ${CALLS}× per hook call; time per call`,
    run: (l, n) => asNumber(l.randomLoop(n)),
    verify: verifyRandom,
  },
};

function group(kind: Kind, runtimes: readonly Linked[], timeMs: number, notes: string[]): Group {
  const spec = kinds[kind];
  const oursName = runtimes.find((l) => l.runtime.role === "ours")?.runtime.name ?? "";
  const bareName = runtimes.find((l) => l.runtime.role === "baseline")?.runtime.name;
  const cases: Case[] = runtimes.filter((l) => l.runtime.only === undefined || l.runtime.only.includes(kind)).map((l) => {
    // The no-op baseline keeps nothing, so it loops ten hook calls' worth per iteration:
    // 1000 no-op calls last about a browser's 5 µs clock resolution.
    const n = l.runtime.role === "baseline" ? 10 * CALLS : CALLS;
    return {
      name: l.runtime.name,
      role: l.runtime.role,
      ops: n,
      run: () => {
        const result = spec.run(l, n);
        l.runtime.endCall?.();
        return result;
      },
      verify: () => spec.verify(l),
      ...(l.runtime.afterCall ? { after: () => l.runtime.afterCall?.() } : {}),
      probeAllocations: true,
    };
  });
  return {
    id: kind,
    title: spec.title,
    per: "call",
    unit: "ns",
    reference: oursName,
    ratioLabel: "× ours",
    ...(bareName ? { baseline: bareName } : {}),
    timeMs,
    cases,
    notes,
  };
}

/**
 * How much runno's default configuration (no `debug` hook) keeps per `fd_write`: it pushes
 * `{ output }` onto a module-global array that nothing empties.
 */
async function runnoLeak(module: WebAssembly.Module, probe: AllocationProbe): Promise<string> {
  const linked = await link(runno(false), module);
  verifyWrites(linked);
  const leak = await probe({ name: "runno default", role: "peer", ops: CALLS, run: () => asNumber(linked.writeLoop(CALLS)) });
  if (!leak) return "runno without a debug hook: leak not measured (run with --expose-gc).";
  return (
    `@runno/wasi without a debug hook retains ${leak.retained.toFixed(0)} B per fd_write after a full GC ` +
    `(module-global array in node_modules/@runno/wasi/dist/main.js, "function y"): it grows for the life of the page.`
  );
}

/** Where the WASI groups run: the peers only that environment has, and its allocation probe. */
export interface WasiGroupOptions {
  /** Runtimes beside ours, the shim and runno (`node:wasi` in Node). */
  extraPeers?: WasiRuntime[];
  /** Measures runno's leak; without one (a browser) the note says it was not measured. */
  probe?: AllocationProbe;
}

/**
 * The three WASI groups, every runtime sharing one compiled guest.
 * @param guest the binary of `wasiGuestWat()`.
 */
export async function wasiCallGroups(
  guest: Uint8Array<ArrayBuffer>,
  timeMs: number,
  options: WasiGroupOptions = {},
): Promise<{ groups: Group[]; dispose: () => void }> {
  const module = await WebAssembly.compile(guest);
  const names = WebAssembly.Module.imports(module).map((i) => i.name);
  const runtimes = [bareImports(names), ours(names), ...(options.extraPeers ?? []), browserWasiShim(), browserWasiShim(true), runno(true)];
  const linked: Linked[] = [];
  for (const runtime of runtimes) linked.push(await link(runtime, module));
  const configNotes = runtimes.flatMap((r) => (r.note ? [r.note] : []));
  const leakNote = options.probe ? await runnoLeak(module, options.probe) : "runno's fd_write leak is measured in the Node run only.";
  return {
    groups: [
      group("fd_write", linked, timeMs, [...configNotes, leakNote]),
      group("clock_time_get", linked, timeMs, [
        "Resolution differs: ours and browser_wasi_shim read performance.now(), node:wasi uv_hrtime, runno new Date() (ms).",
      ]),
      group("random_get", linked, timeMs, []),
    ],
    dispose: () => runtimes.forEach((r) => r.dispose()),
  };
}
