"use client";

import { useEffect, useRef, useState } from "react";
import type { ModuleReport } from "../../../lib/inspect/inspect";
import type { OptimizeResponse } from "../../../lib/build/optimize";
import { sizeTips, type SizeFlagsMeasure, type SizeTip } from "../../../lib/inspect/size-tips";
import { buildSource } from "../build/build-client";
import type { Manifest } from "../../../lib/manifest/types";
import { inspectorWorker } from "./inspector-worker";
import { WatView } from "./WatView";

const TITLE = "text-xs font-semibold uppercase tracking-wide text-zinc-400";
const FATE_COLOURS: Record<string, string> = {
  "host function": "text-emerald-400",
  "playground host function": "text-sky-300",
  WASI: "text-zinc-300",
  "WASI, ENOSYS": "text-amber-300",
  refused: "text-red-400",
};
/** The editor's source of the loaded module, for the size-flags measure. */
export interface EditorSource {
  language: "rust" | "c";
  text: string;
  kind: "reactor" | "command";
}

/** Functions listed before "show all". */
const FUNCTIONS_SHOWN = 15;

/**
 * The module inspector: what the module imports (by namespace, with what the host does with
 * each) and exports (hooks marked), its memory against the manifest's cap, its sections and
 * functions by size, the size tips, and its WAT. `source` is the editor's Rust or C source,
 * when there is one: the size tips then offer to build it with the size flags as well.
 */
