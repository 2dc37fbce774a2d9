/**
 * Starts the Worker that owns one extension instance and wraps it with comlink.
 * One Worker per loaded extension: `terminate` is how an instance ends.
 */

import { wrap, type Remote } from "comlink";
import type { ExtensionWorkerApi } from "../../workers/extension.worker";

/** A running extension Worker. */
export interface ExtensionWorker {
  api: Remote<ExtensionWorkerApi>;
  /** Ends the Worker and the instance in it, at once (even mid-call). */
  terminate(): void;
}

/** Starts a fresh Worker. Call only in the browser. */
export function startExtensionWorker(): ExtensionWorker {
  const worker = new Worker(new URL("../../workers/extension.worker.ts", import.meta.url), { type: "module", name: "extension" });
  return { api: wrap<ExtensionWorkerApi>(worker), terminate: () => worker.terminate() };
}
