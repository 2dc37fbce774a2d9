"use client";

/**
 * The workbench: a toolbar, the editor with a tab per file, and side tabs for Output, Audit,
 * Events, Files and Environment. The page's state is one {@link WorkbenchState} changed only
 * through {@link update}; the live instance is the session's (one Worker per load).
 */

import { Activity, useCallback, useEffect, useMemo, useReducer, useRef, useState, type DragEvent, type ReactNode } from "react";
import type { CallResult, LoadedExtension } from "../../../lib/instance";
import type { Hook } from "../../../lib/manifest/types";
import { samplePayload } from "../../../lib/manifest/payloads";
import { AuditExplorer, callsOf } from "../audit/AuditExplorer";
import { buildSource, formatSource } from "../build/build-client";
import { CodeEditor } from "../editor/CodeEditor";
import { DiagnosticsList } from "../editor/DiagnosticsList";
import { parseEnvironment } from "../environment/environment";
import { EnvironmentPanel } from "../environment/EnvironmentPanel";
import { EventsPanel } from "../events/EventsPanel";
import { ExtensionFacts } from "../facts/ExtensionFacts";
import { parentsOf } from "../files/files";
import { FileTreeEditor } from "../files/FileTreeEditor";
import { InspectorPanel } from "../inspector/InspectorPanel";
import { OutputPanel } from "../output/OutputPanel";
import { useShareRestore } from "../share/use-share-restore";
import { readFtx } from "../../../lib/share/ftx";
import { FuelProfilePanel } from "../timeline/FuelProfilePanel";
import { TimelinePanel } from "../timeline/TimelinePanel";
import { useExtensionSession, type LoadInputs, type ModuleSource } from "../use-extension-session";
import { exampleKey, type ExampleEntry } from "./ExamplePicker";
import { initialState, splitArgs, update, type FileId, type SideTab, type WorkbenchState } from "./state";
import { Toolbar } from "./Toolbar";

const SOURCE_FILE: Record<WorkbenchState["language"], string> = { rust: "lib.rs", c: "main.c", wat: "extension.wat", none: "" };

/** The example the page opens (without running it) when a share link cannot be read. */
const DEFAULT_EXAMPLE = "hello";
/** Where a package's assets go in the file tree. */
const ASSET_ROOT = "/extension";

const TABS: { id: SideTab; title: string }[] = [
  { id: "output", title: "Output" },
  { id: "audit", title: "Audit" },
  { id: "events", title: "Events" },
  { id: "files", title: "Files" },
  { id: "environment", title: "Env / stdin" },
  { id: "inspector", title: "Inspector" },
  { id: "timeline", title: "Timeline" },
  { id: "profile", title: "Fuel profile" },
];

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as text when they are UTF-8, else `undefined`. */
function decodeText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The name of the source file shown on its tab. */
function sourceFileName(state: WorkbenchState): string {
  if (state.language === "rust" && state.kind === "command") return "main.rs";
  return SOURCE_FILE[state.language];
}