export function InspectorPanel({ bytes, name, manifest, source }: { bytes: Uint8Array; name: string; manifest: Manifest; source?: EditorSource }) {
  const [report, setReport] = useState<{ report: ModuleReport; tips: SizeTip[] } | { error: string } | undefined>();
  const [allFunctions, setAllFunctions] = useState(false);
  const [optimized, setOptimized] = useState<OptimizeResponse | "running" | undefined>();
  // A measure's answer is shown only if the module (and for the flags, the source) is still
  // the one it measured: each change counts one up, and a measure keeps the count it began with.
  const optimizeRound = useRef(0);
  useEffect(() => {
    optimizeRound.current++;
    setOptimized(undefined);
  }, [bytes]);
  const [sizeFlags, setSizeFlags] = useState<SizeFlagsMeasure | "running" | { error: string } | undefined>();
  const flagsRound = useRef(0);
  useEffect(() => {
    flagsRound.current++;
    setSizeFlags(undefined);
  }, [bytes, source?.text, source?.language, source?.kind]);

  /** Builds the editor's source with the release and the size flags (the release build is usually a cache hit). */
  const measureFlags = async (from: EditorSource) => {
    const round = flagsRound.current;
    setSizeFlags("running");
    const [release, size] = await Promise.all([buildSource(from.language, from.text, from.kind), buildSource(from.language, from.text, from.kind, "size")]);
    if (round !== flagsRound.current) return;
    if (!release.ok || !size.ok) {
      const failed = !release.ok ? release : size;
      setSizeFlags({ error: `the ${!release.ok ? "release" : "size"} build failed: ${"error" in failed ? failed.error : ""}` });
      return;
    }
    setSizeFlags({ language: from.language, releaseBytes: release.wasm.length, sizeBytes: size.wasm.length });
  };

  /** Asks the server what `wasm-opt -Oz` makes of these bytes (in the build sandbox). */
  const measure = async () => {
    const round = optimizeRound.current;
    const show = (answer: OptimizeResponse) => round === optimizeRound.current && setOptimized(answer);
    setOptimized("running");
    try {
      const response = await fetch("/api/optimize", { method: "POST", body: bytes.slice(), headers: { "content-type": "application/wasm" } });
      const body = (await response.json()) as OptimizeResponse | { error: string };
      show("ok" in body ? body : { ok: false, error: `HTTP ${response.status}: ${body.error}` });
    } catch (error) {
      show({ ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  };

  useEffect(() => {
    let current = true;
    setReport(undefined);
    inspectorWorker()
      .inspect(bytes.slice(), manifest)
      .then((response) => current && setReport(response.ok ? { report: response.report, tips: response.tips } : { error: response.error }))
      .catch((error: unknown) => current && setReport({ error: error instanceof Error ? error.message : String(error) }));
    return () => {
      current = false;
    };
  }, [bytes, manifest]);

  if (!report) return <p className="text-xs text-zinc-500">Reading {name}…</p>;
  if ("error" in report) {
    return (
      <p role="alert" className="text-xs text-red-400">
        The inspector cannot read {name}: {report.error}
      </p>
    );
  }
  const { report: r } = report;
  const optimizedBytes = typeof optimized === "object" && optimized.ok ? optimized.optimizedBytes : undefined;
  const flags = typeof sizeFlags === "object" && !("error" in sizeFlags) ? sizeFlags : undefined;
  const tips: SizeTip[] = optimizedBytes === undefined && flags === undefined ? report.tips : sizeTips(r.structure, optimizedBytes, flags);
  const functions = allFunctions ? r.functionsBySize : r.functionsBySize.slice(0, FUNCTIONS_SHOWN);
  return (
    <div className="space-y-4 text-xs" data-testid="inspector">
      <section className="space-y-2">
        <h3 className={TITLE}>Imports</h3>
        {r.importGroups.length === 0 ? <p className="text-zinc-500">none</p> : null}
        {r.importGroups.map((group) => (
          <div key={group.namespace} data-testid="import-group" data-namespace={group.namespace}>
            <p className="font-mono">
              <span className="text-zinc-200">{group.namespace}</span> <span className="text-zinc-500">· {group.role}</span>
            </p>
            <table className="w-full font-mono">
              <tbody>
                {group.imports.map((i) => (
                  <tr key={`${i.module}.${i.name}`} data-testid="inspector-import" data-name={i.name} data-fate={i.fate} className="border-t border-zinc-900" title={i.note}>
                    <td className="py-0.5 pr-2">{i.name}</td>
                    <td className="pr-2 text-zinc-400">{i.kind === "function" ? i.signature : `${i.kind} ${i.signature}`}</td>
                    <td className={FATE_COLOURS[i.fate] ?? ""}>{i.fate}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>

      <section className="space-y-1">
        <h3 className={TITLE}>Exports</h3>
        <table className="w-full font-mono">
          <tbody>
            {r.exports.map((e) => (
              <tr key={e.name} data-testid="inspector-export" data-name={e.name} data-kind={e.kind} data-role={e.role} className="border-t border-zinc-900">
                <td className="py-0.5 pr-2">{e.name}</td>
                <td className="pr-2 text-zinc-400">{e.kind === "function" ? e.signature : e.kind}</td>
                <td className={e.role === "hook" ? "text-sky-300" : "text-zinc-500"}>
                  {e.role === "hook" ? `hook: ${e.events.join(", ")}` : e.role === "other" ? "" : e.role}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {r.missingHandlers.map((h) => (
          <p key={`${h.event}:${h.handler}`} className="text-red-400" data-testid="missing-handler">
            missing handler: the manifest maps {h.event} to {h.handler}, which the module does not export as a function
          </p>
        ))}
      </section>

      <section className="space-y-1">
        <h3 className={TITLE}>Memory</h3>
        <p data-testid="inspector-memory" className={r.memory.refused ? "text-red-400" : "text-zinc-300"}>
          {r.memory.source === "none" ? "" : `${r.memory.source}, `}
          {r.memory.verdict}
          {r.memory.source !== "none" && !r.memory.exported ? "; not exported as memory, so host functions cannot reach it" : ""}
        </p>
      </section>

      <section className="space-y-1">
        <h3 className={TITLE}>Size: {r.byteLength.toLocaleString("en")} bytes</h3>
        <table className="w-full font-mono" data-testid="inspector-sections">
          <tbody>
            {r.sections.map((s, i) => (
              <tr key={i} className="border-t border-zinc-900">
                <td className="py-0.5 pr-2">{s.label}</td>
                <td className="pr-2 text-right">{s.bytes.toLocaleString("en")}</td>
                <td className="w-1/2">
                  <div className="h-2 bg-sky-800" style={{ width: `${(100 * s.bytes) / r.byteLength}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="pt-2 text-zinc-400">
          Largest functions {r.structure.functionNames.size === 0 ? "(no name section: names from exports, else func[N])" : "(names from the name section)"}
        </p>
        <table className="w-full font-mono" data-testid="inspector-functions">
          <tbody>
            {functions.map((f) => (
              <tr key={f.index} className="border-t border-zinc-900" data-testid="inspector-function">
                <td className="py-0.5 pr-2 break-all">{f.label}</td>
                <td className="pr-2 text-zinc-500">{f.type ? `${f.type.params.length}→${f.type.results.length}` : ""}</td>
                <td className="text-right">{f.bodyBytes.toLocaleString("en")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {r.functionsBySize.length > FUNCTIONS_SHOWN ? (
          <button type="button" className="text-sky-400 hover:underline" onClick={() => setAllFunctions((a) => !a)}>
            {allFunctions ? "show fewer" : `show all ${r.functionsBySize.length}`}
          </button>
        ) : null}
      </section>

      <section className="space-y-1">
        <h3 className={TITLE}>Binary size tips for this module</h3>
        <ul className="space-y-0.5" data-testid="size-tips">
          {tips.map((t) => (
            <li key={t.tip}>
              <span className="font-mono">{t.tip}</span>:{" "}
              {t.savesBytes > 0 ? (
                <span className="text-emerald-400">saves {t.savesBytes.toLocaleString("en")} bytes</span>
              ) : t.savesBytes < 0 ? (
                <span className="text-amber-300">adds {(-t.savesBytes).toLocaleString("en")} bytes</span>
              ) : (
                <span className="text-zinc-500">nothing left to save</span>
              )}{" "}
              <span className="text-zinc-500">({t.why})</span>
            </li>
          ))}
        </ul>
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            data-testid="measure-wasm-opt"
            disabled={optimized === "running"}
            onClick={() => void measure()}
            className="rounded border border-zinc-700 px-2 py-0.5 hover:border-zinc-500 disabled:opacity-40"
          >
            {optimized === "running" ? "Running wasm-opt -Oz…" : "Measure wasm-opt -Oz"}
          </button>
          {typeof optimized === "object" && optimized.ok ? (
            <span data-testid="wasm-opt-result" className="text-zinc-400">
              {optimized.command} on the server: {optimized.inputBytes.toLocaleString("en")} → {optimized.optimizedBytes.toLocaleString("en")} bytes in {optimized.ms} ms
            </span>
          ) : null}
          {typeof optimized === "object" && !optimized.ok ? (
            <span role="alert" data-testid="wasm-opt-error" className="text-red-400">
              {optimized.error}
            </span>
          ) : null}
        </div>
        {source ? (
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              data-testid="measure-size-flags"
              disabled={sizeFlags === "running"}
              onClick={() => void measureFlags(source)}
              title="Builds the editor's source on the server twice: with the release flags and with the size flags"
              className="rounded border border-zinc-700 px-2 py-0.5 hover:border-zinc-500 disabled:opacity-40"
            >
              {sizeFlags === "running" ? "Building with both flag sets…" : "Measure the size flags"}
            </button>
            {flags ? (
              <span data-testid="size-flags-result" className="text-zinc-400">
                the editor&apos;s source: {flags.releaseBytes.toLocaleString("en")} bytes (release) → {flags.sizeBytes.toLocaleString("en")} bytes (size flags)
              </span>
            ) : null}
            {typeof sizeFlags === "object" && "error" in sizeFlags ? (
              <span role="alert" data-testid="size-flags-error" className="text-red-400">
                {sizeFlags.error}
              </span>
            ) : null}
          </div>
        ) : null}
      </section>

      {r.customSections.length > 0 ? (
        <section className="space-y-1">
          <h3 className={TITLE}>Custom sections</h3>
          <p className="font-mono" data-testid="custom-sections">
            {r.customSections.map((s) => `${s.name} (${s.bytes.toLocaleString("en")} bytes)`).join(", ")}
          </p>
        </section>
      ) : null}

      <section className="space-y-1">
        <h3 className={TITLE}>WAT</h3>
        <WatView bytes={bytes} name={name} />
      </section>
    </div>
  );
}
