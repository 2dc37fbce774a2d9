/**
 * The speed goals of issue 14, each a ratio of two rows of the same run (their medians:
 * the machine is shared, and a median is not moved by another process's bursts), evaluated per
 * environment (Node, Chromium). A goal is never adjusted to fit a figure: a row that misses
 * prints as missing. A figure whose rows were not measured (a filtered run, a group that
 * only one environment has) prints as "not measured".
 */

import type { CaseResult } from "./measure";

/** A group's results as `groupJson` writes them. */
export interface GroupResults {
  id: string;
  results: readonly CaseResult[];
}

/** One goal: how to get its ratio from a run, and the bound. */
interface Goal {
  figure: string;
  against: string;
  /** `≤ 1.5×` or `≥ 5×`. */
  bound: { at: "most" | "least"; ratio: number };
  /** The ratio, or `undefined` when a row it needs is missing. */
  ratio(find: (group: string, name: string | { prefix: string; suffix: string }) => number | undefined): number | undefined;
}

/** `(row − base) / (reference − base)`: time above a baseline, over a reference's time above it. */
function above(group: string, row: string, reference: string, base: string): Goal["ratio"] {
  return (find) => {
    const r = find(group, row);
    const ref = find(group, reference);
    const b = find(group, base);
    if (r === undefined || ref === undefined || b === undefined || ref - b <= 0) return undefined;
    return (r - b) / (ref - b);
  };
}

/** `row / reference`. */
function over(group: string, row: string, reference: string): Goal["ratio"] {
  return (find) => {
    const r = find(group, row);
    const ref = find(group, reference);
    return r === undefined || ref === undefined ? undefined : r / ref;
  };
}

const SHIM = "@bjorn3/browser_wasi_shim";
const OURS_WASI = "ours (lib/wasi)";

/** Case names the goals read; the groups define them (host-calls.ts, wasi-calls.ts, fuel.ts, sandbox.ts). */
export const goalRows = {
  logBare: "bare import (JS no-op)",
  logOurs: "ft_log 16 B",
  // The cheapest clock read: the Performance object held, as the audit trail holds it (in a
  // Chromium Worker the global's getter costs more than the read; the rows beside these show it).
  logClock: "import → clock.now(), Performance object held",
  logAuditOff: "ft_log 16 B, audit off",
  envBare: "bare import pair (JS no-ops)",
  envOurs: `ft_get_env("FT_THEME") + read`,
  envClock: "import pair → clock.now() each, Performance object held",
  loadOriginal: "compile + instantiate, original",
  loadCached: "ExtensionInstance.load, module cached",
  startCold: "start from the page, cold",
  startWarm: "start from the page, warm",
  batchOne: "one command",
  batchHundred: "100-command batch",
} as const;

/** The two examples of the page-start goal; page-start.ts names its rows `<which> (<example>): …`. */
export const goalExamples = ["small example", "largest example"] as const;

const fuelRows = ["WAT fnv1a(64 KiB)", "WAT fib(22)", "Rust fib(22)", "Rust primes_below(100000)"];

