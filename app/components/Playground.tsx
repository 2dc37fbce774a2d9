"use client";

import { useCallback, useEffect, useState, type ReactNode } from "react";
import type { CallResult, LoadedExtension } from "../../lib/instance";
import { samplePayload } from "../../lib/manifest/payloads";
import { AuditTable } from "./AuditTable";
import { DEFAULT_ENVIRONMENT, parseEnvironment } from "./environment";
import { EventsPanel } from "./EventsPanel";
import { ExtensionFacts } from "./ExtensionFacts";
import { defaultFiles, mergeSnapshot, type FileTree } from "./files";
import { FileTreeEditor } from "./FileTreeEditor";
import { ModuleInput, type ExampleEntry } from "./ModuleInput";
import { OutputPanel } from "./OutputPanel";
import { useExtensionSession, type LoadInputs, type ModuleSource } from "./use-extension-session";

const SECTION_TITLE = "text-sm font-semibold uppercase tracking-wide text-zinc-400";
const EDITOR = "w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs";

interface TextSectionProps {
  title: ReactNode;
  /** The textarea's accessible name. */
  label: string;
  testId: string;
  /** A Tailwind height class. */
  height: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  /** A line of help below the editor. */
  note?: string;
}

/** A titled plain-text editor (manifest, environment, stdin). */
function TextSection({ title, label, testId, height, value, onChange, placeholder, note }: TextSectionProps) {
  return (
    <section className="space-y-2">
      <h2 className={SECTION_TITLE}>{title}</h2>
      <textarea
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        data-testid={testId}
        aria-label={label}
        placeholder={placeholder}
        className={`${height} ${EDITOR}`}
      />
      {note ? <p className="text-xs text-zinc-500">{note}</p> : null}
    </section>
  );
}

