/**
 * A whole run as one JSON document: per hook call its output, its audit records in
 * FrankenTerm's shape, its fuel and memory, and the timeline of the session. Bytes a
 * recorded host call touched are written as hexadecimal.
 */

import type { HostCallRecord } from "../abi/call-recorder";
import { toFrankenTermRecord } from "../audit/export";
import type { LogLine } from "../abi/log-sink";
import { buildTimeline, type TimelineCall } from "./run-timeline";

/** What the export needs of one call (a `CallResult` has all of it). */
export interface ExportedCall extends TimelineCall {
  readonly logs: readonly LogLine[];
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  readonly trap?: { kind: string; message: string };
  readonly exitCode?: number;
}

/** Format version of the run document; bump when its shape changes. */
export const RUN_EXPORT_VERSION = 1;

/** `"de ad be ef"` */
function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

function hostCallJson(call: HostCallRecord) {
  return {
    ...call,
    ...(call.regions ? { regions: call.regions.map((r) => ({ ...r, bytes: hex(r.bytes) })) } : {}),
    ...(call.returnBuffer ? { returnBuffer: { bytes: hex(call.returnBuffer.bytes), length: call.returnBuffer.length } } : {}),
  };
}

/**
 * The run document, indented for reading.
 * @param extension the manifest's `[extension] name`.
 */
export function exportRunJson(extension: string, calls: readonly ExportedCall[]): string {
  const document = {
    version: RUN_EXPORT_VERSION,
    extension,
    calls: calls.map((call) => ({
      handler: call.handler,
      startedMicros: call.startedMicros,
      durationMs: call.durationMs,
      fuelUsed: call.fuelUsed,
      fuelLimit: call.fuelLimit,
      memoryBytes: call.memoryBytes,
      logs: call.logs,
      stdout: call.stdout,
      stderr: call.stderr,
      ...(call.trap ? { trap: call.trap } : {}),
      ...(call.exitCode !== undefined ? { exitCode: call.exitCode } : {}),
      audit: call.audit.map(toFrankenTermRecord),
      ...(call.hostCalls ? { hostCalls: call.hostCalls.map(hostCallJson) } : {}),
    })),
    timeline: buildTimeline(calls),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
