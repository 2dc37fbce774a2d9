"use client";

import { proxy } from "comlink";
import { useCallback, useEffect, useRef, useState } from "react";
import type { AuditEntry } from "../../lib/audit/trail";
import { LruCache } from "../../lib/cache/lru";
import type { CompiledModule } from "../../lib/cache/module-cache";
import { sha256Hex } from "../../lib/cache/sha256";
import type { TransportKind } from "../../lib/commands/transport";
import type { CallResult, LoadedExtension, LoadRequest } from "../../lib/instance";
import { parseManifest } from "../../lib/manifest/parse";
import { defaultLimits, type Hook } from "../../lib/manifest/types";
import { describeOverrun, isOverrun, watchWallTime, type Overrun } from "../../lib/sandbox/wall-time";
import type { CallResponse, LoadResponse } from "../../workers/extension.worker";
import { startExtensionWorker, type ExtensionWorker } from "./extension-worker";
import type { LiveOutput, OutputEntry } from "./OutputPanel";

/** The module the page holds, before or after loading. */
export interface ModuleSource {
  /** Example name or uploaded file name. */
  label: string;
  fileName: string;
  bytes: Uint8Array;
}

/** An error shown above the output, naming what failed and why. */
export interface PageError {
  title: string;
  message: string;
}

/** What a load needs besides the module: manifest text and the run's inputs. */
export type LoadInputs = Pick<LoadRequest, "manifestSource" | "env" | "files" | "stdin">;

/** Audit rows kept on the page; older ones are counted, not shown. */
const AUDIT_ROWS_KEPT = 5_000;

/**
 * The memory layer of the module cache (lib/cache/module-cache.ts): compiled modules the
 * workers sent back, by SHA-256. The page only holds them; workers compile.
 */
const compiledModules = new LruCache<string, CompiledModule>(16);

/**
 * One extension session: a Worker per loaded instance, hook calls on it, the output and
 * audit they produce, and the wall-time limit (a call that overruns ends the Worker).
 */
