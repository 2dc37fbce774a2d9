/**
 * Audit records in FrankenTerm's record shape (`src/audit.rs`: `elapsed`, `extension_id`,
 * `function`, `args_summary`, `outcome`), as serde's default JSON writes those Rust types:
 * `elapsed` a `std::time::Duration` (`{"secs": u64, "nanos": u32}`), `outcome` an
 * externally tagged enum (`"Ok"`, `{"Denied": "reason"}`, `{"Error": "reason"}`).
 * A file exported here reads like the host's own trail, and back.
 */

import type { AuditEntry } from "./format";

/** serde's JSON for `std::time::Duration`. */
export interface SerdeDuration {
  secs: number;
  nanos: number;
}

/** serde's JSON for `Outcome { Ok, Denied(String), Error(String) }`. */
export type SerdeOutcome = "Ok" | { Denied: string } | { Error: string };

/** One record as FrankenTerm's `AuditEntry` serializes. */
export interface FrankenTermAuditRecord {
  elapsed: SerdeDuration;
  extension_id: string;
  function: string;
  args_summary: string;
  outcome: SerdeOutcome;
}

/** Microseconds as a `Duration`. */
export function durationOf(micros: number): SerdeDuration {
  const whole = Math.max(0, Math.round(micros));
  return { secs: Math.floor(whole / 1_000_000), nanos: (whole % 1_000_000) * 1_000 };
}

/**
 * The variant and reason of a formatted outcome (`Ok`, `Denied("…")`, `Error("…")`).
 * @throws {Error} for a text in none of these forms.
 */
export function parseOutcome(outcome: string): SerdeOutcome {
  if (outcome === "Ok") return "Ok";
  const match = /^(Denied|Error)\((".*")\)$/s.exec(outcome);
  if (!match) throw new Error(`not an audit outcome: ${JSON.stringify(outcome)} (expected Ok, Denied("…") or Error("…"))`);
  const reason = JSON.parse(match[2] as string) as string;
  return match[1] === "Denied" ? { Denied: reason } : { Error: reason };
}

/** One entry in FrankenTerm's shape. */
export function toFrankenTermRecord(entry: AuditEntry): FrankenTermAuditRecord {
  return {
    elapsed: durationOf(entry.elapsedMicros),
    extension_id: entry.extensionId,
    function: entry.function,
    args_summary: entry.argsSummary,
    outcome: parseOutcome(entry.outcome),
  };
}

/** The export file: a JSON array of records, oldest first, indented for reading. */
export function exportAuditJson(entries: readonly AuditEntry[]): string {
  return `${JSON.stringify(entries.map(toFrankenTermRecord), null, 2)}\n`;
}
