/**
 * Printing a group's results as a plain-text table, and the JSON written next to the bench.
 * Pure: the Chromium run formats in Node what the Worker measured.
 */

import type { CaseResult, Group } from "./measure";

/** What printing needs of a group: everything but its cases (a browser run sends this). */
export type GroupMeta = Omit<Group, "cases">;

/** A time in the group's unit: about three significant digits (two below 0.1). */
function time(value: number): string {
  if (!Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  if (abs > 0 && abs < 0.1) return value.toPrecision(2);
  return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
}

/** Below this, retained bytes per operation are the probe's own noise (GC bookkeeping). */
const RETAINED_NOISE = 8;

/** Bytes per operation, rounded; `noise` and below print as 0. */
function bytes(value: number | undefined, noise = 0.5): string {
  if (value === undefined) return "";
  return Math.abs(value) < noise ? "0" : value.toFixed(0);
}

/** One column: header, right-aligned or not, and the cell of a result. */
interface Column {
  header: string;
  right: boolean;
  cell: (r: CaseResult) => string;
}

function columns(group: GroupMeta, results: readonly CaseResult[]): Column[] {
  const unit = `${group.unit}/${group.per}`;
  const cols: Column[] = [
    { header: "case", right: false, cell: (r) => r.name },
    { header: "role", right: false, cell: (r) => r.role },
    { header: unit, right: true, cell: (r) => time(r.perOp) },
    { header: "p50", right: true, cell: (r) => time(r.p50PerOp) },
    { header: "±rme", right: true, cell: (r) => `±${r.rme.toFixed(1)}%` },
    { header: "samples", right: true, cell: (r) => String(r.samples) },
  ];
  if (results.some((r) => r.ratio !== undefined)) {
    cols.push({ header: group.ratioLabel, right: true, cell: (r) => (r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`) });
  }
  if (group.baseline) {
    cols.push({ header: `+${group.unit} vs bare`, right: true, cell: (r) => (r.aboveBaseline === undefined ? "" : time(r.aboveBaseline)) });
  }
  if (results.some((r) => r.allocations)) {
    cols.push(
      { header: `heap B/${group.per}`, right: true, cell: (r) => bytes(r.allocations?.heap) },
      { header: "off-heap B", right: true, cell: (r) => bytes(r.allocations?.arrayBuffers) },
      { header: "retained B", right: true, cell: (r) => bytes(r.allocations?.retained, RETAINED_NOISE) },
    );
  }
  if (results.some((r) => r.detail)) cols.push({ header: "detail", right: false, cell: (r) => r.detail ?? "" });
  return cols;
}

/** The group's table as text lines: title, header, rule, one line per case, notes. */
export function formatGroup(group: GroupMeta, results: readonly CaseResult[]): string {
  const cols = columns(group, results);
  const cells = results.map((r) => cols.map((c) => c.cell(r)));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((text, i) => (cols[i]?.right ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const out = [
    `## ${group.title}`,
    "",
    line(cols.map((c) => c.header)),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
  ];
  if (group.notes.length > 0) out.push("", ...group.notes.map((n) => `  * ${n}`));
  return out.join("\n");
}

/** The JSON form of a group's results. */
export function groupJson(group: GroupMeta, results: readonly CaseResult[]) {
  return {
    id: group.id,
    title: group.title,
    unit: `${group.unit}/${group.per}`,
    reference: group.reference,
    ratio: group.ratioLabel,
    ...(group.baseline ? { baseline: group.baseline } : {}),
    timeMsPerCase: group.timeMs,
    results,
    notes: group.notes,
  };
}
