"use client";

import { proxy } from "comlink";
import { useCallback, useEffect, useRef, useState } from "react";
import { LruCache } from "../../lib/cache/lru";
import type { CompiledModule } from "../../lib/cache/module-cache";
import { sameBytes } from "../../lib/cache/same-bytes";
import type { TransportKind } from "../../lib/commands/transport";
import type { CallResult, LoadedExtension, LoadRequest } from "../../lib/instance";
import { parseManifest } from "../../lib/manifest/parse";
import { defaultLimits, type Hook } from "../../lib/manifest/types";
import { describeOverrun, isOverrun, watchWallTime, type Overrun } from "../../lib/sandbox/wall-time";
import type { CallResponse, LoadResponse } from "../../workers/extension.worker";
import { prepareSpareWorkers, SPARE_WORKERS, takeExtensionWorker, retainSpareWorkers, type ExtensionWorker } from "./extension-worker";
import { addToCurrent, nameCurrent, startRun, type LiveOutput, type Run } from "./output/runs";

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
export type LoadInputs = Pick<LoadRequest, "manifestSource" | "env" | "files" | "stdin" | "args" | "record" | "profile">;

/**
 * The memory layer of the module cache (lib/cache/module-cache.ts): compiled modules the
 * workers sent back, by SHA-256. The page only holds them; workers compile.
 */
const compiledModules = new LruCache<string, CompiledModule>(16);

/**
 * The memory cache's entry for `bytes`, found by comparing bytes (the entries are few and a
 * length differs at once): hashing them with Web Crypto on every load took ~8 ms even for a
 * 3 KB module, longer than the rest of the page's part of a warm load.
 */
function cachedFor(bytes: Uint8Array): CompiledModule | undefined {
  const entry = compiledModules.find((compiled) => sameBytes(compiled.original, bytes));
  return entry ? compiledModules.get(entry.sha256) : undefined;
}

/**
 * How long a load may take before the page shows it as loading: the previous instance's
 * panels cleared, Load disabled, the new run's heading. A load of a cached module answers in
 * a few ms; showing the loading state for it would render every panel twice (cleared, then
 * filled) and put the answer's render behind the first, on the thread the answer needs. A
 * longer load shows its state from this moment on (the "paint holding" of browsers' page
 * loads, the pending state of React's transitions). The previous instance's Worker ends at
 * the click either way, and its hooks cannot be called meanwhile.
 */
export const LOADING_SHOWN_AFTER_MS = 100;

/**
 * One extension session: a Worker per loaded instance, hook calls on it, the output and
 * audit they produce, and the wall-time limit (a call that overruns ends the Worker).
 */
