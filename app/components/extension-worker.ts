/**
 * Starts the Worker that owns one extension instance and wraps it with comlink.
 * One Worker per loaded extension: `terminate` is how an instance ends.
 *
 * Starting a Worker costs the page about 50 ms before it can answer (the thread, then
 * fetching and evaluating the worker's bundle: ajv, the instrumenter, the WASI layer), more
 * than everything else a load of a cached module does. So the page keeps one spare Worker
 * started ahead ({@link prepareSpareWorker}): it holds no instance until a load takes it
 * ({@link takeExtensionWorker}), so "one instance per Worker" and "Stop terminates the
 * instance's Worker" hold as before; only the start-up is paid while nobody waits.
 */

import { wrap, type Remote } from "comlink";
import type { ExtensionWorkerApi } from "../../workers/extension.worker";

/** A running extension Worker. */
export interface ExtensionWorker {
  api: Remote<ExtensionWorkerApi>;
  /** Ends the Worker and the instance in it, at once (even mid-call). */
  terminate(): void;
  /**
   * Settles when `terminate` is called. A terminated Worker never answers, so comlink never
   * settles a pending call: race this against it.
   */
  ended: Promise<"ended">;
}

/** Starts a fresh Worker. Call only in the browser. */
export function startExtensionWorker(): ExtensionWorker {
  const worker = new Worker(new URL("../../workers/extension.worker.ts", import.meta.url), { type: "module", name: "extension" });
  let markEnded!: () => void;
  const ended = new Promise<"ended">((resolve) => (markEnded = () => resolve("ended")));
  return {
    api: wrap<ExtensionWorkerApi>(worker),
    terminate: () => {
      worker.terminate();
      markEnded();
    },
    ended,
  };
}

/**
 * The page's one spare: started, never loaded. Shared by every session on the page (the
 * guide has several), so a page holds at most one idle Worker.
 */
let spare: ExtensionWorker | undefined;

/** Starts the spare Worker when there is none. Call only in the browser; idempotent. */
export function prepareSpareWorker(): void {
  spare ??= startExtensionWorker();
}

/**
 * A Worker for one load: the spare when one is waiting (already started, or starting), else
 * a fresh one. The caller owns it (terminates it), and should call
 * {@link prepareSpareWorker} right away: the next spare then starts while this load runs,
 * so that a load soon after this one finds it started too.
 */
export function takeExtensionWorker(): ExtensionWorker {
  const taken = spare ?? startExtensionWorker();
  spare = undefined;
  return taken;
}
