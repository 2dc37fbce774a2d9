"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { AuditEntry } from "../../lib/audit/trail";
import type { TransportKind } from "../../lib/commands/transport";
import type { LoadedExtension } from "../../lib/instance";
import { parseManifest } from "../../lib/manifest/parse";
import { samplePayload } from "../../lib/manifest/payloads";
import { defaultLimits, type Hook } from "../../lib/manifest/types";
import { AuditTable } from "./AuditTable";
import { DEFAULT_ENVIRONMENT, parseEnvironment } from "./environment";
import { EventsPanel } from "./EventsPanel";
import { ExtensionFacts } from "./ExtensionFacts";
import { startExtensionWorker, type ExtensionWorker } from "./extension-worker";
import { ModuleInput, type ExampleEntry } from "./ModuleInput";
import { OutputPanel, type OutputEntry } from "./OutputPanel";

/** The module the page holds, before or after loading. */
interface ModuleSource {
  /** Example name or uploaded file name. */
  label: string;
  fileName: string;
  bytes: Uint8Array;
}

interface PageError {
  title: string;
  message: string;
}

/** Audit rows kept on the page; older ones are counted, not shown. */
const AUDIT_ROWS_KEPT = 5_000;

/** Settles with `work`, or with `"timeout"` after `seconds`. */
function withDeadline<P extends Promise<unknown>>(work: P, seconds: number): Promise<Awaited<P> | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), seconds * 1000)));
  return Promise.race([work as Promise<Awaited<P>>, deadline]).finally(() => clearTimeout(timer));
}

/** `?transport=atomics|sync-xhr|jspi` forces how ft_command reaches the route (to compare them). */
function forcedTransport(): { commandTransport?: TransportKind } {
  const value = new URLSearchParams(window.location.search).get("transport");
  return value === "jspi" || value === "atomics" || value === "sync-xhr" ? { commandTransport: value } : {};
}

/** The wall-time limit a manifest sets, or the default when it does not parse (load reports why). */
function wallTimeOf(manifest: string): number {
  try {
    return parseManifest(manifest).limits.maxWallTimeSecs;
  } catch {
    return defaultLimits().maxWallTimeSecs;
  }
}