export function useExtensionSession(onFiles: (result: CallResult, extension: LoadedExtension) => void) {
  const [loaded, setLoaded] = useState<LoadedExtension | undefined>();
  const [error, setError] = useState<PageError | undefined>();
  const [busy, setBusy] = useState(false);
  const [runs, setRuns] = useState<Run[]>([]);
  const [live, setLive] = useState<LiveOutput | undefined>();
  const worker = useRef<ExtensionWorker | undefined>(undefined);
  /** What is running now (a load or a hook), for Stop. */
  const running = useRef<{ what: string; startedAt: number } | undefined>(undefined);
  const nextId = useRef(0);
  /** The stdin the current instance holds (given at load or with a later call). */
  const stdinSent = useRef<Uint8Array>(new Uint8Array(0));
  /** Counts loads: each loaded instance gets a fresh id, so a test (or a view) can tell one from the next. */
  const [instanceId, setInstanceId] = useState(0);

  /** Counts ended loads: each asks for the spare Workers again (extension-worker.ts). */
  const [refills, setRefills] = useState(0);
  // After the commit that shows a load's results: a Worker started before it (its thread,
  // its chunks, its warm-up) would take the CPU the render needs, on 2 cores.
  useEffect(() => {
    if (refills > 0) prepareSpareWorkers(SPARE_WORKERS);
  }, [refills]);

  useEffect(() => {
    // The first load finds a Worker already started (extension-worker.ts).
    const release = retainSpareWorkers();
    return () => {
      worker.current?.terminate();
      release();
    };
  }, []);

  const note = useCallback((text: string) => setRuns((r) => addToCurrent(r, { kind: "note", id: nextId.current++, text })), []);

  const record = useCallback(
    (result: CallResult, extension: LoadedExtension, event?: string) => {
      setRuns((r) => addToCurrent(r, { kind: "call", id: nextId.current++, event, result }, result.audit));
      onFiles(result, extension);
    },
    [onFiles],
  );

  /** Terminates the current Worker (the instance ends at once), leaving the page's state as it is. */
  const endWorker = useCallback(() => {
    worker.current?.terminate();
    worker.current = undefined;
    running.current = undefined;
  }, []);

  const end = useCallback(() => {
    endWorker();
    setLoaded(undefined);
    setLive(undefined);
  }, [endWorker]);

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

  /** Stop: ends what is running by terminating its worker, as a wall-time overrun does. */
  const stop = useCallback(() => {
    const now = running.current;
    if (!now) return;
    end();
    const after = ((performance.now() - now.startedAt) / 1000).toFixed(1);
    setError({ title: `${now.what} stopped`, message: `Stop pressed: ${now.what} ${stoppedAfter(after)}` });
    note(`${now.what} stopped after ${after} s (Stop)`);
  }, [end, note]);

  /** Loads `source` into a fresh Worker; resolves to the loaded extension, or `undefined` on failure (shown). */
  const load = useCallback(
    async (source: ModuleSource, inputs: LoadInputs): Promise<LoadedExtension | undefined> => {
      const current = takeExtensionWorker();
      const limit = wallTimeOf(inputs.manifestSource);
      const compiled = cachedFor(source.bytes);
      const request: LoadRequest = {
        ...inputs,
        bytes: source.bytes.slice(),
        fileName: source.fileName,
        ...(compiled ? { compiled } : {}),
        ...forcedTransport(),
      };
      // Sent before the rest of this click's work on this thread (ending the previous
      // instance, state updates), so that the Worker starts at once.
      const answer = watchWallTime<LoadResponse, "ended">(limit, (onGuest) => current.api.load(request, proxy(onGuest)), { until: current.ended });
      // Only now the previous instance ends: terminating a Worker takes this thread a few ms.
      endWorker();
      worker.current = current;
      const loading = { what: `loading ${source.label}`, startedAt: performance.now() };
      running.current = loading;
      stdinSent.current = inputs.stdin ?? new Uint8Array(0);
      const runId = nextId.current++;
      let shown = false;
      /** The loading state: the previous instance's panels cleared, Load disabled, the new run's heading. */
      const showLoading = () => {
        if (shown) return;
        shown = true;
        setLoaded(undefined);
        setLive(undefined);
        setError(undefined);
        setBusy(true);
        setRuns((r) => startRun(r, runId, source.label));
      };
      const hold = setTimeout(() => worker.current === current && showLoading(), LOADING_SHOWN_AFTER_MS);
      try {
        const response = await answer;
        // Ended meanwhile (Reset, another load): this load is no longer the page's business.
        if (response === "ended" || worker.current !== current) return undefined;
        // In the same render as the answer's state, for a load that answered within the hold.
        showLoading();
        if (isOverrun(response)) {
          timedOut(`loading ${source.label}`, response);
          return undefined;
        }
        if (!response.ok) {
          setError({ title: `Could not load ${source.label} (${response.error.stage})`, message: response.error.message });
          end();
          return undefined;
        }
        running.current = undefined;
        // A profiled module carries counters: it is never handed to a later load.
        if (response.compiled) compiledModules.set(response.compiled.sha256, response.compiled);
        setLoaded(response.extension);
        setInstanceId((id) => id + 1);
        setRuns((r) => nameCurrent(r, response.extension.manifest.extension.name));
        note(`loaded ${source.label} in a new worker`);
        if (response.extension.initialization) record(response.extension.initialization, response.extension);
        return response.extension;
      } finally {
        clearTimeout(hold);
        // Thrown (the Worker's answer could not be read): the page is ready for another load.
        if (running.current === loading) {
          running.current = undefined;
          showLoading();
        }
        setBusy(false);
        // The spares for the next loads, once this load's results are on the page (the effect
        // below). Not for a load another one replaced: that one refills when it ends.
        if (worker.current === current || worker.current === undefined) setRefills((n) => n + 1);
      }
    },
    [end, endWorker, note, record, timedOut],
  );

  /**
   * Calls `hooks` one after another with `payload`, each under the wall-time limit, with
   * stdout/stderr streamed while it runs. A timeout ends the instance and skips the rest.
   * @param inputs the environment now (`ft_get_env` sees it from these calls on, without a
   *   reload) and stdin, sent to the instance when it differs from what the instance has.
   */
  const callHooks = useCallback(
    async (
      hooks: Pick<Hook, "handler">[],
      event: string | undefined,
      payload: string | undefined,
      inputs: { env?: Record<string, string>; stdin?: Uint8Array } = {},
      extension = loaded,
    ) => {
      const current = worker.current;
      // While a load or a hook runs, the page may still show the previous instance (the load's
      // hold, LOADING_SHOWN_AFTER_MS): its hooks are not the running Worker's to call.
      if (!current || !extension || running.current) return;
      const limit = extension.manifest.limits.maxWallTimeSecs;
      // Stdin is sent only when it changed: an unchanged stdin is not read again from the start.
      const callInputs = (given: typeof inputs) => {
        const changed = given.stdin !== undefined && !sameBytes(given.stdin, stdinSent.current);
        if (changed && given.stdin) stdinSent.current = given.stdin;
        return { ...(given.env ? { env: given.env } : {}), ...(changed && given.stdin ? { stdin: given.stdin } : {}) };
      };
      setBusy(true);
      setError(undefined);
      try {
        for (const { handler } of hooks) {
          const startedAt = performance.now();
          const what = `hook ${handler}${event ? ` (${event})` : ""}`;
          running.current = { what, startedAt };
          setLive({ handler, extension: extension.manifest.extension.name, startedAt, lines: [] });
          const stream = proxy((name: "stdout" | "stderr", lines: string[]) =>
            setLive((l) => (l ? { ...l, lines: [...l.lines, ...lines.map((text) => ({ stream: name, text }))] } : l)),
          );
          const response = await watchWallTime<CallResponse, "ended">(limit, (onGuest) => current.api.call(handler, payload, stream, proxy(onGuest), callInputs(inputs)), {
            until: current.ended,
          });
          // Ended meanwhile (Reset, another load): nothing of this call belongs on the page now.
          if (response === "ended" || worker.current !== current) return;
          running.current = undefined;
          setLive(undefined);
          if (isOverrun(response)) {
            timedOut(what, response);
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
      if (extension?.command) await callHooks([{ handler: "_start" }], undefined, undefined, undefined, extension);
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
    /** Output and audit per instance, the current one first. */
    runs,
    live,
    load,
    callHooks,
    run,
    reset,
    stop,
    /** Clears the output and the audit of every run. */
    clear: () => setRuns([]),
  };
}

/** The end of the message of a call stopped by terminating its worker (wall time or Stop). */
function stoppedAfter(seconds: string): string {
  return `was stopped after ${seconds} s by terminating its worker. The instance has ended: load again to continue.`;
}

/** The last manifest {@link wallTimeOf} parsed and its limit: a load again parses the same text. */
let lastWallTime: { manifest: string; seconds: number } | undefined;

/**
 * The wall-time limit a manifest sets, or the default when it does not parse (load reports
 * why). Parsing is on the click's path before the Worker is told (~1 to 3 ms for a small
 * manifest while the parser is not yet optimized), so the last answer is kept.
 */
function wallTimeOf(manifest: string): number {
  if (lastWallTime?.manifest === manifest) return lastWallTime.seconds;
  let seconds: number;
  try {
    seconds = parseManifest(manifest).limits.maxWallTimeSecs;
  } catch {
    seconds = defaultLimits().maxWallTimeSecs;
  }
  lastWallTime = { manifest, seconds };
  return seconds;
}

/** `?transport=atomics|sync-xhr|jspi` forces how ft_command reaches the route (to compare them). */
function forcedTransport(): { commandTransport?: TransportKind } {
  const value = new URLSearchParams(window.location.search).get("transport");
  return value === "jspi" || value === "atomics" || value === "sync-xhr" ? { commandTransport: value } : {};
}
