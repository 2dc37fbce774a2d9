/**
 * Running a group of cases with tinybench, and probing their allocations.
 *
 * A case's `run` does `ops` operations (a guest looping `ops` times around one import, or a
 * JS loop) and returns a number the bench folds into {@link consumed}, so no result is
 * dead. Per-operation figures are the iteration's latency divided by `ops`, nothing
 * subtracted: the baseline row of a group shows what the boundary alone costs.
 */

import { Bench } from "tinybench";
import type { Role } from "./peers";

/** One thing to time. */
export interface Case {
  name: string;
  role: Role;
  /** Operations per iteration (host calls per hook call, JS ops per loop, 1 for a load). */
  ops: number;
  /** One iteration; returns a value the bench consumes. */
  run: () => number | Promise<number>;
  /** True when `run` returns a Promise (timed with tinybench's async path). */
  async?: boolean;
  /** Untimed work before each iteration (fresh module bytes). */
  before?: () => void;
  /** Untimed work after each iteration (draining a sink, as the executor does between hook calls). */
  after?: () => void;
  /** Runs once before timing; throws when the case does not do the work it claims. */
  verify?: () => void | Promise<void>;
  /** Name of the case the ratio column compares with (default: the group's reference). */
  compareTo?: string;
  /**
   * Extra warm-up in ms, run after verification (synchronous cases only). V8 tiers a wasm
   * function up from Liftoff to TurboFan after a budget of roughly bytes of code executed
   * (`--wasm-tiering-budget`), so long-running exports get this on top of tinybench's
   * warm-up to be timed in their optimised code.
   */
  warmMs?: number;
  /** Probe heap allocations per operation (synchronous cases only). */
  probeAllocations?: boolean;
  /** Extra text for the last column, computed after verification. */
  detail?: () => string;
}

/** Cases measured together and printed as one table. */
export interface Group {
  id: string;
  title: string;
  /** What one operation is, for the unit column (`call`, `pair`, `module`). */
  per: string;
  /** Display unit of the per-operation time. */
  unit: "ns" | "µs" | "ms";
  /** Name of the case ratios compare with, and what the ratio column is called. */
  reference: string;
  ratioLabel: string;
  /** Name of the bare-import case, for the "above bare" column (call groups only). */
  baseline?: string;
  cases: Case[];
  /** Printed under the table. */
  notes: string[];
  /** Timing budget per case, in ms. */
  timeMs: number;
  /** Minimum iterations per case. */
  minIterations?: number;
}

/** Allocation figures per operation, from a GC-free window around one iteration. */
export interface Allocations {
  /** JS heap bytes allocated per operation. */
  heap: number;
  /** Off-heap `ArrayBuffer` backing-store bytes per operation (copies larger than V8's on-heap limit). */
  arrayBuffers: number;
  /** Heap bytes per operation still alive after `after()` and a full GC (a leak if it grows). */
  retained: number;
}

/** What one case measured. */
export interface CaseResult {
  name: string;
  role: Role;
  /** Mean time per operation, in the group's unit. */
  perOp: number;
  /** Median time per operation, in the group's unit. */
  p50PerOp: number;
  /** Relative margin of error of the mean, percent. */
  rme: number;
  samples: number;
  /** This case's time over its comparison case's (`compareTo` or the group's reference). */
  ratio?: number;
  /** Time per operation above the bare-import baseline, in the group's unit. */
  aboveBaseline?: number;
  allocations?: Allocations;
  detail?: string;
}

const unitPerMs = { ns: 1e6, "µs": 1e3, ms: 1 } as const;

let sinkValue = 0;

/** Folds a result into a value printed at the end, so V8 cannot drop the work. */
export function consume(value: number): void {
  sinkValue = (sinkValue + (Number.isFinite(value) ? value : 1)) % 1_000_003;
}

/** The folded value of everything consumed (printed once, proving it was live). */
export function consumed(): number {
  return sinkValue;
}

/** Measures a case's allocations per operation (Node only: `bench/allocations.ts`). */
export type AllocationProbe = (c: Case) => Promise<Allocations | undefined>;

/**
 * Verifies every case, times them, probes allocations (when `probe` is given and the case
 * asks for it), and computes ratios. Runs in Node and in a browser Worker.
 */
