"use client";

import { memo, useMemo, useState } from "react";
import { auditRows, filterAudit, formatMicros, functionCounts, type AuditFilter, type AuditRow, type OutcomeKind } from "../../../lib/audit/explore";
import { exportAuditJson } from "../../../lib/audit/export";
import type { CallResult, HostCallRecord } from "../../../lib/instance";
import { exportRunJson } from "../../../lib/timeline/run-export";
import type { Run } from "../output/runs";
import { downloadText } from "./download";
import { MemoryView } from "./MemoryView";

const CELL = "px-2 py-0.5";
const INPUT = "rounded border border-zinc-800 bg-zinc-900 px-1.5 py-0.5 text-xs";

/** The calls of a run, in order (what ties each audit record to its hook call). */
export function callsOf(run: Run): CallResult[] {
  return run.output.flatMap((entry) => (entry.kind === "call" ? [entry.result] : []));
}

interface Props {
  runs: Run[];
  /** The "record memory" switch: on, the next load records what each host call did to memory. */
  recording: boolean;
  onRecording(on: boolean): void;
}

/**
 * The audit trail as an explorer: filter by function, outcome and hook call, search the
 * arguments, read elapsed time from load and from the start of each call, export the
 * records in FrankenTerm's shape (or the whole run), and, with "record memory" on, see the
 * bytes a selected host call read or wrote.
 */
export function AuditExplorer({ runs, recording, onRecording }: Props) {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [selected, setSelected] = useState<number | undefined>();
  const [current, ...earlier] = runs;
  const calls = useMemo(() => (current ? callsOf(current) : []), [current]);
  const rows = useMemo(() => auditRows(calls), [calls]);
  const shown = useMemo(() => filterAudit(rows, filter), [rows, filter]);
  const choices = useMemo(() => functionCounts(rows), [rows]);
  const hostCall = useMemo(() => findHostCall(calls, selected), [calls, selected]);
  const total = runs.reduce((sum, run) => sum + run.audit.length, 0);
  const set = (patch: Partial<AuditFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const name = current?.extension ?? "extension";

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="audit-filters">
        <select aria-label="Function" data-testid="filter-function" className={INPUT} value={filter.functions?.[0] ?? ""} onChange={(e) => set({ functions: e.target.value ? [e.target.value] : [] })}>
          <option value="">every function</option>
          {choices.map((c) => (
            <option key={c.function} value={c.function}>
              {c.function} ({c.count})
            </option>
          ))}
        </select>
        <select aria-label="Outcome" data-testid="filter-outcome" className={INPUT} value={filter.outcome ?? ""} onChange={(e) => set({ outcome: (e.target.value || undefined) as OutcomeKind | undefined })}>
          <option value="">every outcome</option>
          <option value="Ok">Ok</option>
          <option value="Denied">Denied</option>
          <option value="Error">Error</option>
        </select>
        <select
          aria-label="Hook call"
          data-testid="filter-call"
          className={INPUT}
          value={filter.call ?? ""}
          onChange={(e) => set({ call: e.target.value === "" ? undefined : Number(e.target.value) })}
        >
          <option value="">every call</option>
          {calls.map((c, i) => (
            <option key={i} value={i}>
              #{i + 1} {c.handler}
            </option>
          ))}
        </select>
        <input aria-label="Search the arguments" placeholder="search args" data-testid="filter-search" className={INPUT} value={filter.search ?? ""} onChange={(e) => set({ search: e.target.value })} />
        <button
          type="button"
          data-testid="export-audit"
          disabled={shown.length === 0}
          onClick={() => downloadText(`${name}-audit.json`, exportAuditJson(shown))}
          className="rounded border border-zinc-700 px-2 py-0.5 hover:border-zinc-500 disabled:opacity-40"
          title="The records shown, as FrankenTerm's audit records (elapsed, extension_id, function, args_summary, outcome)"
        >
          Export JSON
        </button>
        <button
          type="button"
          data-testid="export-run"
          disabled={calls.length === 0}
          onClick={() => downloadText(`${name}-run.json`, exportRunJson(name, calls))}
          className="rounded border border-zinc-700 px-2 py-0.5 hover:border-zinc-500 disabled:opacity-40"
          title="Every call of this run: output, audit, fuel, memory, timeline"
        >
          Export run
        </button>
        <label className="ml-auto flex items-center gap-1 text-zinc-400" title="Applies from the next load; off, host calls run unwrapped">
          <input type="checkbox" data-testid="record-memory" checked={recording} onChange={(e) => onRecording(e.target.checked)} />
          record memory (from the next load)
        </label>
      </div>
      <p className="text-xs text-zinc-500">
        {shown.length.toLocaleString("en")} of {rows.length.toLocaleString("en")} records of this run shown ({total.toLocaleString("en")} in all). Elapsed counts from the instance&apos;s load,
        as FrankenTerm&apos;s trail counts from its creation; &quot;in call&quot; from the start of the hook call.
      </p>
      {hostCall ? <MemoryView call={hostCall} /> : selected !== undefined ? <p className="text-xs text-zinc-500" data-testid="memory-off">Turn on record memory and load again to see what this call read and wrote.</p> : null}
      <div className="overflow-x-auto rounded border border-zinc-800">
        <table className="w-full text-left font-mono text-xs" data-testid="audit-table">
          <thead className="sticky top-0 bg-zinc-900 text-zinc-400">
            <tr>
              <th className="px-2 py-1 text-right">elapsed µs</th>
              <th className="px-2 py-1">call</th>
              <th className="px-2 py-1 text-right">in call</th>
              <th className="px-2 py-1">function</th>
              <th className="px-2 py-1">args</th>
              <th className="px-2 py-1">returned</th>
              <th className="px-2 py-1">outcome</th>
            </tr>
          </thead>
          {current ? (
            <tbody data-testid="audit-current">
              <tr>
                <td colSpan={7} data-testid="audit-run" className="px-2 pt-1 text-emerald-300">
                  {current.extension} <span className="text-zinc-600">({current.audit.length.toLocaleString("en")})</span>
                </td>
              </tr>
              {shown.map((row) => (
                <ExplorerRow key={row.seq} row={row} selected={row.seq === selected} onSelect={() => setSelected(row.seq === selected ? undefined : row.seq)} />
              ))}
            </tbody>
          ) : null}
          {filter.call === undefined ? earlier.map((run) => <EarlierRun key={run.id} run={run} filter={filter} />) : null}
        </table>
      </div>
    </div>
  );
}

