import type { AuditEntry } from "../../lib/audit/trail";

/** The audit trail: one row per host call, as FrankenTerm's `src/audit.rs` records it. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <section className="space-y-2">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">
        Audit trail <span className="font-normal normal-case text-zinc-600">({entries.length} records)</span>
      </h2>
      <div className="max-h-96 overflow-auto rounded border border-zinc-800">
        <table className="w-full text-left font-mono text-xs" data-testid="audit-table">
          <thead className="sticky top-0 bg-zinc-900 text-zinc-400">
            <tr>
              <th className="px-2 py-1 text-right">elapsed µs</th>
              <th className="px-2 py-1">extension</th>
              <th className="px-2 py-1">function</th>
              <th className="px-2 py-1">args</th>
              <th className="px-2 py-1">returned</th>
              <th className="px-2 py-1">outcome</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.seq} data-testid="audit-row" className="border-t border-zinc-900">
                <td className="px-2 py-0.5 text-right text-zinc-500">{entry.elapsedMicros.toLocaleString("en")}</td>
                <td className="px-2 py-0.5 text-zinc-400">{entry.extensionId}</td>
                <td className="px-2 py-0.5" data-testid="audit-function">{entry.function}</td>
                <td className="px-2 py-0.5 break-all" data-testid="audit-args">{entry.argsSummary}</td>
                <td className="px-2 py-0.5 text-zinc-400">{entry.result ?? ""}</td>
                <td
                  data-testid="audit-outcome"
                  className={`px-2 py-0.5 ${entry.outcome === "Ok" ? "text-emerald-400" : entry.outcome.startsWith("Denied") ? "text-amber-300" : "text-red-400"}`}
                >
                  {entry.outcome}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
