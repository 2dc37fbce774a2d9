"use client";

import { useEffect, useRef, useState } from "react";
import { matchingHooks } from "../../../lib/manifest/dispatch";
import { samplePayload } from "../../../lib/manifest/payloads";
import { AuditTable } from "../audit/AuditTable";
import { buildSource } from "../build/build-client";
import { CodeEditor } from "../editor/CodeEditor";
import { parseEnvironment } from "../environment/environment";
import { defaultFiles } from "../files/files";
import { OutputPanel } from "../output/OutputPanel";
import { useExtensionSession, type ModuleSource } from "../use-extension-session";
import type { ExampleEntry } from "../workbench/ExamplePicker";

/** What a guide page embeds (its front matter's `[example]`). */
export interface LiveExampleProps {
  /** The example's name in `/extensions/index.json`. */
  name: string;
  /** The event delivered on Run (its hooks are called with its sample payload). */
  event: string;
  /** Environment lines the example starts with. */
  env: string;
}

const EDITOR_BOX = "h-56 overflow-hidden rounded border border-zinc-800";

/**
 * A guide page's live example, with the workbench's editor and runner: the example's source,
 * manifest and environment, editable, and a Run button that builds the source when it was
 * edited (WAT in the browser, Rust and C on the server), loads the module in a fresh Worker
 * and delivers the page's event; its output and audit trail appear below.
 */
export function LiveExample({ name, event, env }: LiveExampleProps) {
  const [entry, setEntry] = useState<ExampleEntry | undefined>();
  const [prebuilt, setPrebuilt] = useState<ModuleSource | undefined>();
  const [manifest, setManifest] = useState("");
  const [source, setSource] = useState("");
  const shipped = useRef("");
  const [envText, setEnvText] = useState(env);
  const [building, setBuilding] = useState(false);
  const session = useExtensionSession(() => {});
  const { setError } = session;

  useEffect(() => {
    (async () => {
      const index = (await (await fetch("/extensions/index.json")).json()) as ExampleEntry[];
      const found = index.find((e) => e.name === name);
      if (!found) throw new Error(`example "${name}" is not in /extensions/index.json`);
      const [wasm, toml, code] = await Promise.all([fetch(found.wasm), fetch(found.manifest), fetch(found.source)]);
      if (!wasm.ok || !toml.ok || !code.ok) throw new Error(`${found.wasm}: ${wasm.status}, ${found.manifest}: ${toml.status}, ${found.source}: ${code.status}`);
      setEntry(found);
      setPrebuilt({ label: found.name, fileName: `${found.name}.wasm`, bytes: new Uint8Array(await wasm.arrayBuffer()) });
      setManifest(await toml.text());
      const text = await code.text();
      shipped.current = text;
      setSource(text);
    })().catch((error: unknown) => setError({ title: `Could not fetch the example ${name}`, message: error instanceof Error ? error.message : String(error) }));
  }, [name, setError]);

  /** The module to run: the shipped build, or the edited source built now (`undefined` when the build failed, shown). */
  const moduleToRun = async (): Promise<ModuleSource | undefined> => {
    if (!entry || !prebuilt) return undefined;
    if (source === shipped.current) return prebuilt;
    setBuilding(true);
    try {
      const outcome = await buildSource(entry.language, source, entry.command ? "command" : "reactor");
      if (!outcome.ok) {
        const where = outcome.diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message}`).join("\n");
        setError({ title: `Could not build the edited ${entry.source.split("/").pop() ?? "source"}`, message: [outcome.error, where].filter(Boolean).join("\n") });
        return undefined;
      }
      return { label: entry.name, fileName: `${entry.name}.wasm`, bytes: outcome.wasm };
    } finally {
      setBuilding(false);
    }
  };

  const run = async () => {
    const module = await moduleToRun();
    if (!module) return;
    const environment = parseEnvironment(envText);
    const loaded = await session.load(module, { manifestSource: manifest, env: environment, files: defaultFiles() });
    if (!loaded) return;
    const hooks = matchingHooks(loaded.manifest.hooks, event);
    if (hooks.length === 0) {
      setError({ title: `No hook for ${event}`, message: `the manifest subscribes no handler to ${event}: add one, or change the event` });
      return;
    }
    await session.callHooks(hooks, event, samplePayload(event), environment, loaded);
  };

  const fileName = entry?.source.split("/").pop() ?? "source";
  return (
    <section className="space-y-3 rounded border border-sky-900 p-4" data-testid="live-example" aria-label={`Live example: ${name}`}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">
          Live example: <span className="font-mono normal-case text-zinc-200">{name}</span>
        </h2>
        <button
          type="button"
          disabled={!prebuilt || session.busy || building}
          onClick={run}
          data-testid="live-run"
          className="rounded bg-emerald-700 px-3 py-1 text-sm font-medium hover:bg-emerald-600 disabled:opacity-40"
        >
          {building ? "Building…" : `Run ${event}`}
        </button>
        <a href="/" className="text-xs text-sky-400 hover:underline">
          the full playground
        </a>
      </div>
      {entry ? <p className="text-xs text-zinc-500">{entry.description} Edit any of the three, then Run.</p> : null}
      <div className="grid gap-3 lg:grid-cols-2">
        <div className="space-y-1 text-xs text-zinc-400">
          <p>extension.toml</p>
          <div className={EDITOR_BOX}>
            <CodeEditor value={manifest} language="toml" label="extension.toml" testId="live-manifest" onChange={setManifest} onRun={() => void run()} />
          </div>
        </div>
        <label className="space-y-1 text-xs text-zinc-400">
          <span>Environment (KEY=VALUE per line)</span>
          <textarea
            value={envText}
            onChange={(e) => setEnvText(e.target.value)}
            spellCheck={false}
            data-testid="live-env"
            className="h-56 w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs"
          />
        </label>
      </div>
      {entry ? (
        <div className="space-y-1 text-xs text-zinc-400">
          <p>
            {fileName} <span className="text-zinc-600">({entry.language === "wat" ? "assembled in your browser" : "built on the server"} when edited)</span>
          </p>
          <div className="h-80 overflow-hidden rounded border border-zinc-800">
            <CodeEditor value={source} language={entry.language} label={fileName} testId="live-source" onChange={setSource} onRun={() => void run()} />
          </div>
        </div>
      ) : null}
      {session.error ? (
        <div role="alert" data-testid="error" className="rounded border border-red-800 bg-red-950/60 p-3 text-sm">
          <p className="font-semibold text-red-300">{session.error.title}</p>
          <p className="whitespace-pre-wrap font-mono text-xs text-red-200">{session.error.message}</p>
        </div>
      ) : null}
      <OutputPanel runs={session.runs} {...(session.live ? { live: session.live } : {})} />
      <AuditTable runs={session.runs} />
    </section>
  );
}
