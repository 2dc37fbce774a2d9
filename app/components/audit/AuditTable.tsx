import type { AuditEntry } from "../../../lib/audit/trail";
import type { Run } from "../output/runs";

const CELL = "px-2 py-0.5";

/**
 * The audit trail, one row per host call as FrankenTerm's `src/audit.rs` records it: the
 * current extension's rows first, in call order, then earlier runs below a row naming each.
 */
export function AuditTable({ runs }: { runs: Run[] }) {
  const total = runs.reduce((sum, run) => sum + run.audit.length, 0);
  return (
    <div className="space-y-1">
      <p className="text-xs text-zinc-500">{total.toLocaleString("en")} records</p>
      <div className="overflow-x-auto rounded border border-zinc-800">
        <table className="w-full text-left font-mono text-xs" data-testid="audit-table">
          <thead className="sticky top-0 bg-zinc-900 text-zinc-400">
            <tr>
              <th className="px-2 py-1 text-right">elapsed µs</th>
              <th className="px-2 py-1">function</th>
              <th className="px-2 py-1">args</th>
              <th className="px-2 py-1">returned</th>
              <th className="px-2 py-1">outcome</th>
            </tr>
          </thead>
          {runs.map((run, i) => (
            <tbody key={run.id} data-testid={i === 0 ? "audit-current" : "audit-earlier"}>
              <tr>
                <td colSpan={5} data-testid="audit-run" className={`px-2 pt-1 ${i === 0 ? "text-emerald-300" : "border-t border-zinc-700 text-zinc-400"}`}>
                  {i === 0 ? "" : "earlier: "}
                  {run.extension} <span className="text-zinc-600">({run.audit.length.toLocaleString("en")})</span>
                </td>
              </tr>
              {run.audit.map((entry) => (
                <AuditRow key={entry.seq} entry={entry} />
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </div>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const colour = entry.outcome === "Ok" ? "text-emerald-400" : entry.outcome.startsWith("Denied") ? "text-amber-300" : "text-red-400";
  return (
    <tr data-testid="audit-row" className="border-t border-zinc-900">
      <td className={`${CELL} text-right text-zinc-500`}>{entry.elapsedMicros.toLocaleString("en")}</td>
      <td className={CELL} data-testid="audit-function">
        {entry.function}
      </td>
      <td className={`${CELL} break-all`} data-testid="audit-args">
        {entry.argsSummary}
      </td>
      <td className={`${CELL} text-zinc-400`}>{entry.result ?? ""}</td>
      <td data-testid="audit-outcome" className={`${CELL} ${colour}`}>
        {entry.outcome}
      </td>
    </tr>
  );
}