export function useExtensionSession(onFiles: (result: CallResult, extension: LoadedExtension) => void) {
  const [loaded, setLoaded] = useState<LoadedExtension | undefined>();
  const [error, setError] = useState<PageError | undefined>();
  const [busy, setBusy] = useState(false);
  const [output, setOutput] = useState<OutputEntry[]>([]);
  const [live, setLive] = useState<LiveOutput | undefined>();
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const worker = useRef<ExtensionWorker | undefined>(undefined);
  const nextId = useRef(0);
  /** Counts loads: each loaded instance gets a fresh id, so a test (or a view) can tell one from the next. */
  const [instanceId, setInstanceId] = useState(0);

  useEffect(() => () => worker.current?.terminate(), []);

  const note = useCallback((text: string) => setOutput((o) => [...o, { kind: "note", id: nextId.current++, text }]), []);

  const record = useCallback(
    (result: CallResult, extension: LoadedExtension, event?: string) => {
      setOutput((o) => [...o, { kind: "call", id: nextId.current++, event, result }]);
      setAudit((a) => [...a, ...result.audit].slice(-AUDIT_ROWS_KEPT));
      onFiles(result, extension);
    },
    [onFiles],
  );

  const end = useCallback(() => {
    worker.current?.terminate();
    worker.current = undefined;
    setLoaded(undefined);
    setLive(undefined);
  }, []);

  /** Ends the instance because `what` overran its wall time (or the host's bound); the page is ready for the next load at once. */
  const timedOut = useCallback(
    (what: string, overrun: Overrun) => {
      end();
      const { title, message, note: line } = describeOverrun(what, overrun);
      setError({ title, message });
      note(line);
    },
    [end, note],
  );

  /** Loads `source` into a fresh Worker; resolves to the loaded extension, or `undefined` on failure (shown). */
  const load = useCallback(
    async (source: ModuleSource, inputs: LoadInputs): Promise<LoadedExtension | undefined> => {
      end();
      const current = startExtensionWorker();
      worker.current = current;
      setError(undefined);
      setBusy(true);
      const limit = wallTimeOf(inputs.manifestSource);
      try {
        const compiled = compiledModules.get(await sha256Hex(source.bytes));
        const request: LoadRequest = {
          ...inputs,
          bytes: source.bytes.slice(),
          fileName: source.fileName,
          ...(compiled ? { compiled } : {}),
          ...forcedTransport(),
        };
        const response = await watchWallTime<LoadResponse, "ended">(limit, (onGuest) => current.api.load(request, proxy(onGuest)), { until: current.ended });
        // Ended meanwhile (Reset, another load): this load is no longer the page's business.
        if (response === "ended" || worker.current !== current) return undefined;
        if (isOverrun(response)) {
          timedOut(`loading ${source.label}`, response);
          return undefined;
        }
        if (!response.ok) {
          setError({ title: `Could not load ${source.label} (${response.error.stage})`, message: response.error.message });
          end();
          return undefined;
        }
        compiledModules.set(response.compiled.sha256, response.compiled);
        setLoaded(response.extension);
        setInstanceId((id) => id + 1);
        note(`loaded ${source.label} in a new worker`);
        if (response.extension.initialization) record(response.extension.initialization, response.extension);
        return response.extension;
      } finally {
        setBusy(false);
      }
    },
    [end, note, record, timedOut],
  );

  /**
   * Calls `hooks` one after another with `payload`, each under the wall-time limit, with
   * stdout/stderr streamed while it runs. A timeout ends the instance and skips the rest.
   */
  const callHooks = useCallback(
    async (hooks: Pick<Hook, "handler">[], event: string | undefined, payload: string | undefined, extension = loaded) => {
      const current = worker.current;
      if (!current || !extension) return;
      const limit = extension.manifest.limits.maxWallTimeSecs;
      setBusy(true);
      setError(undefined);
      try {
        for (const { handler } of hooks) {
          setLive({ handler, lines: [] });
          const stream = proxy((name: "stdout" | "stderr", lines: string[]) =>
            setLive((l) => (l ? { ...l, lines: [...l.lines, ...lines.map((text) => ({ stream: name, text }))] } : l)),
          );
          const response = await watchWallTime<CallResponse, "ended">(limit, (onGuest) => current.api.call(handler, payload, stream, proxy(onGuest)), {
            until: current.ended,
          });
          // Ended meanwhile (Reset, another load): nothing of this call belongs on the page now.
          if (response === "ended" || worker.current !== current) return;
          setLive(undefined);
          if (isOverrun(response)) {
            timedOut(`hook ${handler}${event ? ` (${event})` : ""}`, response);
            return;
          }
          if (!response.ok) {
            setError({ title: `Could not call ${handler}`, message: response.error });
            return;
          }
          record(response.result, extension, event);
        }
      } finally {
        setBusy(false);
      }
    },
    [loaded, record, timedOut],
  );

  /** A WASI command is run like a program: a fresh instance, then `_start`. */
  const run = useCallback(
    async (source: ModuleSource, inputs: LoadInputs) => {
      const extension = await load(source, inputs);
      if (extension?.command) await callHooks([{ handler: "_start" }], undefined, undefined, extension);
    },
    [callHooks, load],
  );

  const reset = useCallback(() => {
    end();
    note("instance ended (worker terminated)");
  }, [end, note]);

  return {
    loaded,
    instanceId,
    error,
    setError,
    busy,
    output,
    live,
    audit,
    load,
    callHooks,
    run,
    reset,
    clearOutput: () => setOutput([]),
  };
}

/** The wall-time limit a manifest sets, or the default when it does not parse (load reports why). */
function wallTimeOf(manifest: string): number {
  try {
    return parseManifest(manifest).limits.maxWallTimeSecs;
  } catch {
    return defaultLimits().maxWallTimeSecs;
  }
}

/** `?transport=atomics|sync-xhr|jspi` forces how ft_command reaches the route (to compare them). */
function forcedTransport(): { commandTransport?: TransportKind } {
  const value = new URLSearchParams(window.location.search).get("transport");
  return value === "jspi" || value === "atomics" || value === "sync-xhr" ? { commandTransport: value } : {};
}
