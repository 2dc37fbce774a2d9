/**
 * What a run reports, as records: printed as text (report-text.ts) or one JSON object per
 * line with `--json` (report-json.ts). The same records in the same order either way.
 */

import type { CacheLayer } from "../lib/cache/module-cache";
import type { LoadStage } from "../lib/instance";
import type { TrapKind } from "../lib/traps";

/** The extension loaded. */
export interface LoadRecord {
  type: "load";
  extension: string;
  version: string;
  /** The module file and its SHA-256 (the cache key). */
  module: string;
  sha256: string;
  byteLength: number;
  cache: CacheLayer;
  prepareMs: number;
  importNamespace: "env" | "frankenterm" | "both" | "none";
  reactor: boolean;
  command: boolean;
  preopens: string[];
  commandTransport?: string;
  /** Manifest keys the host ignored. */
  warnings: string[];
}

/** The extension did not load. */
export interface LoadErrorRecord {
  type: "load_error";
  stage: LoadStage | "internal" | "wall_time";
  message: string;
  line?: number;
  trap?: TrapKind;
}

/** An event is fired: these hooks will be called, in order, with this payload. */
export interface EventRecord {
  type: "event";
  event: string;
  payload: string;
  handlers: string[];
}

/** A call into the guest starts. */
export interface CallRecord {
  type: "call";
  handler: string;
  event?: string;
}

/** A line the guest wrote to stdout or stderr (streamed while the call runs). */
export interface OutputRecord {
  type: "stdout" | "stderr";
  handler: string;
  line: string;
}

/** An `ft_log` line. */
export interface LogRecord {
  type: "log";
  handler: string;
  level: number;
  levelName: string;
  message: string;
}

/** One audit record (`src/audit.rs`'s fields). */
export interface AuditRecord {
  type: "audit";
  handler: string;
  seq: number;
  function: string;
  args: string;
  /** `Ok`, `Denied(reason)` or `Error(reason)`. */
  outcome: string;
  result?: number;
}

/** How a call ended. */
export interface ResultRecord {
  type: "result";
  handler: string;
  event?: string;
  /** `returned`; `trap`; `exit` (proc_exit); `wall_time` (the Worker was terminated); `failed` (no such export). */
  outcome: "returned" | "trap" | "exit" | "wall_time" | "failed";
  trap?: { kind: TrapKind; message: string };
  exitCode?: number;
  /** Why a `failed` call did not run. */
  error?: string;
  fuelUsed?: number;
  fuelLimit?: number;
  memoryBytes?: number;
  durationMs: number;
  /** Log lines, output lines and audit records beyond the per-call caps (counted, not kept). */
  dropped?: { logs: number; output: number; audit: number };
}

/** Something the reader should know that is not an error. */
export interface NoteRecord {
  type: "note";
  message: string;
}

/** The last record: the process's exit status and why. */
export interface ExitRecord {
  type: "exit";
  status: number;
  reason: string;
}

export type RunRecord = LoadRecord | LoadErrorRecord | EventRecord | CallRecord | OutputRecord | LogRecord | AuditRecord | ResultRecord | NoteRecord | ExitRecord;

/** Receives records as the run produces them. */
export type Emit = (record: RunRecord) => void;
