/**
 * The `worker_threads` Worker that owns one extension instance in the CLI: the
 * counterpart of workers/extension.worker.ts, running the same {@link ExtensionInstance}
 * with the Node platform (node-platform.ts). Ending an instance is terminating this Worker.
 */

import { parentPort, workerData } from "node:worker_threads";
import { ExtensionInstance, LoadError, type GuestListener } from "../lib/instance";
import { nodePlatform } from "./node-platform";
import type { FromWorker, ToWorker, WorkerSetup } from "./protocol";

const port = parentPort;
if (!port) throw new Error("cli/worker.ts runs only as a worker_threads Worker");
const setup = workerData as WorkerSetup;
const platform = nodePlatform(port, setup.shared, setup.cacheDir);
let instance: ExtensionInstance | undefined;

const send = (message: FromWorker) => port.postMessage(message);
/** Guest entry and exit, for the main thread's wall-time watchdog (lib/sandbox/wall-time.ts). */
const onGuest: GuestListener = (event, atMs) => send({ type: "guest", event, atMs });
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

port.on("message", async (message: ToWorker) => {
  if (message.type === "load") {
    try {
      instance = await ExtensionInstance.load(message.request, onGuest, platform);
      send({ type: "loaded", extension: instance.info });
    } catch (error) {
      if (error instanceof LoadError) {
        send({ type: "load-failed", error: { stage: error.stage, message: error.message, line: error.line, trap: error.trap } });
      } else send({ type: "load-failed", error: { stage: "internal", message: messageOf(error) } });
    }
    return;
  }
  if (!instance) return send({ type: "call-failed", error: "no extension is loaded" });
  try {
    // stdout/stderr are posted while the guest runs; posting does not need the event loop.
    const result = await instance.call(message.handler, message.payload, (stream, lines) => send({ type: "output", stream, lines }), onGuest);
    send({ type: "called", result });
  } catch (error) {
    send({ type: "call-failed", error: messageOf(error) });
  }
});

send({ type: "ready" });
