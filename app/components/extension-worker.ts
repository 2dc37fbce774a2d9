/**
 * Starts the Worker that owns one extension instance and wraps it with comlink.
 * One Worker per loaded extension: `terminate` is how an instance ends.
 *
 * A Worker takes 50 to 100 ms (2 busy cores) before it can answer: the thread, then fetching
 * and evaluating the worker's chunks (the instrumenter, the WASI layer, comlink), more than
 * everything else a load of a cached module does. So the page keeps spare Workers started
 * ahead ({@link prepareSpareWorkers}): a spare holds no instance until a load takes it
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
 * Spare Workers the page keeps started, at most. One covers a load that comes a while after
 * the last; the second covers a load right after the previous one (Load pressed again,
 * Ctrl+Enter again, a test), which would otherwise wait for the rest of the one spare's
 * start-up: a Worker takes longer to start (50 to 100 ms on 2 busy cores) than a warm load
 * takes with a started one.
 */
export const SPARE_WORKERS = 2;

/**
 * The page's spares, oldest (most likely ready) first: started, never loaded. Shared by every
 * session on the page (the guide has several), so a page holds at most {@link SPARE_WORKERS}
 * idle Workers.
 */
const spares: ExtensionWorker[] = [];

/** Sessions mounted on the page; the spares are theirs, and end with the last of them. */
let sessions = 0;

/**
 * Starts spare Workers until `count` (at most {@link SPARE_WORKERS}) wait, while a session
 * is mounted ({@link retainSpareWorkers}). Call only in the browser; idempotent.
 */
export function prepareSpareWorkers(count: number): void {
  while (sessions > 0 && spares.length < Math.min(count, SPARE_WORKERS)) spares.push(startExtensionWorker());
}

/**
 * Registers a mounted session (the workbench, each live example of the guide) and starts
 * one spare for its first load. Returns the unregistering function: when the last session
 * goes (a client-side navigation away), the idle spares are terminated, not left running
 * for the rest of the tab.
 */
export function retainSpareWorkers(): () => void {
  sessions++;
  prepareSpareWorkers(1);
  return () => {
    if (--sessions > 0) return;
    for (const spare of spares.splice(0)) spare.terminate();
  };
}

/**
 * A Worker for one load: the oldest spare when one is waiting (already started, or
 * starting), else a fresh one. The caller owns it (terminates it). Starts no replacement:
 * on 2 cores a Worker starting beside the load (its thread, fetching and evaluating its
 * chunks, its warm-up) takes the CPU the load needs; the session starts the spares again
 * once the load's results are on the page ({@link prepareSpareWorkers}).
 */
export function takeExtensionWorker(): ExtensionWorker {
  return spares.shift() ?? startExtensionWorker();
}
