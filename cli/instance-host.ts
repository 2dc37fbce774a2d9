/**
 * The main thread's side of one instance: starts its `worker_threads` Worker
 * (worker.ts), loads and calls through messages, runs the commands the worker sends
 * (lib/commands/answer.ts, the route's pipeline) and enforces wall time as the page does,
 * by terminating the Worker when a load or a call overruns `max_wall_time_secs`.
 */

import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { answerCommand } from "../lib/commands/answer";
import { SHARED_HEADER_BYTES } from "../lib/commands/shared-answer";
import { ConcurrencyLimit } from "../lib/commands/concurrency";
import { defaultExecutorOptions, type ExecutorOptions } from "../lib/commands/run-executor";
import type { CallResult, LoadedExtension, LoadRequest } from "../lib/instance";
import type { OutputListener } from "../lib/call-output";
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

/** Executor processes at once, shared by every instance of this CLI process. */
const executors = new ConcurrencyLimit(2, 1000);

/**
 * The executor the CLI runs: `EXECUTOR_PATH`, else the one setup builds in this package
 * (not under the working directory, as the server's default is: the CLI runs anywhere).
 * `EXECUTOR_ALLOW_BINARIES` is the same allow-list as the route's.
 */
export function cliExecutorOptions(): ExecutorOptions {
  return { ...defaultExecutorOptions(), binary: process.env.EXECUTOR_PATH ?? path.join(PACKAGE_ROOT, "executor", "target", "release", "executor") };
}

/** How a load ended. */
export type LoadOutcome =
  | { kind: "loaded"; extension: LoadedExtension }
  | { kind: "failed"; error: LoadFailure }
  | { kind: "timeout"; afterMs: number }
  | { kind: "crashed"; message: string };

/** How a call ended. */
export type CallOutcome =
  | { kind: "called"; result: CallResult }
  | { kind: "failed"; error: string }
  | { kind: "timeout"; afterMs: number }
  | { kind: "crashed"; message: string };

type Settled = { kind: "timeout"; afterMs: number } | { kind: "crashed"; message: string };

/** One instance in its own Worker. */
export class WorkerInstance {
  private ended = false;
  private listener: ((message: FromWorker) => void) | undefined;
  private onEnd: ((settled: Settled) => void) | undefined;
  private onOutput: OutputListener | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly shared: SharedArrayBuffer,
    private readonly executor: ExecutorOptions,
  ) {
    worker.on("message", (message: FromWorker) => this.receive(message));
    worker.on("error", (error) => this.end({ kind: "crashed", message: `the instance's worker failed: ${error.message}` }));
    worker.on("exit", (code) => this.end({ kind: "crashed", message: `the instance's worker exited (${code})` }));
  }

  /**
   * Starts a Worker and waits until it is ready to load.
   * @param cacheDir the module cache's folder.
   */
  static async start(cacheDir: string, executor = cliExecutorOptions()): Promise<WorkerInstance> {
    const shared = new SharedArrayBuffer(SHARED_HEADER_BYTES + SHARED_ANSWER_BYTES);
    const setup: WorkerSetup = { shared, cacheDir };
    const worker = new Worker(WORKER_ENTRY, { workerData: setup });
    const instance = new WorkerInstance(worker, shared, executor);
    const ready = await instance.exchange(undefined, undefined, (m) => (m.type === "ready" ? m : undefined));
    if ("kind" in ready) throw new Error(ready.kind === "crashed" ? ready.message : "the worker did not start");
    return instance;
  }

  /** Loads the extension; a load that runs past `wallTimeSecs` ends the Worker. */
  async load(request: LoadRequest, wallTimeSecs: number): Promise<LoadOutcome> {
    const answer = await this.exchange({ type: "load", request }, wallTimeSecs, (m) => (m.type === "loaded" || m.type === "load-failed" ? m : undefined));
    if ("kind" in answer) return answer;
    return answer.type === "loaded" ? { kind: "loaded", extension: answer.extension } : { kind: "failed", error: answer.error };
  }

  /** Calls a hook; stdout/stderr lines reach `onOutput` while it runs. A call past `wallTimeSecs` ends the Worker. */
  async call(handler: string, payload: string | undefined, wallTimeSecs: number, onOutput?: OutputListener): Promise<CallOutcome> {
    this.onOutput = onOutput;
    try {
      const message: ToWorker = payload === undefined ? { type: "call", handler } : { type: "call", handler, payload };
      const answer = await this.exchange(message, wallTimeSecs, (m) => (m.type === "called" || m.type === "call-failed" ? m : undefined));
      if ("kind" in answer) return answer;
      return answer.type === "called" ? { kind: "called", result: answer.result } : { kind: "failed", error: answer.error };
    } finally {
      this.onOutput = undefined;
    }
  }

  /** True once the Worker is gone (terminated, timed out, crashed). */
  get alive(): boolean {
    return !this.ended;
  }

  /** Ends the instance. */
  async terminate(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.worker.terminate();
  }

  /** Sends `message` and waits for the reply `pick` accepts, the deadline, or the Worker's end. */
  private exchange<T>(message: ToWorker | undefined, wallTimeSecs: number | undefined, pick: (m: FromWorker) => T | undefined): Promise<T | Settled> {
    if (this.ended) return Promise.resolve({ kind: "crashed", message: "the instance has ended" });
    return new Promise((resolve) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const finish = (value: T | Settled) => {
        clearTimeout(timer);
        this.listener = undefined;
        this.onEnd = undefined;
        resolve(value);
      };
      this.listener = (m) => {
        const picked = pick(m);
        if (picked !== undefined) finish(picked);
      };
      this.onEnd = finish;
      if (message) this.worker.postMessage(message);
      if (wallTimeSecs !== undefined) {
        timer = setTimeout(() => {
          const afterMs = performance.now() - started;
          void this.terminate();
          finish({ kind: "timeout", afterMs });
        }, wallTimeSecs * 1000);
      }
    });
  }

  private receive(message: FromWorker): void {
    if (message.type === "command") {
      void answerCommand(message.body, executors, this.executor).then(({ status, document }) => {
        if (!this.ended) writeAnswer(this.shared, message.id, status, new TextEncoder().encode(JSON.stringify(document)));
      });
      return;
    }
    if (message.type === "output") {
      this.onOutput?.(message.stream, message.lines);
      return;
    }
    this.listener?.(message);
  }

  private end(settled: Settled): void {
    const wasEnded = this.ended;
    this.ended = true;
    if (!wasEnded || settled.kind === "crashed") this.onEnd?.(settled);
  }
}