/** The playground: pick or upload an extension, load it in a Worker, call its hooks. */
export function Playground() {
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [module, setModule] = useState<ModuleSource | undefined>();
  const [manifestText, setManifestText] = useState("");
  const [envText, setEnvText] = useState(DEFAULT_ENVIRONMENT);
  const [stdinText, setStdinText] = useState("");
  const [files, setFiles] = useState<FileTree>(defaultFiles);
  const takeSnapshot = useCallback(
    (result: CallResult, extension: LoadedExtension) => setFiles((tree) => mergeSnapshot(tree, result.files, extension.preopens)),
    [],
  );
  const session = useExtensionSession(takeSnapshot);
  const { loaded, error, setError, busy } = session;

  useEffect(() => {
    fetch("/extensions/index.json")
      .then((r) => (r.ok ? (r.json() as Promise<ExampleEntry[]>) : []))
      .then(setExamples)
      .catch(() => setError({ title: "Examples unavailable", message: "Could not read /extensions/index.json" }));
  }, [setError]);

  const inputs = (manifestSource: string): LoadInputs => ({
    manifestSource,
    env: parseEnvironment(envText),
    files,
    stdin: new TextEncoder().encode(stdinText),
  });

  const pickExample = async (entry: ExampleEntry) => {
    setError(undefined);
    const [wasm, toml] = await Promise.all([fetch(entry.wasm), fetch(entry.manifest)]);
    if (!wasm.ok || !toml.ok) {
      setError({ title: `Could not fetch ${entry.name}`, message: `${entry.wasm}: ${wasm.status}, ${entry.manifest}: ${toml.status}` });
      return;
    }
    const source = { label: entry.name, fileName: `${entry.name}.wasm`, bytes: new Uint8Array(await wasm.arrayBuffer()) };
    const manifest = await toml.text();
    setModule(source);
    setManifestText(manifest);
    await session.load(source, inputs(manifest));
  };

  const takeFiles = async (chosen: File[]) => {
    const wasmFile = chosen.find((f) => f.name.endsWith(".wasm"));
    const tomlFile = chosen.find((f) => f.name.endsWith(".toml"));
    if (!wasmFile && !tomlFile) {
      setError({ title: "Nothing to load", message: `expected a .wasm and/or .toml file, got ${chosen.map((f) => f.name).join(", ") || "no files"}` });
      return;
    }
    const manifest = tomlFile ? await tomlFile.text() : manifestText;
    if (tomlFile) setManifestText(manifest);
    const source = wasmFile ? { label: wasmFile.name, fileName: wasmFile.name, bytes: new Uint8Array(await wasmFile.arrayBuffer()) } : module;
    if (wasmFile) setModule(source);
    if (source && manifest.trim() !== "") await session.load(source, inputs(manifest));
    else if (source) setError({ title: `${source.label} needs a manifest`, message: "Write or upload its extension.toml, then press Load." });
  };

  return (
    <main className="mx-auto grid max-w-7xl gap-6 p-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <header className="lg:col-span-2">
        <h1 className="text-2xl font-semibold">Extension Playground</h1>
        <p className="text-sm text-zinc-400">
          Run FrankenTerm WebAssembly extensions in your browser: each in its own Web Worker, with the host ABI
          (ft_log, ft_get_env, ft_return_buffer_read), WASI preview1 and an audit record of every host call.
        </p>
      </header>

      <div className="space-y-5">
        <ModuleInput examples={examples} selected={module?.label ?? ""} onExample={pickExample} onFiles={takeFiles} />
        <TextSection
          title={<>extension.toml {module ? <span className="font-normal normal-case text-zinc-500">for {module.label}</span> : null}</>}
          label="extension.toml"
          testId="manifest-editor"
          height="h-64"
          value={manifestText}
          onChange={setManifestText}
        />
        <TextSection
          title="Environment"
          label="Environment (KEY=VALUE per line)"
          testId="env-editor"
          height="h-28"
          value={envText}
          onChange={setEnvText}
          note="The extension sees only what [permissions] environment allows."
        />
        <TextSection
          title="stdin"
          label="stdin"
          testId="stdin-editor"
          height="h-16"
          value={stdinText}
          onChange={setStdinText}
          placeholder="What the extension reads on fd 0 (then end-of-file)"
        />
        <FileTreeEditor files={files} onChange={setFiles} />
        <div className="flex gap-2">
          <button
            type="button"
            disabled={!module || busy}
            onClick={() => module && session.load(module, inputs(manifestText))}
            data-testid="load-button"
            className="rounded bg-emerald-700 px-4 py-1.5 text-sm font-medium hover:bg-emerald-600 disabled:opacity-40"
          >
            {loaded ? "Reload" : "Load"}
          </button>
          <button
            type="button"
            disabled={!loaded}
            onClick={session.reset}
            data-testid="reset-button"
            className="rounded border border-zinc-700 px-4 py-1.5 text-sm hover:border-zinc-500 disabled:opacity-40"
          >
            Reset
          </button>
        </div>
      </div>

      <div className="space-y-5">
        {error ? (
          <div role="alert" data-testid="error" className="rounded border border-red-800 bg-red-950/60 p-3 text-sm">
            <p className="font-semibold text-red-300">{error.title}</p>
            <p className="whitespace-pre-wrap font-mono text-xs text-red-200">{error.message}</p>
          </div>
        ) : null}
        {loaded ? <ExtensionFacts extension={loaded} instanceId={session.instanceId} /> : null}
        {loaded ? (
          <section className="space-y-2">
            <h2 className={SECTION_TITLE}>Hooks</h2>
            <div className="flex flex-wrap gap-2">
              {loaded.command && module ? (
                <button
                  type="button"
                  disabled={busy}
                  data-testid="run-button"
                  onClick={() => session.run(module, inputs(manifestText))}
                  className="rounded bg-sky-800 px-3 py-1 font-mono text-sm hover:bg-sky-700 disabled:opacity-40"
                >
                  Run _start
                </button>
              ) : null}
              {loaded.manifest.hooks.map((hook) => (
                <button
                  key={`${hook.event}:${hook.handler}`}
                  type="button"
                  disabled={busy}
                  data-testid={`hook-${hook.handler}`}
                  onClick={() => session.callHooks([hook], hook.event, samplePayload(hook.event))}
                  className="rounded border border-sky-700 px-3 py-1 font-mono text-sm hover:bg-sky-950 disabled:opacity-40"
                >
                  {hook.handler}() <span className="text-xs text-zinc-500">{hook.event}</span>
                </button>
              ))}
              {loaded.manifest.hooks.length === 0 && !loaded.command ? <p className="text-sm text-zinc-500">The manifest declares no hooks.</p> : null}
            </div>
            {loaded.command ? (
              <p className="text-xs text-zinc-500">A WASI command: Run starts a fresh instance with the stdin, environment and files above, then calls _start.</p>
            ) : (
              <p className="text-xs text-zinc-500">
                Before each call the event&apos;s example payload is placed in the return buffer (the playground&apos;s proposal: upstream has
                no payload ABI yet).
              </p>
            )}
          </section>
        ) : null}
        {loaded && loaded.manifest.hooks.length > 0 ? (
          <EventsPanel
            hooks={loaded.manifest.hooks}
            disabled={busy}
            onFire={(event, payload, hooks) => session.callHooks(hooks, event, payload)}
          />
        ) : null}
        <OutputPanel entries={session.output} live={session.live} onClear={session.clearOutput} />
        <AuditTable entries={session.audit} />
      </div>
    </main>
  );
}
