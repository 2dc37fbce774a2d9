/**
 * Messages between the CLI's main thread and one instance's `worker_threads` Worker
 * (cli/worker.ts), the counterpart of the page's comlink calls to its Web Worker.
 */

import type { CallResult, LoadedExtension, LoadRequest, LoadStage } from "../lib/instance";
import type { TrapKind } from "../lib/traps";
import type { OutputStreamName } from "../lib/wasi/context";

/** What the Worker is started with (`workerData`). */
export interface WorkerSetup {
  /** Where `ft_command` answers are written (node-platform.ts). */
  shared: SharedArrayBuffer;
  /** The module cache's folder. */
  cacheDir: string;
}

/** Main thread → worker. */
export type ToWorker = { type: "load"; request: LoadRequest } | { type: "call"; handler: string; payload?: string };

/** Why a load failed, as the page's worker reports it. */
export interface LoadFailure {
  stage: LoadStage | "internal";
  message: string;
  line?: number;
  /** The trap's kind, when the start function or `_initialize` trapped. */
  trap?: TrapKind;
}


/** A command for the main thread to run; the worker blocks until it is answered. */
export interface CommandRequestMessage {
  type: "command";
  id: number;
  body: Uint8Array;
}

/** Worker → main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "loaded"; extension: LoadedExtension }
  | { type: "load-failed"; error: LoadFailure }
  | { type: "output"; stream: OutputStreamName; lines: string[] }
  | { type: "called"; result: CallResult }
  /** The worker entered or left guest code (lib/instance.ts `GuestListener`); `atMs` since the Unix epoch. */
  | { type: "guest"; event: "enter" | "leave"; atMs: number }
  | { type: "call-failed"; error: string }
  | CommandRequestMessage;