const goals: Goal[] = [
  {
    figure: "ft_log 16 B, audit on: time above the bare import",
    against: "one clock read (import → clock.now(), Performance object held; above bare)",
    bound: { at: "most", ratio: 1.5 },
    ratio: above("ft_log", goalRows.logOurs, goalRows.logClock, goalRows.logBare),
  },
  {
    figure: "ft_get_env + ft_return_buffer_read, audit on: time above the bare pair",
    against: "two clock reads (import pair → clock.now() each, object held; above bare)",
    bound: { at: "most", ratio: 1.5 },
    ratio: above("ft_get_env", goalRows.envOurs, goalRows.envClock, goalRows.envBare),
  },
  {
    figure: "ft_log 16 B, audit off",
    against: "bare import",
    bound: { at: "most", ratio: 3 },
    ratio: over("ft_log", goalRows.logAuditOff, goalRows.logBare),
  },
  ...(["fd_write", "clock_time_get", "random_get"] as const).map(
    (id): Goal => ({
      figure: id === "fd_write" ? "fd_write of a 32-byte line" : id,
      against: SHIM,
      bound: { at: "most", ratio: 1 },
      ratio: over(id, OURS_WASI, SHIM),
    }),
  ),
  ...fuelRows.map(
    (label): Goal => ({
      figure: `fuel-metered ${label}`,
      against: "the same module unmetered",
      bound: { at: "most", ratio: 1.3 },
      ratio: over("fuel", `${label}, fuel + memoryCap`, `${label}, uninstrumented`),
    }),
  ),
  ...goalExamples.map(
    (which): Goal => ({
      figure: `warm start of a run from the page, ${which} (speed-up)`,
      against: "cold start",
      bound: { at: "least", ratio: 5 },
      // A speed-up: cold time over warm time, of the rows named `<which> (<example>): …`.
      ratio: (find) => {
        const row = (suffix: string) => find("page-start", { prefix: `${which} (`, suffix: `): ${suffix}` });
        const cold = row(goalRows.startCold);
        const warm = row(goalRows.startWarm);
        return cold === undefined || warm === undefined ? undefined : cold / warm;
      },
    }),
  ),
  {
    figure: "ExtensionInstance.load of hello, module cached",
    against: "compile + instantiate of the original",
    bound: { at: "most", ratio: 1.5 },
    ratio: over("load", goalRows.loadCached, goalRows.loadOriginal),
  },
  {
    figure: "100-command batch through the route",
    against: "one command",
    bound: { at: "most", ratio: 2 },
    ratio: over("commands", goalRows.batchHundred, goalRows.batchOne),
  },
];

/** One goal's verdict in one environment. */
export interface GoalVerdict {
  ratio?: number;
  status: "met" | "missing" | "not measured";
}

/** One row of the goals table. */
export interface GoalRow {
  figure: string;
  against: string;
  goal: string;
  /** By environment name. */
  verdicts: Record<string, GoalVerdict>;
}

/** Evaluates every goal in every environment. */
export function evaluateGoals(environments: readonly { name: string; groups: readonly GroupResults[] }[]): GoalRow[] {
  return goals.map((goal) => {
    const verdicts: Record<string, GoalVerdict> = {};
    for (const env of environments) {
      const find = (group: string, name: string | { prefix: string; suffix: string }) =>
        env.groups
          .find((g) => g.id === group)
          ?.results.find((r) => (typeof name === "string" ? r.name === name : r.name.startsWith(name.prefix) && r.name.endsWith(name.suffix)))?.p50PerOp;
      const ratio = goal.ratio(find);
      if (ratio === undefined) verdicts[env.name] = { status: "not measured" };
      else {
        const met = goal.bound.at === "most" ? ratio <= goal.bound.ratio : ratio >= goal.bound.ratio;
        verdicts[env.name] = { ratio, status: met ? "met" : "missing" };
      }
    }
    return { figure: goal.figure, against: goal.against, goal: `${goal.bound.at === "most" ? "≤" : "≥"} ${goal.bound.ratio}×`, verdicts };
  });
}

function cell(verdict: GoalVerdict | undefined): string {
  if (!verdict || verdict.ratio === undefined) return "not measured";
  return `${verdict.ratio.toFixed(2)}× ${verdict.status === "met" ? "met" : "MISSING"}`;
}

/** The goals table as text, one column per environment. */
export function formatGoals(rows: readonly GoalRow[]): string {
  const envs = [...new Set(rows.flatMap((r) => Object.keys(r.verdicts)))];
  const header = ["figure", "against", "goal", ...envs];
  const cells = rows.map((r) => [r.figure, r.against, r.goal, ...envs.map((e) => cell(r.verdicts[e]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) => row.map((text, i) => text.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const missing = rows.filter((r) => Object.values(r.verdicts).some((v) => v.status === "missing")).length;
  return [
    "## Goals (issue 14): each a ratio of two rows of the same run",
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
    "",
    `  * ${missing} of ${rows.length} figures miss their goal in at least one environment.`,
  ].join("\n");
}