/** The playground: pick or upload an extension, load it in a Worker, call its hooks. */
export function Playground() {
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [module, setModule] = useState<ModuleSource | undefined>();
  const [manifestText, setManifestText] = useState("");
  const [envText, setEnvText] = useState(DEFAULT_ENVIRONMENT);
  const [loaded, setLoaded] = useState<LoadedExtension | undefined>();
  const [error, setError] = useState<PageError | undefined>();
  const [busy, setBusy] = useState(false);
  const [output, setOutput] = useState<OutputEntry[]>([]);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const worker = useRef<ExtensionWorker | undefined>(undefined);
  const nextId = useRef(0);

  useEffect(() => {
    fetch("/extensions/index.json")
      .then((r) => (r.ok ? (r.json() as Promise<ExampleEntry[]>) : []))
      .then(setExamples)
      .catch(() => setError({ title: "Examples unavailable", message: "Could not read /extensions/index.json" }));
    return () => worker.current?.terminate();
  }, []);

  const note = useCallback((text: string) => setOutput((o) => [...o, { kind: "note", id: nextId.current++, text }]), []);

  /** Ends the instance because `what` overran its wall time; the page is ready for the next load at once. */
  const timedOut = useCallback(
    (what: string, limit: number, startedAt: number) => {
      worker.current?.terminate();
      worker.current = undefined;
      setLoaded(undefined);
      const after = ((performance.now() - startedAt) / 1000).toFixed(1);
      setError({
        title: `${what} timed out`,
        message: `${what} ran longer than max_wall_time_secs = ${limit} s and was stopped after ${after} s by terminating its worker. The instance has ended: load again to continue.`,
      });
      note(`${what} stopped after ${after} s (wall time)`);
    },
    [note],
  );

  const load = useCallback(
    async (source: ModuleSource, manifest: string) => {
      worker.current?.terminate();
      worker.current = startExtensionWorker();
      setLoaded(undefined);
      setError(undefined);
      setBusy(true);
      const limit = wallTimeOf(manifest);
      const startedAt = performance.now();
      try {
        const response = await withDeadline(
          worker.current.api.load({
            bytes: source.bytes.slice(),
            manifestSource: manifest,
            env: parseEnvironment(envText),
            fileName: source.fileName,
            ...forcedTransport(),
          }),
          limit,
        );
        if (response === "timeout") {
          timedOut(`loading ${source.label}`, limit, startedAt);
          return;
        }
        if (!response.ok) {
          setError({ title: `Could not load ${source.label} (${response.error.stage})`, message: response.error.message });
          worker.current.terminate();
          worker.current = undefined;
          return;
        }
        setLoaded(response.extension);
        note(`loaded ${source.label} in a new worker`);
        const init = response.extension.initialization;
        if (init) {
          setOutput((o) => [...o, { kind: "call", id: nextId.current++, result: init }]);
          setAudit((a) => [...a, ...init.audit].slice(-AUDIT_ROWS_KEPT));
        }
      } finally {
        setBusy(false);
      }
    },
    [envText, note, timedOut],
  );

  const pickExample = useCallback(
    async (entry: ExampleEntry) => {
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
      await load(source, manifest);
    },
    [load],
  );

  const takeFiles = useCallback(
    async (files: File[]) => {
      const wasmFile = files.find((f) => f.name.endsWith(".wasm"));
      const tomlFile = files.find((f) => f.name.endsWith(".toml"));
      const manifest = tomlFile ? await tomlFile.text() : manifestText;
      if (tomlFile) setManifestText(manifest);
      const source = wasmFile ? { label: wasmFile.name, fileName: wasmFile.name, bytes: new Uint8Array(await wasmFile.arrayBuffer()) } : module;
      if (wasmFile) setModule(source);
      if (!wasmFile && !tomlFile) {
        setError({ title: "Nothing to load", message: `expected a .wasm and/or .toml file, got ${files.map((f) => f.name).join(", ") || "no files"}` });
        return;
      }
      if (source && manifest.trim() !== "") await load(source, manifest);
      else if (source) note(`${source.label} is ready: write or upload its extension.toml, then press Load`);
    },
    [load, manifestText, module, note],
  );

  /**
   * Calls `hooks` one after another with `payload`, each under the wall-time limit.
   * A timeout ends the instance and skips the hooks after it.
   */
  const callHooks = useCallback(
    async (hooks: Hook[], event: string, payload: string) => {
      const api = worker.current?.api;
      const limit = loaded?.manifest.limits.maxWallTimeSecs ?? defaultLimits().maxWallTimeSecs;
      if (!api) return;
      setBusy(true);
      setError(undefined);
      try {
        for (const hook of hooks) {
          const startedAt = performance.now();
          const response = await withDeadline(api.call(hook.handler, payload), limit);
          if (response === "timeout") {
            timedOut(`hook ${hook.handler} (${event})`, limit, startedAt);
            return;
          }
          if (!response.ok) {
            setError({ title: `Could not call ${hook.handler}`, message: response.error });
            return;
          }
          const result = response.result;
          setOutput((o) => [...o, { kind: "call", id: nextId.current++, event, result }]);
          setAudit((a) => [...a, ...result.audit].slice(-AUDIT_ROWS_KEPT));
        }
      } finally {
        setBusy(false);
      }
    },
    [loaded, timedOut],
  );

  const reset = useCallback(() => {
    worker.current?.terminate();
    worker.current = undefined;
    setLoaded(undefined);
    note("instance ended (worker terminated)");
  }, [note]);

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
        <section className="space-y-2">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">
            extension.toml {module ? <span className="font-normal normal-case text-zinc-500">for {module.label}</span> : null}
          </h2>
          <textarea
            value={manifestText}
            onChange={(e) => setManifestText(e.target.value)}
            spellCheck={false}
            data-testid="manifest-editor"
            aria-label="extension.toml"
            className="h-64 w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs"
          />
        </section>
        <section className="space-y-2">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">Environment</h2>
          <textarea
            value={envText}
            onChange={(e) => setEnvText(e.target.value)}
            spellCheck={false}
            data-testid="env-editor"
            aria-label="Environment (KEY=VALUE per line)"
            className="h-28 w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs"
          />
          <p className="text-xs text-zinc-500">The extension sees only what [permissions] environment allows.</p>
        </section>
        <div className="flex gap-2">
          <button
            type="button"
            disabled={!module || busy}
            onClick={() => module && load(module, manifestText)}
            data-testid="load-button"
            className="rounded bg-emerald-700 px-4 py-1.5 text-sm font-medium hover:bg-emerald-600 disabled:opacity-40"
          >
            {loaded ? "Reload" : "Load"}
          </button>
          <button
            type="button"
            disabled={!loaded}
            onClick={reset}
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
        {loaded ? <ExtensionFacts extension={loaded} /> : null}
        {loaded ? (
          <section className="space-y-2">
            <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">Hooks</h2>
            <div className="flex flex-wrap gap-2">
              {loaded.manifest.hooks.map((hook) => (
                <button
                  key={`${hook.event}:${hook.handler}`}
                  type="button"
                  disabled={busy}
                  data-testid={`hook-${hook.handler}`}
                  onClick={() => callHooks([hook], hook.event, samplePayload(hook.event))}
                  className="rounded border border-sky-700 px-3 py-1 font-mono text-sm hover:bg-sky-950 disabled:opacity-40"
                >
                  {hook.handler}() <span className="text-xs text-zinc-500">{hook.event}</span>
                </button>
              ))}
              {loaded.manifest.hooks.length === 0 ? <p className="text-sm text-zinc-500">The manifest declares no hooks.</p> : null}
            </div>
            <p className="text-xs text-zinc-500">
              Before each call the event&apos;s example payload is placed in the return buffer (the playground&apos;s
              proposal: upstream has no payload ABI yet).
            </p>
          </section>
        ) : null}
        {loaded ? (
          <EventsPanel hooks={loaded.manifest.hooks} disabled={busy} onFire={(event, payload, hooks) => callHooks(hooks, event, payload)} />
        ) : null}
        <OutputPanel entries={output} onClear={() => setOutput([])} />
        <AuditTable entries={audit} />
      </div>
    </main>
  );
}
