/**
 * The output and audit of the page, grouped by run: one run per loaded instance, newest
 * first, each naming its extension. The current extension's output and audit come first;
 * earlier runs are kept below it (bounded) until Clear.
 */

import type { AuditEntry } from "../../../lib/audit/trail";
import type { CallResult } from "../../../lib/instance";

/** One entry of the output panel: a finished call, or a note from the playground. */
export type OutputEntry = { kind: "call"; id: number; event?: string; result: CallResult } | { kind: "note"; id: number; text: string };

/** stdout/stderr of the call still running, streamed line by line. */
export interface LiveOutput {
  handler: string;
  /** The extension the call runs in. */
  extension: string;
  /** `performance.now()` when the call started, for the elapsed time shown. */
  startedAt: number;
  lines: { stream: "stdout" | "stderr"; text: string }[];
}

/** One instance's output and audit, from its load to its end. */
export interface Run {
  id: number;
  /** The extension's name (from its manifest), or the module's label before it loaded. */
  extension: string;
  output: OutputEntry[];
  audit: AuditEntry[];
}

/** Audit rows kept per run; older ones are dropped (each call already keeps its newest 1,000). */
export const AUDIT_ROWS_PER_RUN = 5_000;
/** Runs kept on the page; older ones are dropped. */
export const RUNS_KEPT = 20;

/** Starts a new run for `extension` in front of the others. */
export function startRun(runs: Run[], id: number, extension: string): Run[] {
  return [{ id, extension, output: [], audit: [] }, ...runs].slice(0, RUNS_KEPT);
}

/** Adds `entry` (and `audit` rows) to the current run, starting one when there is none. */
export function addToCurrent(runs: Run[], entry: OutputEntry, audit: AuditEntry[] = [], fallbackName = "playground"): Run[] {
  const [current, ...rest] = runs.length > 0 ? runs : [{ id: -1, extension: fallbackName, output: [], audit: [] }];
  if (!current) return runs;
  const next: Run = {
    ...current,
    output: [...current.output, entry],
    audit: audit.length > 0 ? [...current.audit, ...audit].slice(-AUDIT_ROWS_PER_RUN) : current.audit,
  };
  return [next, ...rest];
}

/** Renames the current run once the manifest has named the extension. */
export function nameCurrent(runs: Run[], extension: string): Run[] {
  const [current, ...rest] = runs;
  return current ? [{ ...current, extension }, ...rest] : runs;
}