/**
 * An earlier run's audit rows under the filter (its call choice aside). Memoised on the run
 * and the filter: runs are immutable and a page keeps up to `RUNS_KEPT`, so that a load or a
 * call does not rebuild and re-render the rows of every earlier run.
 */
const EarlierRun = memo(function EarlierRun({ run, filter }: { run: Run; filter: AuditFilter }) {
  const rows = useMemo(() => filterAudit(auditRows(callsOf(run)), { ...filter, call: undefined }), [run, filter]);
  return (
    <tbody data-testid="audit-earlier">
      <tr>
        <td colSpan={7} data-testid="audit-run" className="border-t border-zinc-700 px-2 pt-1 text-zinc-400">
          earlier: {run.extension} <span className="text-zinc-600">({run.audit.length.toLocaleString("en")})</span>
        </td>
      </tr>
      {rows.map((row) => (
        <ExplorerRow key={row.seq} row={row} selected={false} />
      ))}
    </tbody>
  );
});

/** The recorded host call that left audit record `seq`, when recording was on. */
function findHostCall(calls: readonly CallResult[], seq: number | undefined): HostCallRecord | undefined {
  if (seq === undefined) return undefined;
  for (const call of calls) {
    const found = call.hostCalls?.find((h) => seq >= h.auditSeq && seq < h.auditSeq + h.auditRecords);
    if (found) return found;
  }
  return undefined;
}

function ExplorerRow({ row, selected, onSelect }: { row: AuditRow; selected: boolean; onSelect?: () => void }) {
  const colour = row.outcome === "Ok" ? "text-emerald-400" : row.outcome.startsWith("Denied") ? "text-amber-300" : "text-red-400";
  return (
    <tr
      data-testid="audit-row"
      data-seq={row.seq}
      aria-selected={selected}
      onClick={onSelect}
      className={`border-t border-zinc-900 ${onSelect ? "cursor-pointer hover:bg-zinc-900" : ""} ${selected ? "bg-sky-950" : ""}`}
    >
      <td className={`${CELL} text-right text-zinc-500`} data-testid="audit-elapsed">
        {row.elapsedMicros.toLocaleString("en")}
      </td>
      <td className={`${CELL} text-zinc-500`} data-testid="audit-call">
        #{row.call + 1} {row.handler}
      </td>
      <td className={`${CELL} text-right text-zinc-500`} title="since the start of its hook call">
        {row.sinceCallMicros === undefined ? "" : formatMicros(row.sinceCallMicros)}
      </td>
      <td className={CELL} data-testid="audit-function">
        {row.function}
      </td>
      <td className={`${CELL} break-all`} data-testid="audit-args">
        {row.argsSummary}
      </td>
      <td className={`${CELL} text-zinc-400`} data-testid="audit-result">
        {row.result ?? ""}
      </td>
      <td data-testid="audit-outcome" className={`${CELL} ${colour}`}>
        {row.outcome}
      </td>
    </tr>
  );
}
