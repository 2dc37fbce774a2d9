"use client";

import { useEffect, useState } from "react";
import { matchingHooks } from "../../../lib/manifest/dispatch";
import { samplePayload } from "../../../lib/manifest/payloads";
import { AuditTable } from "../AuditTable";
import { parseEnvironment } from "../environment";
import { defaultFiles } from "../files";
import type { ExampleEntry } from "../ModuleInput";
import { OutputPanel } from "../OutputPanel";
import { useExtensionSession, type ModuleSource } from "../use-extension-session";

/** What a guide page embeds (its front matter's `[example]`). */
export interface LiveExampleProps {
  /** The example's name in `/extensions/index.json`. */
  name: string;
  /** The event delivered on Run (its hooks are called with its sample payload). */
  event: string;
  /** Environment lines the example starts with. */
  env: string;
}

const EDITOR = "w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs";

/**
 * A guide page's live example: the example's manifest and environment, editable, and a
 * Run button that loads it in a fresh Worker (the playground's own runner) and delivers the
 * page's event; its output and audit trail appear below.
 */
export function LiveExample({ name, event, env }: LiveExampleProps) {
  const [entry, setEntry] = useState<ExampleEntry | undefined>();
  const [module, setModule] = useState<ModuleSource | undefined>();
  const [manifest, setManifest] = useState("");
  const [source, setSource] = useState("");
  const [envText, setEnvText] = useState(env);
  const session = useExtensionSession(() => {});
  const { setError } = session;

  useEffect(() => {
    (async () => {
      const index = (await (await fetch("/extensions/index.json")).json()) as ExampleEntry[];
      const found = index.find((e) => e.name === name);
      if (!found) throw new Error(`example "${name}" is not in /extensions/index.json`);
      const [wasm, toml, code] = await Promise.all([fetch(found.wasm), fetch(found.manifest), found.source ? fetch(found.source) : undefined]);
      if (!wasm.ok || !toml.ok) throw new Error(`${found.wasm}: ${wasm.status}, ${found.manifest}: ${toml.status}`);
      setEntry(found);
      setModule({ label: found.name, fileName: `${found.name}.wasm`, bytes: new Uint8Array(await wasm.arrayBuffer()) });
      setManifest(await toml.text());
      if (code?.ok) setSource(await code.text());
    })().catch((error: unknown) => setError({ title: `Could not fetch the example ${name}`, message: error instanceof Error ? error.message : String(error) }));
  }, [name, setError]);

  const run = async () => {
    if (!module) return;
    const loaded = await session.load(module, { manifestSource: manifest, env: parseEnvironment(envText), files: defaultFiles() });
    if (!loaded) return;
    const hooks = matchingHooks(loaded.manifest.hooks, event);
    if (hooks.length === 0) {
      setError({ title: `No hook for ${event}`, message: `the manifest subscribes no handler to ${event}: add one, or change the event` });
      return;
    }
    await session.callHooks(hooks, event, samplePayload(event), loaded);
  };

  return (
    <section className="space-y-3 rounded border border-sky-900 p-4" data-testid="live-example" aria-label={`Live example: ${name}`}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">
          Live example: <span className="font-mono normal-case text-zinc-200">{name}</span>
        </h2>
        <button
          type="button"
          disabled={!module || session.busy}
          onClick={run}
          data-testid="live-run"
          className="rounded bg-emerald-700 px-3 py-1 text-sm font-medium hover:bg-emerald-600 disabled:opacity-40"
        >
          Run {event}
        </button>
        <a href="/" className="text-xs text-sky-400 hover:underline">
          the full playground
        </a>
      </div>
      {entry ? <p className="text-xs text-zinc-500">{entry.description}</p> : null}
      <div className="grid gap-3 lg:grid-cols-2">
        <label className="space-y-1 text-xs text-zinc-400">
          <span>extension.toml (edit, then Run)</span>
          <textarea value={manifest} onChange={(e) => setManifest(e.target.value)} spellCheck={false} data-testid="live-manifest" className={`h-56 ${EDITOR}`} />
        </label>
        <label className="space-y-1 text-xs text-zinc-400">
          <span>Environment (KEY=VALUE per line)</span>
          <textarea value={envText} onChange={(e) => setEnvText(e.target.value)} spellCheck={false} data-testid="live-env" className={`h-56 ${EDITOR}`} />
        </label>
      </div>
      {source ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-zinc-400">Source ({entry?.source})</summary>
          <pre className="max-h-80 overflow-auto rounded bg-zinc-900 p-2 font-mono">{source}</pre>
        </details>
      ) : null}
      {session.error ? (
        <div role="alert" data-testid="error" className="rounded border border-red-800 bg-red-950/60 p-3 text-sm">
          <p className="font-semibold text-red-300">{session.error.title}</p>
          <p className="whitespace-pre-wrap font-mono text-xs text-red-200">{session.error.message}</p>
        </div>
      ) : null}
      <OutputPanel entries={session.output} live={session.live} onClear={session.clearOutput} />
      <AuditTable entries={session.audit} />
    </section>
  );
}