/** The playground's one screen. */
export function Workbench() {
  const [state, dispatch] = useReducer(update, undefined, initialState);
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [module, setModule] = useState<ModuleSource | undefined>();
  const [dragging, setDragging] = useState(false);
  /** Where a clicked diagnostic points (view state, not part of the shared state). */
  const [reveal, setReveal] = useState<{ line: number; column: number } | undefined>();
  /** The audit explorer's "record memory" switch: off by default, read at each load. */
  const [recording, setRecording] = useState(false);
  const recordingRef = useRef(recording);
  recordingRef.current = recording;
  /** The fuel profile's switch: off by default, read at each load. */
  const [profiling, setProfiling] = useState(false);
  const profilingRef = useRef(profiling);
  profilingRef.current = profiling;
  const takeSnapshot = useCallback(
    (result: CallResult, extension: LoadedExtension) => dispatch({ type: "merge-files", snapshot: result.files, preopens: extension.preopens }),
    [],
  );
  /**
   * The inspector reads the module (in its own Worker) and renders its WAT: work worth doing
   * only once someone opens its tab, not on every load of a page that never shows it.
   */
  const [inspectorOpened, setInspectorOpened] = useState(false);
  if (state.sideTab === "inspector" && !inspectorOpened) setInspectorOpened(true);
  const session = useExtensionSession(takeSnapshot);
  const { loaded, error, setError, busy } = session;
  const currentCalls = useMemo(() => (session.runs[0] ? callsOf(session.runs[0]) : []), [session.runs]);
  // Handlers that run later (after a fetch or a build) read the state as it is then.
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    fetch("/extensions/index.json")
      .then((r) => (r.ok ? (r.json() as Promise<ExampleEntry[]>) : []))
      .then(setExamples)
      .catch(() => setError({ title: "Examples unavailable", message: "Could not read /extensions/index.json" }));
  }, [setError]);

  const inputs = (manifestSource: string, overrides: Partial<Pick<WorkbenchState, "stdin">> = {}): LoadInputs => {
    const now = stateRef.current;
    return {
      manifestSource,
      env: parseEnvironment(now.env),
      files: now.tree,
      stdin: new TextEncoder().encode(overrides.stdin ?? now.stdin),
      args: splitArgs(now.args),
      ...(recordingRef.current ? { record: { memory: true, timing: true } } : {}),
      ...(profilingRef.current ? { profile: true } : {}),
    };
  };

  /** Opens an example's buffers and prebuilt module; `load` also loads it (a click), otherwise nothing runs. */
  const openExample = async (entry: ExampleEntry, load: boolean) => {
    if (load) setError(undefined);
    const [wasm, toml, source] = await Promise.all([fetch(entry.wasm), fetch(entry.manifest), fetch(entry.source)]);
    if (!wasm.ok || !toml.ok || !source.ok) {
      setError({
        title: `Could not fetch ${entry.name}`,
        message: `${entry.wasm}: ${wasm.status}, ${entry.manifest}: ${toml.status}, ${entry.source}: ${source.status}`,
      });
      return;
    }
    const manifest = await toml.text();
    const prebuilt = { label: entry.name, fileName: `${entry.name}.wasm`, bytes: new Uint8Array(await wasm.arrayBuffer()) };
    dispatch({
      type: "open-example",
      opened: {
        example: exampleKey(entry),
        label: entry.name,
        language: entry.language,
        kind: entry.command ? "command" : "reactor",
        source: await source.text(),
        manifest,
        ...(entry.stdin !== undefined ? { stdin: entry.stdin } : {}),
      },
    });
    setModule(prebuilt);
    if (load) await session.load(prebuilt, inputs(manifest, entry.stdin !== undefined ? { stdin: entry.stdin } : {}));
  };
  const pickExample = (entry: ExampleEntry) => openExample(entry, true);

  // A share link restores its state and runs nothing; a bad one is reported and the page
  // opens the default example (unloaded), so it is usable as it is.
  const [defaultWanted, setDefaultWanted] = useState(false);
  useShareRestore({
    onRestore: (restored) => {
      dispatch({ type: "restore", state: restored.state });
      setModule(restored.module);
      if (restored.note) setError({ title: "Part of the link was left out", message: restored.note });
      if (!restored.module) void adoptPrebuiltIfUnchanged(restored.state);
    },
    onError: (error) => {
      setError({ title: error.title, message: error.message });
      setDefaultWanted(true);
    },
    onNone: () => undefined,
  });
  /** A restored example whose source is the example's own gets its prebuilt module, so Load works before any build. */
  const adoptPrebuiltIfUnchanged = async (restored: WorkbenchState) => {
    if (!restored.example) return;
    const index = await fetch("/extensions/index.json").then((r) => (r.ok ? (r.json() as Promise<ExampleEntry[]>) : []), () => []);
    const entry = index.find((e) => exampleKey(e) === restored.example);
    if (!entry) return;
    const [source, wasm] = await Promise.all([fetch(entry.source), fetch(entry.wasm)]);
    if (!source.ok || !wasm.ok || (await source.text()) !== restored.buffers.source) return;
    const bytes = new Uint8Array(await wasm.arrayBuffer());
    // Only if the buffer is still the one restored (the user may have typed meanwhile).
    if (stateRef.current.buffers.source === restored.buffers.source) setModule({ label: entry.name, fileName: `${entry.name}.wasm`, bytes });
  };
  useEffect(() => {
    if (!defaultWanted || examples.length === 0) return;
    setDefaultWanted(false);
    const entry = examples.find((e) => e.name === DEFAULT_EXAMPLE && !e.group) ?? examples[0];
    if (entry) void openExample(entry, false);
    // openExample reads the state through stateRef; it need not be a dependency.
  }, [defaultWanted, examples]);

  /** Opens a FrankenTerm package: its manifest, its entry module, its other files under /extension in the tree; then loads it. */
  const openPackage = async (file: File) => {
    let pkg: ReturnType<typeof readFtx>;
    try {
      pkg = readFtx(new Uint8Array(await file.arrayBuffer()), file.name);
    } catch (error) {
      setError({ title: `Could not open ${file.name}`, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    const source = { label: file.name, fileName: pkg.entry.split("/").pop() ?? pkg.entry, bytes: pkg.module };
    const tree = { ...stateRef.current.tree };
    if (pkg.assets.length > 0) tree[ASSET_ROOT] = null;
    for (const asset of pkg.assets) {
      for (const folder of parentsOf(`${ASSET_ROOT}/${asset.path}`)) tree[folder] ??= null;
      tree[`${ASSET_ROOT}/${asset.path}`] = decodeText(asset.bytes) ?? asset.bytes;
    }
    dispatch({ type: "open-upload", label: file.name, manifest: pkg.manifestText });
    dispatch({ type: "set-tree", tree });
    setModule(source);
    await session.load(source, { ...inputs(pkg.manifestText), files: tree });
  };

  const takeFiles = async (chosen: File[]) => {
    const ftxFile = chosen.find((f) => f.name.endsWith(".ftx"));
    if (ftxFile) return openPackage(ftxFile);
    const wasmFile = chosen.find((f) => f.name.endsWith(".wasm"));
    const tomlFile = chosen.find((f) => f.name.endsWith(".toml"));
    if (!wasmFile && !tomlFile) {
      setError({ title: "Nothing to load", message: `expected a .ftx package, or a .wasm and/or .toml file, got ${chosen.map((f) => f.name).join(", ") || "no files"}` });
      return;
    }
    if (!wasmFile) {
      // A manifest alone replaces the manifest of the module already open.
      const text = tomlFile ? await tomlFile.text() : "";
      dispatch({ type: "edit", file: "manifest", text });
      dispatch({ type: "show-file", file: "manifest" });
      if (module) await session.load(module, inputs(text));
      return;
    }
    // A new module never inherits the previous one's manifest: it gets its own, or none.
    const manifest = tomlFile ? await tomlFile.text() : "";
    const source = { label: wasmFile.name, fileName: wasmFile.name, bytes: new Uint8Array(await wasmFile.arrayBuffer()) };
    dispatch({ type: "open-upload", label: wasmFile.name, manifest });
    setModule(source);
    if (manifest.trim() !== "") await session.load(source, inputs(manifest));
    else setError({ title: `${source.label} needs a manifest`, message: "Write its extension.toml in the editor (or open it with the module), then press Load." });
  };

  /** Builds the editor's source; resolves to the new module, or `undefined` when the build failed (shown). */
  const build = async (): Promise<ModuleSource | undefined> => {
    const now = stateRef.current;
    if (now.language === "none") return module;
    dispatch({ type: "build-started" });
    const outcome = await buildSource(now.language, now.buffers.source, now.kind);
    if (!outcome.ok) {
      dispatch({ type: "build-finished", build: { state: "failed", error: outcome.error, ...(outcome.limit ? { limit: outcome.limit } : {}) }, diagnostics: outcome.diagnostics });
      return undefined;
    }
    dispatch({
      type: "build-finished",
      build: { state: "built", sha256: outcome.sha256, cached: outcome.cached, ms: outcome.ms, where: outcome.where },
      diagnostics: outcome.diagnostics,
    });
    const built = { label: now.label, fileName: `${now.label}.wasm`, bytes: outcome.wasm };
    setModule(built);
    return built;
  };

  /** Build, then load (a reactor) or run (a command). */
  const buildAndLoad = async () => {
    const built = await build();
    if (!built) return;
    const manifest = stateRef.current.buffers.manifest;
    if (stateRef.current.kind === "command") await session.run(built, inputs(manifest));
    else await session.load(built, inputs(manifest));
  };

  const callHooks = (hooks: Pick<Hook, "handler">[], event: string | undefined, payload: string | undefined, extension?: LoadedExtension) =>
    session.callHooks(hooks, event, payload, { env: parseEnvironment(stateRef.current.env), stdin: new TextEncoder().encode(stateRef.current.stdin) }, extension);

  /** Ctrl/Cmd+Enter: build, load, and run the command or call the chosen hook (the first by default). */
  const buildAndRun = async () => {
    if (busy) return;
    const built = await build();
    if (!built) return;
    const now = stateRef.current;
    if (now.kind === "command") {
      await session.run(built, inputs(now.buffers.manifest));
      return;
    }
    const extension = await session.load(built, inputs(now.buffers.manifest));
    const hooks = extension?.manifest.hooks ?? [];
    const hook = hooks.find((h) => h.handler === now.hook) ?? hooks[0];
    if (extension && hook) await callHooks([hook], hook.event, samplePayload(hook.event), extension);
  };

  const format = async () => {
    const now = stateRef.current;
    if (now.language !== "rust" && now.language !== "c") return;
    const outcome = await formatSource(now.language, now.buffers.source);
    if (outcome.ok) {
      dispatch({ type: "edit", file: "source", text: outcome.source });
      setError(undefined);
    } else setError({ title: `Could not format ${sourceFileName(now)}: the buffer is unchanged`, message: outcome.error });
  };

  // Ctrl/Cmd+Enter outside the editor too (the editor binds it itself, ahead of its own keymap).
  const runRef = useRef(buildAndRun);
  runRef.current = buildAndRun;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
      event.preventDefault();
      void runRef.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void takeFiles([...event.dataTransfer.files]);
  };

  const fileTabs: { id: FileId; name: string }[] = [
    ...(state.language !== "none" ? [{ id: "source" as const, name: sourceFileName(state) }] : []),
    { id: "manifest", name: "extension.toml" },
  ];
  const activeFile = state.language === "none" ? "manifest" : state.activeFile;

  return (
    <main
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      className={`flex min-h-screen w-full flex-col lg:h-screen ${dragging ? "outline-2 -outline-offset-4 outline-dashed outline-emerald-400" : ""}`}
    >
      <Toolbar
        examples={examples}
        state={state}
        session={session}
        module={module}
        onExample={pickExample}
        onFiles={takeFiles}
        onBuild={buildAndLoad}
        onFormat={format}
        onLoad={() => module && session.load(module, inputs(state.buffers.manifest))}
        onRun={() => module && session.run(module, inputs(state.buffers.manifest))}
        onHook={(hook) => {
          dispatch({ type: "choose-hook", hook: hook.handler });
          void callHooks([hook], hook.event, samplePayload(hook.event));
        }}
      />
      <div className="grid min-h-0 flex-1 grid-cols-1 lg:grid-cols-2">
        <section className="flex min-h-0 min-w-0 flex-col border-zinc-800 lg:border-r" aria-label="Editor">
          <div className="flex min-w-0 items-end gap-1 overflow-x-auto border-b border-zinc-800 px-2 pt-1" role="tablist" aria-label="Files">
            {fileTabs.map((tab) => (
              <button
                key={tab.id}
                type="button"
                role="tab"
                aria-selected={activeFile === tab.id}
                data-testid={`file-tab-${tab.id}`}
                onClick={() => dispatch({ type: "show-file", file: tab.id })}
                className={`rounded-t px-3 py-1 font-mono text-xs ${activeFile === tab.id ? "bg-zinc-800 text-zinc-100" : "text-zinc-400 hover:text-zinc-200"}`}
              >
                {tab.name}
              </button>
            ))}
            <span className="ml-auto truncate pb-1 text-xs text-zinc-500">{state.label}</span>
          </div>
          <div className="h-[60vh] min-h-0 lg:h-auto lg:flex-1">
            <div className={activeFile === "source" ? "h-full" : "hidden"}>
              <CodeEditor
                value={state.buffers.source}
                language={state.language}
                label={`Source (${sourceFileName(state) || "none"})`}
                testId="source-editor"
                diagnostics={state.diagnostics}
                {...(reveal ? { reveal } : {})}
                onChange={(text) => dispatch({ type: "edit", file: "source", text })}
                onRun={() => void buildAndRun()}
              />
            </div>
            <div className={activeFile === "manifest" ? "h-full" : "hidden"}>
              <CodeEditor
                value={state.buffers.manifest}
                language="toml"
                label="extension.toml"
                testId="manifest-editor"
                onChange={(text) => dispatch({ type: "edit", file: "manifest", text })}
                onRun={() => void buildAndRun()}
              />
            </div>
          </div>
          <DiagnosticsList
            build={state.build}
            diagnostics={state.diagnostics}
            onSelect={(d) => {
              dispatch({ type: "show-file", file: "source" });
              setReveal({ line: d.line, column: d.column });
            }}
          />
        </section>

        <section className="flex min-h-0 min-w-0 flex-col" aria-label="Run">
          <div className="space-y-2 px-3 pt-2">
            {error ? (
              <div role="alert" data-testid="error" className="rounded border border-red-800 bg-red-950/60 p-3 text-sm">
                <p className="font-semibold text-red-300">{error.title}</p>
                <p className="whitespace-pre-wrap break-words font-mono text-xs text-red-200">{error.message}</p>
              </div>
            ) : null}
            {loaded ? <ExtensionFacts extension={loaded} fileName={module?.fileName ?? ""} instanceId={session.instanceId} /> : null}
          </div>
          <div className="flex min-w-0 flex-wrap items-end gap-1 border-b border-zinc-800 px-2 pt-2" role="tablist" aria-label="Panels">
            {TABS.map((tab) => (
              <button
                key={tab.id}
                type="button"
                role="tab"
                aria-selected={state.sideTab === tab.id}
                data-testid={`tab-${tab.id}`}
                onClick={() => dispatch({ type: "show-tab", tab: tab.id })}
                className={`rounded-t px-3 py-1 text-xs ${state.sideTab === tab.id ? "bg-zinc-800 text-zinc-100" : "text-zinc-400 hover:text-zinc-200"}`}
              >
                {tab.title}
              </button>
            ))}
            <button
              type="button"
              onClick={session.clear}
              data-testid="clear-button"
              title="Clears the output and the audit of every run"
              className="ml-auto px-2 py-1 text-xs text-zinc-500 hover:text-zinc-300"
            >
              Clear
            </button>
          </div>
          <div className="min-h-[40vh] min-w-0 flex-1 overflow-auto p-3 lg:min-h-0">
            <TabPanel shown={state.sideTab === "output"}>
              <OutputPanel runs={session.runs} {...(session.live ? { live: session.live } : {})} />
            </TabPanel>
            <TabPanel shown={state.sideTab === "audit"}>
              <AuditExplorer runs={session.runs} recording={recording} onRecording={setRecording} />
            </TabPanel>
            <TabPanel shown={state.sideTab === "events"}>
              <EventsPanel
                hooks={loaded?.manifest.hooks ?? []}
                disabled={busy || !loaded}
                event={state.event}
                payload={state.payload}
                onChoose={(event) => dispatch({ type: "choose-event", event })}
                onPayload={(text) => dispatch({ type: "set-payload", text })}
                onFire={(event, payload, hooks) => void callHooks(hooks, event, payload)}
              />
            </TabPanel>
            <TabPanel shown={state.sideTab === "files"}>
              <FileTreeEditor files={state.tree} onChange={(tree) => dispatch({ type: "set-tree", tree })} />
            </TabPanel>
            {/* Not an Activity: hiding would end its effects (the WAT worker, the size builds), and showing start them again. */}
            <div hidden={state.sideTab !== "inspector"}>
              {module && loaded && inspectorOpened ? (
                <InspectorPanel
                  bytes={module.bytes}
                  name={module.label}
                  manifest={loaded.manifest}
                  {...(state.language === "rust" || state.language === "c" ? { source: { language: state.language, text: state.buffers.source, kind: state.kind } } : {})}
                />
              ) : (
                <p className="text-xs text-zinc-500">Load an extension to inspect its module.</p>
              )}
            </div>
            <TabPanel shown={state.sideTab === "timeline"}>
              <TimelinePanel calls={currentCalls} visible={state.sideTab === "timeline"} />
            </TabPanel>
            <TabPanel shown={state.sideTab === "profile"}>
              <FuelProfilePanel calls={currentCalls} profiling={profiling} onProfiling={setProfiling} />
            </TabPanel>
            <TabPanel shown={state.sideTab === "environment"}>
              <EnvironmentPanel
                env={state.env}
                stdin={state.stdin}
                args={state.args}
                command={state.kind === "command" || loaded?.command === true}
                fileName={module?.fileName ?? ""}
                onEnv={(text) => dispatch({ type: "set-env", text })}
                onStdin={(text) => dispatch({ type: "set-stdin", text })}
                onArgs={(text) => dispatch({ type: "set-args", text })}
              />
            </TabPanel>
          </div>
        </section>
      </div>
    </main>
  );
}

/**
 * One tab's panel. A hidden panel keeps its state and DOM (display: none) and re-renders at a
 * lower priority than the visible content (React's Activity): a load or a call renders the
 * tab on show first, not every tab (the audit explorer, the timeline and the profile
 * re-read every run), and the others follow when the thread is idle.
 */
function TabPanel({ shown, children }: { shown: boolean; children: ReactNode }) {
  return (
    <Activity mode={shown ? "visible" : "hidden"}>
      <div>{children}</div>
    </Activity>
  );
}
