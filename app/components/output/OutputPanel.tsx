"use client";

import { memo, useEffect, useState } from "react";
import type { CallResult } from "../../../lib/instance";
import type { LiveOutput, Run } from "./runs";

const LEVEL_COLOURS: Record<string, string> = {
  TRACE: "text-zinc-500",
  DEBUG: "text-sky-400",
  INFO: "text-emerald-400",
  WARN: "text-amber-300",
  ERROR: "text-red-400",
};

/** The log, newest instance first: per call its `ft_log` lines with level names, stdout, stderr and how it ended. */
export function OutputPanel({ runs, live }: { runs: Run[]; live?: LiveOutput }) {
  const [current, ...earlier] = runs;
  return (
    <div className="whitespace-pre-wrap break-words font-mono text-xs" data-testid="output">
      {!current && !live ? <p className="text-zinc-600">Pick an example, build it or call a hook to see its output.</p> : null}
      {current ? (
        <div data-testid="current-run">
          <RunHeading run={current} earlier={false} />
          <RunEntries run={current} />
          {live ? <LiveCall live={live} /> : null}
        </div>
      ) : null}
      {earlier.map((run) => (
        <div key={run.id} data-testid="earlier-run">
          <RunHeading run={run} earlier />
          <RunEntries run={run} />
        </div>
      ))}
    </div>
  );
}

/** The separator that names a run's extension. */
export function RunHeading({ run, earlier }: { run: Run; earlier: boolean }) {
  return (
    <p data-testid="run-heading" className={`mb-1 border-b pb-0.5 ${earlier ? "mt-3 border-zinc-700 text-zinc-400" : "border-zinc-800 text-emerald-300"}`}>
      {earlier ? "earlier: " : ""}
      {run.extension}
    </p>
  );
}

/**
 * A run's entries. Memoised on the run: runs are immutable and a page holds up to
 * `RUNS_KEPT` of them, so that each load or call re-renders only the run it changed, not
 * every earlier one.
 */
const RunEntries = memo(function RunEntries({ run }: { run: Run }) {
  return run.output.map((entry) =>
    entry.kind === "note" ? (
      <p key={entry.id} className="text-zinc-500">
        {entry.text}
      </p>
    ) : (
      <CallOutput key={entry.id} id={entry.id} extension={run.extension} event={entry.event} result={entry.result} />
    ),
  );
});

function LiveCall({ live }: { live: LiveOutput }) {
  return (
    <div data-testid="live-output">
      <p className="text-zinc-500">
        ▶ {live.extension} · {live.handler} · running… <Elapsed since={live.startedAt} />
      </p>
      {live.lines.map((line, i) => (
        <p key={i} data-testid="live-line" className={line.stream === "stdout" ? "text-zinc-200" : "text-orange-300"}>
          <span className="text-zinc-600">{line.stream} │ </span>
          {line.text}
        </p>
      ))}
    </div>
  );
}

/** Seconds since `since` (a `performance.now()` time), redrawn ten times a second. */
export function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return <span data-testid="elapsed">{(Math.max(0, now - since) / 1000).toFixed(1)} s</span>;
}

/** One call's output; `data-call-id` is unique on the page, so a test can wait for the call it made. */
function CallOutput({ id, extension, event, result }: { id: number; extension: string; event?: string; result: CallResult }) {
  return (
    <div className="mb-2" data-testid="call-output" data-call-id={id} data-handler={result.handler}>
      <p className="text-zinc-500">
        ▶ {extension} · {result.handler}
        {event ? ` (${event})` : ""} · {result.durationMs.toFixed(2)} ms · memory{" "}
        <span data-testid="memory-size">{(result.memoryBytes / 1024).toLocaleString("en")} KiB</span> · fuel{" "}
        <span data-testid="fuel-used">{result.fuelUsed.toLocaleString("en")}</span> of {result.fuelLimit.toLocaleString("en")}
      </p>
      {result.logs.map((line, i) => (
        <p key={`l${i}`} data-testid="log-line" className={LEVEL_COLOURS[line.levelName] ?? "text-zinc-300"}>
          [{line.levelName}] {line.message}
        </p>
      ))}
      {result.droppedLogs > 0 ? (
        <p className="text-amber-300" data-testid="dropped-logs">
          … {result.droppedLogs.toLocaleString("en")} more log lines not shown ({(result.logs.length + result.droppedLogs).toLocaleString("en")} in all)
        </p>
      ) : null}
      {result.droppedAudit > 0 ? (
        <p className="text-amber-300" data-testid="dropped-audit">
          … audit trail: the newest {result.audit.length.toLocaleString("en")} of {(result.audit.length + result.droppedAudit).toLocaleString("en")} records of this call shown
        </p>
      ) : null}
      {result.stdout.map((line, i) => (
        <p key={`o${i}`} data-testid="stdout-line" className="text-zinc-200">
          <span className="text-zinc-600">stdout │ </span>
          {line}
        </p>
      ))}
      {result.stderr.map((line, i) => (
        <p key={`e${i}`} data-testid="stderr-line" className="text-orange-300">
          <span className="text-zinc-600">stderr │ </span>
          {line}
        </p>
      ))}
      {result.droppedOutput > 0 ? (
        <p className="text-amber-300" data-testid="dropped-output">
          … {result.droppedOutput.toLocaleString("en")} more stdout/stderr lines not shown
        </p>
      ) : null}
      {result.exitCode !== undefined ? <p data-testid="exit-code">exited with status {result.exitCode}</p> : null}
      {result.trap ? (
        <p data-testid="trap" className="text-red-400">
          trap in {result.handler}: {result.trap.kind}: {result.trap.message}
        </p>
      ) : null}
    </div>
  );
}
