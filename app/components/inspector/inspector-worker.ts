/**
 * The page's handle on the inspector's worker (`workers/inspector.worker.ts`): one shared
 * Worker, started on first use, reached through comlink.
 */

import { wrap, type Remote } from "comlink";
import type { InspectorWorkerApi } from "../../../workers/inspector.worker";

let worker: Remote<InspectorWorkerApi> | undefined;

/** The shared inspector worker. Call only in the browser. */
export function inspectorWorker(): Remote<InspectorWorkerApi> {
  worker ??= wrap<InspectorWorkerApi>(new Worker(new URL("../../../workers/inspector.worker.ts", import.meta.url), { type: "module", name: "inspector" }));
  return worker;
}
