import type { BuildStatus, Diagnostic } from "../workbench/state";

const SEVERITY_COLOUR: Record<Diagnostic["severity"], string> = {
  error: "text-red-400",
  warning: "text-amber-300",
  note: "text-sky-300",
  help: "text-emerald-300",
};

const LIMIT_NAMES: Record<NonNullable<Extract<BuildStatus, { state: "failed" }>["limit"]>, string> = {
  cpu: "its CPU time",
  memory: "its memory",
  wall: "its wall-clock time",
  output: "its output size",
  processes: "its process count",
};

interface Props {
  build: BuildStatus;
  diagnostics: readonly Diagnostic[];
  /** A diagnostic was clicked: show its place in the editor. */
  onSelect(diagnostic: Diagnostic): void;
}

/** The build's status and its diagnostics under the editor; a click on one shows its place in the source. */
export function DiagnosticsList({ build, diagnostics, onSelect }: Props) {
  return (
    <div className="max-h-48 overflow-auto border-t border-zinc-800 px-3 py-2 font-mono text-xs" data-testid="build-panel">
      <p data-testid="build-status" className={build.state === "failed" ? "text-red-300" : "text-zinc-400"}>
        {describe(build)}
      </p>
      {build.state === "failed" && build.limit ? (
        <p data-testid="build-limit" className="text-red-300">
          The build was stopped: it exceeded {LIMIT_NAMES[build.limit]} limit ({build.limit}).
        </p>
      ) : null}
      {build.state === "failed" && diagnostics.length === 0 ? <pre className="whitespace-pre-wrap text-red-200">{build.error}</pre> : null}
      <ul>
        {diagnostics.map((d, i) => (
          <li key={i} data-testid="diagnostic" data-severity={d.severity} className="mt-1 cursor-pointer hover:bg-zinc-900" onClick={() => onSelect(d)}>
            <span className={SEVERITY_COLOUR[d.severity]}>{d.severity}</span>{" "}
            <span data-testid="diagnostic-place" className="text-zinc-400">
              {d.line}:{d.column}
            </span>{" "}
            {d.code ? <span className="text-zinc-500">[{d.code}] </span> : null}
            <span data-testid="diagnostic-message">{d.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function describe(build: BuildStatus): string {
  switch (build.state) {
    case "prebuilt":
      return "The example's prebuilt module is loaded. Build (or Ctrl/Cmd+Enter) compiles the source in the editor.";
    case "uploaded":
      return "An uploaded module: it has no source here to build.";
    case "building":
      return "Building…";
    case "built":
      return `Built ${build.where === "browser" ? "in the browser (wabt)" : "on the server"} in ${Math.round(build.ms)} ms${
        build.cached ? " · cache hit: the same source was built before" : ""
      } · sha256 ${build.sha256.slice(0, 12)}…`;
    case "failed":
      return "Build failed.";
  }
}
