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
