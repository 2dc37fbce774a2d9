/**
 * The main thread's side of one instance: starts its `worker_threads` Worker
 * (worker.ts), loads and calls through messages, answers the commands the worker sends
 * with the route's own handler (lib/commands/route-handler.ts), and enforces wall time as
 * the page does: lib/sandbox/wall-time.ts watches guest time from the entry the worker
 * reports, and an overrun terminates the Worker.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { OutputListener } from "../lib/call-output";
import { commandError } from "../lib/commands/protocol";
import { defaultExecutorOptions, type ExecutorOptions } from "../lib/commands/run-executor";
import { SHARED_HEADER_BYTES } from "../lib/commands/shared-answer";
import type { CallResult, GuestListener, LoadedExtension, LoadRequest } from "../lib/instance";
import { describeOverrun, isOverrun, watchWallTime, type Overrun } from "../lib/sandbox/wall-time";
import { SHARED_ANSWER_BYTES, writeAnswer } from "./node-platform";
import type { FromWorker, LoadFailure, ToWorker, WorkerSetup } from "./protocol";

/** The repository (or installed package) root: the folder above cli/ (this file may run from cli/dist/). */
export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The worker's entry: beside this code in the bundle (cli/dist/worker.mjs), else the
 * TypeScript worker behind its tsx registration (see bin.mjs).
 */
const WORKER_ENTRY = import.meta.url.endsWith(".mjs") ? new URL("./worker.mjs", import.meta.url) : new URL("./worker-entry.mjs", import.meta.url);

function packageRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "cli"))) return dir;
  }
  return path.resolve(from, "..");
}

/**
 * The executor the CLI runs: `EXECUTOR_PATH`, else the one setup builds in this package
 * (not under the working directory, as the server's default is: the CLI runs anywhere).
 * `EXECUTOR_ALLOW_BINARIES` is the same allow-list as the route's.
 */
export function cliExecutorOptions(): ExecutorOptions {
  return { ...defaultExecutorOptions(), binary: process.env.EXECUTOR_PATH ?? path.join(PACKAGE_ROOT, "executor", "target", "release", "executor") };
}

/**
 * The route's handler, shared by every instance of this process: the same body limit,
 * ajv validation, executor run and result validation as POST /api/commands.
 */
