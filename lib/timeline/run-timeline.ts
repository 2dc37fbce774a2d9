/**
 * The timeline of a session's run: hook calls, host calls and WASI calls on one time axis
 * (microseconds since load, the audit trail's clock) with their durations, the fuel each
 * hook call used, and the size of linear memory over time. Pure: built from the calls'
 * results; the page's chart draws it.
 *
 * Host and WASI calls have durations when the instance was loaded with `record.timing`
 * (see `lib/abi/call-recorder.ts`); without it each audit record is an instant at the time
 * it was written.
 */

import type { HostCallRecord } from "../abi/call-recorder";
import type { AuditEntry } from "../audit/format";

/** Which row of the chart a bar is drawn in. */
export type Lane = "hook" | "host" | "wasi";

/** One bar (or, with no duration, one instant). */
export interface TimelineBar {
  readonly lane: Lane;
  /** The export, host function or WASI function. */
  readonly label: string;
  readonly startMicros: number;
  /** 0 for an instant (recorded without timing). */
  readonly durationMicros: number;
  /** Index of the hook call in the session. */
  readonly call: number;
  /** The audit record the bar stands for (host and WASI calls). */
  readonly auditSeq?: number;
  /** True when the duration was measured (not an instant standing in for one). */
  readonly timed: boolean;
}

/** Fuel of one hook call. */
export interface FuelPoint {
  readonly call: number;
  readonly handler: string;
  readonly startMicros: number;
  readonly fuelUsed: number;
  readonly fuelLimit: number;
}

/** Linear memory size at a moment. */
export interface MemoryPoint {
  readonly atMicros: number;
  readonly bytes: number;
}

/** The whole chart's data. */
export interface Timeline {
  readonly bars: readonly TimelineBar[];
  readonly fuel: readonly FuelPoint[];
  readonly memory: readonly MemoryPoint[];
  /** First start and last end, in microseconds since load (`[0, 0]` when empty). */
  readonly span: readonly [number, number];
}

/** What the timeline needs of one call's result (`CallResult` has all of it). */
export interface TimelineCall {
  readonly handler: string;
  readonly startedMicros: number;
  readonly durationMs: number;
  readonly fuelUsed: number;
  readonly fuelLimit: number;
  readonly memoryBytes: number;
  readonly audit: readonly AuditEntry[];
  readonly hostCalls?: readonly HostCallRecord[];
}

/** Audit function names that are host functions (the rest are WASI calls and their checks). */
const HOST_RECORDS: ReadonlySet<string> = new Set(["ft_log", "env_get", "return_buffer_read", "ft_command", "memory.grow"]);
const HOST_NAMESPACES: ReadonlySet<string> = new Set(["env", "frankenterm"]);

/** Builds the timeline of `calls`, in session order. */
export function buildTimeline(calls: readonly TimelineCall[]): Timeline {
  const bars: TimelineBar[] = [];
  const fuel: FuelPoint[] = [];
  const memory: MemoryPoint[] = [];
  calls.forEach((call, index) => {
    const durationMicros = call.durationMs * 1000;
    bars.push({ lane: "hook", label: call.handler, startMicros: call.startedMicros, durationMicros, call: index, timed: true });
    if (call.hostCalls) {
      for (const host of call.hostCalls) {
        bars.push({
          lane: HOST_NAMESPACES.has(host.namespace) ? "host" : "wasi",
          label: host.function,
          startMicros: host.startMicros,
          durationMicros: host.durationMicros,
          call: index,
          ...(host.auditSeq >= 0 ? { auditSeq: host.auditSeq } : {}),
          timed: true,
        });
        memory.push({ atMicros: host.startMicros + host.durationMicros, bytes: host.memoryBytes });
      }
    } else {
      for (const entry of call.audit) {
        const lane = HOST_RECORDS.has(entry.function) ? "host" : "wasi";
        bars.push({ lane, label: entry.function, startMicros: entry.elapsedMicros, durationMicros: 0, call: index, auditSeq: entry.seq, timed: false });
      }
    }
    fuel.push({ call: index, handler: call.handler, startMicros: call.startedMicros, fuelUsed: call.fuelUsed, fuelLimit: call.fuelLimit });
    memory.push({ atMicros: call.startedMicros + durationMicros, bytes: call.memoryBytes });
  });
  memory.sort((a, b) => a.atMicros - b.atMicros);
  const starts = bars.map((b) => b.startMicros);
  const ends = bars.map((b) => b.startMicros + b.durationMicros);
  const span: [number, number] = bars.length === 0 ? [0, 0] : [Math.min(...starts), Math.max(...ends)];
  return { bars, fuel, memory, span };
}

/** The bars of one lane, for charts that draw a series per lane. */
export function laneBars(timeline: Timeline, lane: Lane): TimelineBar[] {
  return timeline.bars.filter((b) => b.lane === lane);
}
