/**
 * One run of an extension: load it in a fresh Worker, make the planned calls in order
 * (events dispatched to their hooks as the page does, hooks called by name), report
 * everything as records, and decide the exit status. `run` prints the records; `test`
 * also checks the results against a spec.
 */

import type { CallResult, LoadedExtension, LoadRequest } from "../lib/instance";
import { matchingHooks } from "../lib/manifest/dispatch";
import { samplePayload } from "../lib/manifest/payloads";
import { parseManifest } from "../lib/manifest/parse";
import { defaultLimits } from "../lib/manifest/types";
import { ExitStatus, trapStatus } from "./errors";
import type { TrapKind } from "../lib/traps";
import { WorkerInstance, type CallOutcome } from "./instance-host";
import type { Emit, LoadErrorRecord, ResultRecord } from "./records";

/** One call the run makes: an event (dispatched to every hook it matches) or one hook by name. */
export type PlannedCall = { event: string; payload?: string } | { hook: string; payload?: string };

/** Everything one run needs. */
export interface RunPlan {
  /** What `LoadRequest` carries: bytes, manifest text, env, files, stdin, argv. */
  request: LoadRequest;
  /** The calls, in order; none on a WASI command means `_start`. */
  calls: PlannedCall[];
  /** A `Denied` audit record makes the status {@link ExitStatus.denied}. */
  denyIsError: boolean;
  /** The module cache's folder. */
  cacheDir: string;
  /** The manifest's path, named in manifest errors instead of "extension.toml". */
  manifestPath?: string;
}

/** One call made, with what it produced (`result` absent when it did not return a result). */
export interface CallReport {
  handler: string;
  event?: string;
  /** Index of the planned call this belongs to. */
  step: number;
  record: ResultRecord;
  result?: CallResult;
}

/** What the run did. */
export interface SessionReport {
  extension?: LoadedExtension;
  /** Why loading failed. */
  loadError?: { stage: string; message: string; line?: number };
  calls: CallReport[];
  status: ExitStatus;
  reason: string;
}

/** Runs `plan`, emitting records as they happen (the last one is `exit`). */
export async function runSession(plan: RunPlan, emit: Emit): Promise<SessionReport> {
  const wallTime = wallTimeOf(plan.request.manifestSource);
  const instance = await WorkerInstance.start(plan.cacheDir);
  try {
    const report = await drive(instance, plan, wallTime, emit);
    emit({ type: "exit", status: report.status, reason: report.reason });
    return report;
  } finally {
    await instance.terminate();
  }
}

async function drive(instance: WorkerInstance, plan: RunPlan, wallTime: number, emit: Emit): Promise<SessionReport> {
  const loaded = await instance.load(plan.request, wallTime, `loading ${plan.request.fileName}`);
  if (loaded.kind !== "loaded") {
    const error: { stage: LoadErrorRecord["stage"]; message: string; line?: number; trap?: TrapKind } =
      loaded.kind === "failed"
        ? { ...loaded.error }
        : loaded.kind === "timeout"
          ? { stage: loaded.overrun.kind === "wall-time" ? "wall_time" : "internal", message: loaded.message }
          : { stage: "internal", message: loaded.message };
    // lib names the manifest "extension.toml" (the page has no path); here it has one.
    if (error.stage === "manifest" && plan.manifestPath) error.message = error.message.replace(/^extension\.toml/, plan.manifestPath);
    emit({ type: "load_error", ...error });
    const status = error.stage === "wall_time" ? ExitStatus.wallTime : "trap" in error && error.trap ? trapStatus(error.trap) : error.stage === "internal" ? ExitStatus.internal : ExitStatus.load;
    return { loadError: error, calls: [], status, reason: `load failed (${error.stage}): ${error.message}` };
  }
  const extension = loaded.extension;
  emitLoad(extension, plan, emit);
  const calls: CallReport[] = [];
  let firstFailure: { status: ExitStatus; reason: string } | undefined;
  const fail = (status: ExitStatus, reason: string) => (firstFailure ??= { status, reason });

  if (extension.initialization) {
    const report = reportResult(extension.initialization, undefined, -1, emit);
    calls.push(report);
    check(report, plan.denyIsError, fail);
  }
  const steps = plan.calls.length === 0 && extension.command ? [{ hook: "_start" }] : plan.calls;
  if (steps.length === 0) emit({ type: "note", message: `no --event or --hook given: loaded only (hooks: ${describeHooks(extension)})` });
  const functions = new Set(extension.exports.filter((e) => e.kind === "function").map((e) => e.name));

  for (const [step, planned] of steps.entries()) {
    if (!instance.alive) {
      emit({ type: "note", message: `the instance has ended: ${steps.length - step} planned call(s) not made` });
      break;
    }
    const targets = "event" in planned ? eventTargets(extension, planned.event, planned.payload, emit) : [{ handler: planned.hook, payload: planned.payload ?? hookPayload(extension, planned.hook) }];
    for (const { handler, payload } of targets) {
      if (!instance.alive) break;
      const event = "event" in planned ? planned.event : undefined;
      if (!functions.has(handler)) {
        const error = `the module does not export a function "${handler}" (its function exports: ${[...functions].join(", ") || "none"})`;
        const record: ResultRecord = { type: "result", handler, ...(event ? { event } : {}), outcome: "failed", error, durationMs: 0 };
        emit(record);
        calls.push({ handler, step, record });
        fail(ExitStatus.input, `--hook ${handler}: ${error}`);
        continue;
      }
      emit({ type: "call", handler, ...(event ? { event } : {}) });
      const what = `hook ${handler}${event ? ` (${event})` : ""}`;
      const outcome = await instance.call(handler, payload, wallTime, what, (stream, lines) => {
        for (const line of lines) emit({ type: stream, handler, line });
      });
      const report = reportOutcome(outcome, handler, event, step, emit);
      calls.push(report);
      check(report, plan.denyIsError, fail);
    }
  }
  const result = firstFailure ?? { status: ExitStatus.ok, reason: `every call returned (${calls.length} call${calls.length === 1 ? "" : "s"})` };
  return { extension, calls, ...result };
}