let commandHandler: Promise<(request: Request) => Promise<Response>> | undefined;
async function handleCommand(body: Uint8Array): Promise<Response> {
  // Imported on the first command: ajv and the schemas are not needed to start.
  commandHandler ??= import("../lib/commands/route-handler").then(({ createCommandHandler }) => createCommandHandler({ executors: 2, maxWaiting: 1000, options: cliExecutorOptions() }));
  return (await commandHandler)(new Request("http://extension-playground.cli/api/commands", { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/json" } }));
}

/** A load or call stopped by the watchdog, or a Worker that died. */
export type Stopped = { kind: "timeout"; overrun: Overrun; message: string } | { kind: "crashed"; message: string };

/** How a load ended. */
export type LoadOutcome = { kind: "loaded"; extension: LoadedExtension } | { kind: "failed"; error: LoadFailure } | Stopped;

/** How a call ended. */
export type CallOutcome = { kind: "called"; result: CallResult } | { kind: "failed"; error: string } | Stopped;

/** One instance in its own Worker. */
export class WorkerInstance {
  private ended = false;
  private readonly endedPromise: Promise<{ kind: "crashed"; message: string }>;
  private listener: ((message: FromWorker) => void) | undefined;
  private onGuest: GuestListener | undefined;
  private onOutput: OutputListener | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly shared: SharedArrayBuffer,
  ) {
    worker.on("message", (message: FromWorker) => this.receive(message));
    this.endedPromise = new Promise((resolve) => {
      worker.on("error", (error) => {
        this.ended = true;
        resolve({ kind: "crashed", message: `the instance's worker failed: ${error.message}` });
      });
      worker.on("exit", (code) => {
        this.ended = true;
        resolve({ kind: "crashed", message: `the instance's worker exited (${code})` });
      });
    });
  }

  /**
   * Starts a Worker and waits until it is ready to load.
   * @param cacheDir the module cache's folder.
   * @throws {Error} when the Worker cannot start.
   */
  static async start(cacheDir: string): Promise<WorkerInstance> {
    const shared = new SharedArrayBuffer(SHARED_HEADER_BYTES + SHARED_ANSWER_BYTES);
    const setup: WorkerSetup = { shared, cacheDir };
    const instance = new WorkerInstance(new Worker(WORKER_ENTRY, { workerData: setup }), shared);
    const ready = await Promise.race([instance.reply(undefined, (m) => (m.type === "ready" ? m : undefined)), instance.endedPromise]);
    if ("kind" in ready) throw new Error(ready.message);
    return instance;
  }

  /** Loads the extension; a start function or `_initialize` that runs past `wallTimeSecs` ends the Worker. */
  async load(request: LoadRequest, wallTimeSecs: number, what: string): Promise<LoadOutcome> {
    const answer = await this.watched(wallTimeSecs, what, { type: "load", request }, (m) => (m.type === "loaded" || m.type === "load-failed" ? m : undefined));
    if ("kind" in answer) return answer;
    return answer.type === "loaded" ? { kind: "loaded", extension: answer.extension } : { kind: "failed", error: answer.error };
  }

  /** Calls a hook; stdout/stderr lines reach `onOutput` while it runs. Guest time past `wallTimeSecs` ends the Worker. */
  async call(handler: string, payload: string | undefined, wallTimeSecs: number, what: string, onOutput?: OutputListener): Promise<CallOutcome> {
    this.onOutput = onOutput;
    try {
      const message: ToWorker = payload === undefined ? { type: "call", handler } : { type: "call", handler, payload };
      const answer = await this.watched(wallTimeSecs, what, message, (m) => (m.type === "called" || m.type === "call-failed" ? m : undefined));
      if ("kind" in answer) return answer;
      return answer.type === "called" ? { kind: "called", result: answer.result } : { kind: "failed", error: answer.error };
    } finally {
      this.onOutput = undefined;
    }
  }

  /** True until the Worker is gone (terminated, stopped by the watchdog, crashed). */
  get alive(): boolean {
    return !this.ended;
  }

  /** Ends the instance. */
  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.worker.terminate();
  }

  /** Sends `message` under the wall-time watchdog; an overrun terminates the Worker. */
  private async watched<T>(limitSecs: number, what: string, message: ToWorker, pick: (m: FromWorker) => T | undefined): Promise<T | Stopped> {
    if (this.ended) return { kind: "crashed", message: "the instance has ended" };
    const answer = await watchWallTime(
      limitSecs,
      (onGuest) => {
        this.onGuest = onGuest;
        return this.reply(message, pick);
      },
      { until: this.endedPromise },
    );
    this.onGuest = undefined;
    if (isOverrun(answer)) {
      await this.terminate();
      // The page's advice to load again does not apply to a run that ends here.
      return { kind: "timeout", overrun: answer, message: describeOverrun(what, answer).message.replace(/ The instance has ended: load again to continue\.$/, "") };
    }
    return answer;
  }

  /** Posts `message` (if any) and resolves with the first reply `pick` accepts. */
  private reply<T>(message: ToWorker | undefined, pick: (m: FromWorker) => T | undefined): Promise<T> {
    return new Promise((resolve) => {
      this.listener = (m) => {
        const picked = pick(m);
        if (picked === undefined) return;
        this.listener = undefined;
        resolve(picked);
      };
      if (message) this.worker.postMessage(message);
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "command":
        void handleCommand(message.body)
          .then(async (response) => ({ status: response.status, body: new Uint8Array(await response.arrayBuffer()) }))
          .catch((error: unknown) => ({ status: 500, body: new TextEncoder().encode(JSON.stringify(commandError("internal_error", `the CLI could not run the command: ${String(error)}`))) }))
          .then(({ status, body }) => {
            if (!this.ended) writeAnswer(this.shared, message.id, status, body);
          });
        return;
      case "output":
        this.onOutput?.(message.stream, message.lines);
        return;
      case "guest":
        this.onGuest?.(message.event, message.atMs);
        return;
      default:
        this.listener?.(message);
    }
  }
}
