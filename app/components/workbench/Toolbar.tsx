"use client";

import type { Hook } from "../../../lib/manifest/types";
import { Elapsed } from "../output/OutputPanel";
import { ShareMenu } from "../share/ShareMenu";
import type { ModuleSource, useExtensionSession } from "../use-extension-session";
import { ExamplePicker, type ExampleEntry } from "./ExamplePicker";
import type { WorkbenchState } from "./state";

const PRIMARY = "rounded bg-emerald-700 px-3 py-1 text-sm font-medium hover:bg-emerald-600 disabled:opacity-40";
const SECONDARY = "rounded border border-zinc-700 px-3 py-1 text-sm hover:border-zinc-500 disabled:opacity-40";
const HOOK = "rounded border border-sky-700 px-2 py-1 font-mono text-xs hover:bg-sky-950 disabled:opacity-40";

interface Props {
  examples: ExampleEntry[];
  state: WorkbenchState;
  session: ReturnType<typeof useExtensionSession>;
  module: ModuleSource | undefined;
  onExample(entry: ExampleEntry): void;
  onFiles(files: File[]): void;
  /** Build, then load (or run a command). */
  onBuild(): void;
  onFormat(): void;
  onLoad(): void;
  onRun(): void;
  onHook(hook: Hook): void;
}

/** The toolbar: example picker, Build, Format, Run or the hook buttons, Load, Stop with the elapsed time, Reset. */
export function Toolbar({ examples, state, session, module, onExample, onFiles, onBuild, onFormat, onLoad, onRun, onHook }: Props) {
  const { loaded, busy, live } = session;
  const building = state.build.state === "building";
  const canBuild = state.language !== "none" && !building && !busy;
  const formattable = state.language === "rust" || state.language === "c";
  return (
    <header className="flex min-w-0 flex-wrap items-center gap-2 border-b border-zinc-800 px-3 py-2">
      <h1 className="mr-1 whitespace-nowrap text-sm font-semibold">
        Extension Playground <span className="font-normal text-zinc-500">· FrankenTerm</span>
      </h1>
      <ExamplePicker examples={examples} selected={state.example ?? ""} onExample={onExample} onFiles={onFiles} />
      <button type="button" disabled={!canBuild} onClick={onBuild} data-testid="build-button" title="Build the source and load it; a command runs (Ctrl/Cmd+Enter also calls the chosen hook)" className={PRIMARY}>
        {building ? "Building…" : "Build"}
      </button>
      <button
        type="button"
        disabled={!formattable || building}
        onClick={onFormat}
        data-testid="format-button"
        title={formattable ? `Format with ${state.language === "rust" ? "rustfmt" : "clang-format"}` : "No formatter for this language"}
        className={SECONDARY}
      >
        Format
      </button>
      <button type="button" disabled={!module || busy} onClick={onLoad} data-testid="load-button" title="Load the module with the manifest in the editor, in a new worker" className={SECONDARY}>
        {loaded ? "Reload" : "Load"}
      </button>
      <div className="flex min-w-0 flex-wrap items-center gap-1" aria-label="Hooks">
        {loaded?.command && module ? (
          <button type="button" disabled={busy} data-testid="run-button" onClick={onRun} className="rounded bg-sky-800 px-3 py-1 font-mono text-sm hover:bg-sky-700 disabled:opacity-40">
            Run _start
          </button>
        ) : null}
        {loaded?.manifest.hooks.map((hook) => (
          <button
            key={`${hook.event}:${hook.handler}`}
            type="button"
            disabled={busy}
            data-testid={`hook-${hook.handler}`}
            title={`Call ${hook.handler} with ${hook.event}'s example payload in the return buffer`}
            onClick={() => onHook(hook)}
            className={`${HOOK} ${state.hook === hook.handler ? "bg-sky-950" : ""}`}
          >
            {hook.handler}() <span className="text-zinc-500">{hook.event}</span>
          </button>
        ))}
      </div>
      <button type="button" disabled={!busy} onClick={session.stop} data-testid="stop-button" title="End the running call by terminating its worker" className={SECONDARY}>
        Stop{live ? <> · <Elapsed since={live.startedAt} /></> : null}
      </button>
      <button type="button" disabled={!loaded} onClick={session.reset} data-testid="reset-button" className={SECONDARY}>
        Reset
      </button>
      <span className="ml-auto" />
      <ShareMenu state={state} module={module} onError={session.setError} />
    </header>
  );
}