export async function runGroup(group: Group, probe?: AllocationProbe): Promise<CaseResult[]> {
  for (const c of group.cases) {
    try {
      await c.verify?.();
    } catch (error) {
      throw new Error(`[${group.id}] "${c.name}" failed verification: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (c.warmMs && !c.async) {
      const until = performance.now() + c.warmMs;
      while (performance.now() < until) consume(c.run() as number);
    }
  }
  const samples = await timeInRounds(group);
  const results: CaseResult[] = [];
  for (const c of group.cases) {
    const pooled = samples.get(c.name);
    if (!pooled || pooled.length === 0) throw new Error(`[${group.id}] "${c.name}" produced no statistics`);
    const scale = unitPerMs[group.unit] / c.ops;
    const { mean, p50, rme } = statistics(pooled);
    const allocations = c.probeAllocations && probe ? await probe(c) : undefined;
    results.push({
      name: c.name,
      role: c.role,
      perOp: mean * scale,
      p50PerOp: p50 * scale,
      rme,
      samples: pooled.length,
      ...(allocations ? { allocations } : {}),
      ...(c.detail ? { detail: c.detail() } : {}),
    });
  }
  return withComparisons(group, results);
}

/**
 * Rounds a group's time is split into. Each round times every case once, in turn, the order
 * reversed every other round: a burst of another process, or a machine still busy when the
 * group starts, then falls on all the rows of the group alike instead of on the rows timed
 * first, and the goals are ratios of rows of one group.
 */
const ROUNDS = 4;

/** Every case of `group` timed in {@link ROUNDS} interleaved rounds: its samples in ms, pooled. */
async function timeInRounds(group: Group): Promise<Map<string, number[]>> {
  const pooled = new Map<string, number[]>(group.cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({
      time: group.timeMs / ROUNDS,
      // A full warm-up before the first round; the later ones start from warm code.
      warmupTime: round === 0 ? Math.min(150, group.timeMs / 2) : 10,
      iterations: Math.ceil((group.minIterations ?? 32) / ROUNDS),
      warmupIterations: round === 0 ? 8 : 2,
      retainSamples: true,
      throws: true,
    });
    for (const c of round % 2 === 0 ? group.cases : [...group.cases].reverse()) {
      const task = c.async ? async () => consume(await c.run()) : () => consume(c.run() as number);
      bench.add(c.name, task, {
        async: c.async === true,
        ...(c.before ? { beforeEach: () => c.before?.() } : {}),
        ...(c.after ? { afterEach: () => c.after?.() } : {}),
      });
    }
    await bench.run();
    for (const c of group.cases) {
      const result = bench.getTask(c.name)?.result;
      if (!result || !("latency" in result)) throw new Error(`[${group.id}] "${c.name}" produced no statistics in round ${round + 1}`);
      pooled.get(c.name)?.push(...(result.latency.samples ?? []));
    }
  }
  return pooled;
}

/** Mean, median and relative margin of error (95%, normal approximation, in %) of `samples`. */
function statistics(samples: number[]): { mean: number; p50: number; rme: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, samples.length - 1);
  const rme = ((1.96 * Math.sqrt(variance / samples.length)) / mean) * 100;
  return { mean, p50: sorted[Math.floor(sorted.length / 2)] ?? NaN, rme };
}

function withComparisons(group: Group, results: CaseResult[]): CaseResult[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  const baseline = group.baseline ? byName.get(group.baseline) : undefined;
  return results.map((r) => {
    const compareName = group.cases.find((c) => c.name === r.name)?.compareTo ?? group.reference;
    const against = byName.get(compareName);
    return {
      ...r,
      // Medians, as the goals read them (goals.ts): a burst of another process moves a mean.
      ...(against ? { ratio: r.p50PerOp / against.p50PerOp } : {}),
      ...(baseline ? { aboveBaseline: r.p50PerOp - baseline.p50PerOp } : {}),
    };
  });
}

/** Throws `message` unless `condition` holds: verification fails loudly. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * A row from samples timed by hand (one sample = one operation, in the group's unit), for
 * groups too slow for tinybench's warm-up iterations (page starts, compiler runs): mean,
 * median and relative margin of error (95%, normal approximation).
 */
export function summarize(name: string, role: CaseResult["role"], samples: number[], detail: string): CaseResult {
  const { mean, p50, rme } = statistics(samples);
  return { name, role, perOp: mean, p50PerOp: p50, rme, samples: samples.length, detail };
}
