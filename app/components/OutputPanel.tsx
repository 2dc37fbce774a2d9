import type { CallResult } from "../../lib/instance";

const LEVEL_COLOURS: Record<string, string> = {
  TRACE: "text-zinc-500",
  DEBUG: "text-sky-400",
  INFO: "text-emerald-400",
  WARN: "text-amber-300",
  ERROR: "text-red-400",
};

/** One entry of the output panel: a finished call, or a note from the playground. */
export type OutputEntry = { kind: "call"; id: number; event?: string; result: CallResult } | { kind: "note"; id: number; text: string };

/** stdout/stderr of the call still running, streamed line by line. */
export interface LiveOutput {
  handler: string;
  lines: { stream: "stdout" | "stderr"; text: string }[];
}

/** The log: per call, its `ft_log` lines with level names, stdout, stderr, and how it ended. */
export function OutputPanel({ entries, live, onClear }: { entries: OutputEntry[]; live?: LiveOutput; onClear(): void }) {
  return (
    <section className="space-y-2">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">Output</h2>
        <button type="button" onClick={onClear} className="text-xs text-zinc-500 hover:text-zinc-300">
          clear
        </button>
      </div>
      <div className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded border border-zinc-800 bg-black p-3 font-mono text-xs" data-testid="output">
        {entries.length === 0 ? <p className="text-zinc-600">Call a hook to see its output.</p> : null}
        {entries.map((entry) =>
          entry.kind === "note" ? (
            <p key={entry.id} className="text-zinc-500">
              {entry.text}
            </p>
          ) : (
            <CallOutput key={entry.id} id={entry.id} event={entry.event} result={entry.result} />
          ),
        )}
        {live ? (
          <div data-testid="live-output">
            <p className="text-zinc-500">▶ {live.handler} · running…</p>
            {live.lines.map((line, i) => (
              <p key={i} data-testid="live-line" className={line.stream === "stdout" ? "text-zinc-200" : "text-orange-300"}>
                <span className="text-zinc-600">{line.stream} │ </span>
                {line.text}
              </p>
            ))}
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** One call's output; `data-call-id` is unique on the page, so a test can wait for the call it made. */
function CallOutput({ id, event, result }: { id: number; event?: string; result: CallResult }) {
  return (
    <div className="mb-2" data-testid="call-output" data-call-id={id} data-handler={result.handler}>
      <p className="text-zinc-500">
        ▶ {result.handler}
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