/** Decides whether a call fails the run, and how. */
function check(report: CallReport, denyIsError: boolean, fail: (status: ExitStatus, reason: string) => void): void {
  const { record, result } = report;
  const what = `${record.handler}${record.event ? ` (${record.event})` : ""}`;
  if (record.outcome === "wall_time") fail(ExitStatus.wallTime, `${what} ran past max_wall_time_secs`);
  else if (record.trap) fail(trapStatus(record.trap.kind), `${what} trapped (${record.trap.kind}): ${record.trap.message}`);
  else if (record.outcome === "exit" && record.exitCode !== 0) fail(ExitStatus.exit, `${what} exited with status ${record.exitCode}`);
  else if (record.outcome === "failed") fail(ExitStatus.internal, `${what} could not be called: ${record.error}`);
  const denied = result?.audit.find((entry) => entry.outcome.startsWith("Denied"));
  if (denyIsError && denied) fail(ExitStatus.denied, `--deny-is-error: ${what}: ${denied.function} ${denied.argsSummary} ${denied.outcome}`);
}

function reportOutcome(outcome: CallOutcome, handler: string, event: string | undefined, step: number, emit: Emit): CallReport {
  if (outcome.kind === "called") return reportResult(outcome.result, event, step, emit);
  const durationMs = outcome.kind === "timeout" ? outcome.overrun.afterMs : 0;
  const wallTime = outcome.kind === "timeout" && outcome.overrun.kind === "wall-time";
  const record: ResultRecord = wallTime
    ? { type: "result", handler, ...(event ? { event } : {}), outcome: "wall_time", trap: { kind: "wall_time", message: outcome.message }, durationMs }
    : { type: "result", handler, ...(event ? { event } : {}), outcome: "failed", error: outcome.kind === "failed" ? outcome.error : outcome.message, durationMs };
  emit(record);
  return { handler, ...(event ? { event } : {}), step, record };
}

function reportResult(result: CallResult, event: string | undefined, step: number, emit: Emit): CallReport {
  const handler = result.handler;
  for (const log of result.logs) emit({ type: "log", handler, level: log.level, levelName: log.levelName, message: log.message });
  for (const entry of result.audit) {
    emit({ type: "audit", handler, seq: entry.seq, function: entry.function, args: entry.argsSummary, outcome: entry.outcome, ...(entry.result !== undefined ? { result: entry.result } : {}) });
  }
  // `_start` returning is exit status 0 (lib/instance.ts): that is a return, not an exit.
  const exited = result.exitCode !== undefined && !(handler === "_start" && result.exitCode === 0);
  const outcome = result.trap ? "trap" : exited ? "exit" : "returned";
  const record: ResultRecord = {
    type: "result",
    handler,
    ...(event ? { event } : {}),
    outcome,
    ...(result.trap ? { trap: result.trap } : {}),
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    fuelUsed: result.fuelUsed,
    fuelLimit: result.fuelLimit,
    memoryBytes: result.memoryBytes,
    durationMs: result.durationMs,
    dropped: { logs: result.droppedLogs, output: result.droppedOutput, audit: result.droppedAudit },
  };
  emit(record);
  return { handler, ...(event ? { event } : {}), step, record, result };
}

/** The hooks an event calls, announced with an `event` record (a note when none match). */
function eventTargets(extension: LoadedExtension, event: string, payload: string | undefined, emit: Emit) {
  const hooks = matchingHooks(extension.manifest.hooks, event);
  const body = payload ?? samplePayload(event);
  emit({ type: "event", event, payload: body, handlers: hooks.map((h) => h.handler) });
  if (hooks.length === 0) emit({ type: "note", message: `no hook subscribes to ${event} (hooks: ${describeHooks(extension)})` });
  return hooks.map((hook) => ({ handler: hook.handler, payload: body }));
}

/** A hook called by name gets the sample payload of the first event it is declared for, as the page's buttons do. */
function hookPayload(extension: LoadedExtension, handler: string): string | undefined {
  const hook = extension.manifest.hooks.find((h) => h.handler === handler);
  return hook ? samplePayload(hook.event) : undefined;
}

function emitLoad(extension: LoadedExtension, plan: RunPlan, emit: Emit): void {
  const { manifest, module } = extension;
  emit({
    type: "load",
    extension: manifest.extension.name,
    version: manifest.extension.version,
    module: plan.request.fileName,
    sha256: module.sha256,
    byteLength: module.byteLength,
    cache: module.cache,
    prepareMs: module.prepareMs,
    importNamespace: extension.importNamespace,
    reactor: extension.reactor,
    command: extension.command,
    preopens: extension.preopens,
    ...(extension.commandTransport ? { commandTransport: extension.commandTransport } : {}),
    warnings: manifest.warnings,
  });
}

function describeHooks(extension: LoadedExtension): string {
  return extension.manifest.hooks.map((h) => `${h.event} → ${h.handler}`).join(", ") || "none";
}

/** The wall-time limit a manifest sets, or the default when it does not parse (load reports why). */
function wallTimeOf(manifest: string): number {
  try {
    return parseManifest(manifest).limits.maxWallTimeSecs;
  } catch {
    return defaultLimits().maxWallTimeSecs;
  }
}

