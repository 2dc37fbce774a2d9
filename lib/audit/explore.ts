/**
 * The audit explorer's data: the records of a session's hook calls, each tied to the call
 * that made it, and the filters the page offers over them (function, outcome, hook call,
 * a search of the arguments). Pure functions over formatted {@link AuditEntry} records;
 * the ring itself (`trail.ts`) is not involved.
 */

import type { AuditEntry } from "./format";

/** One hook call's records, as a `CallResult` carries them. */
export interface CallAudit {
  /** The export called (`on_reload`, `_initialize`, …). */
  readonly handler: string;
  /** When the call started, in microseconds since load (the audit trail's clock). */
  readonly startedMicros?: number;
  readonly audit: readonly AuditEntry[];
}

/** One record in the explorer: the entry, and which call of the session made it. */
export interface AuditRow extends AuditEntry {
  /** 0-based index of the call in the session. */
  readonly call: number;
  readonly handler: string;
  /** Microseconds from the start of its call to the record, when the call's start is known. */
  readonly sinceCallMicros?: number;
}

/** The outcome variants of FrankenTerm's `src/audit.rs`. */
export type OutcomeKind = "Ok" | "Denied" | "Error";

/** What the explorer shows; an absent field does not filter. */
export interface AuditFilter {
  /** Keep records of these functions (`ft_log`, `env_get`, `fd_write`, …). */
  readonly functions?: readonly string[];
  readonly outcome?: OutcomeKind;
  /** Keep records of this call (its index in the session). */
  readonly call?: number;
  /** Keep records whose args summary contains this text (case-insensitive). */
  readonly search?: string;
}

/** Flattens the calls' records into rows, oldest first. */
export function auditRows(calls: readonly CallAudit[]): AuditRow[] {
  return calls.flatMap((call, index) =>
    call.audit.map((entry): AuditRow => {
      const since = call.startedMicros === undefined ? {} : { sinceCallMicros: Math.max(0, entry.elapsedMicros - call.startedMicros) };
      return { ...entry, call: index, handler: call.handler, ...since };
    }),
  );
}

/** `Ok`, `Denied` or `Error`: the variant of a formatted outcome. */
export function outcomeKind(outcome: string): OutcomeKind {
  if (outcome.startsWith("Denied")) return "Denied";
  if (outcome.startsWith("Error")) return "Error";
  return "Ok";
}

/** The rows `filter` keeps, in order. */
export function filterAudit<T extends AuditRow>(rows: readonly T[], filter: AuditFilter): T[] {
  const functions = filter.functions && filter.functions.length > 0 ? new Set(filter.functions) : undefined;
  const search = filter.search?.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!functions || functions.has(row.function)) &&
      (filter.outcome === undefined || outcomeKind(row.outcome) === filter.outcome) &&
      (filter.call === undefined || row.call === filter.call) &&
      (!search || row.argsSummary.toLowerCase().includes(search)),
  );
}

/** The functions present in `rows`, by count (most frequent first), for the filter's choices. */
export function functionCounts(rows: readonly AuditEntry[]): { function: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.function, (counts.get(row.function) ?? 0) + 1);
  return [...counts].map(([fn, count]) => ({ function: fn, count })).sort((a, b) => b.count - a.count || a.function.localeCompare(b.function));
}

/**
 * `1.234 ms` / `56 µs` / `2.50 s`: a duration in microseconds, for elapsed columns.
 * Elapsed counts from the instance's load, as FrankenTerm's trail counts from its creation.
 */
export function formatMicros(micros: number): string {
  if (micros < 1_000) return `${Math.round(micros)} µs`;
  if (micros < 1_000_000) return `${(micros / 1_000).toFixed(3)} ms`;
  return `${(micros / 1_000_000).toFixed(2)} s`;
}
