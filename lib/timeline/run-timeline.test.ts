import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { HostCallRecord } from "../abi/call-recorder";
import { AuditFn, AuditTrail, Detail, Outcome } from "../audit/trail";
import { exportRunJson } from "./run-export";
import { buildTimeline, laneBars, type TimelineCall } from "./run-timeline";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Two hook calls: the first recorded with timing, the second without. */
function calls(): TimelineCall[] {
  let now = 0;
  const trail = new AuditTrail("t", 100, () => now);
  now = 1.02;
  trail.record(AuditFn.envGet, Outcome.ok, Detail.none, utf8("TERM"), 5);
  now = 1.05;
  trail.record(AuditFn.wasi, Outcome.ok, Detail.none, utf8("fd_write"), 0, 1, 2, 3, 4);
  const first = trail.entries();
  now = 3.1;
  trail.record(AuditFn.ftLog, Outcome.ok, Detail.none, utf8("hi"), NaN, 2);
  const host = (fn: string, namespace: string, auditSeq: number, startMicros: number, durationMicros: number, memoryBytes: number): HostCallRecord => ({
    function: fn,
    namespace,
    auditSeq,
    auditRecords: 1,
    startMicros,
    durationMicros,
    memoryBytes,
  });
  return [
    {
      handler: "on_reload",
      startedMicros: 1_000,
      durationMs: 0.1,
      fuelUsed: 1_234,
      fuelLimit: 1_000_000,
      memoryBytes: 131072,
      audit: first,
      hostCalls: [host("ft_get_env", "frankenterm", 0, 1_010, 8, 65536), host("fd_write", "wasi_snapshot_preview1", 1, 1_040, 9, 131072)],
    },
    { handler: "on_focus", startedMicros: 3_000, durationMs: 0.2, fuelUsed: 99, fuelLimit: 1_000_000, memoryBytes: 131072, audit: trail.entries(first.length) },
  ];
}

describe("buildTimeline", () => {
  const timeline = buildTimeline(calls());

  test("puts hook, host and WASI calls on one axis, one bar per call", () => {
    assert.deepEqual(
      timeline.bars.map((b) => [b.lane, b.label, b.startMicros, b.durationMicros, b.call, b.auditSeq ?? null, b.timed]),
      [
        ["hook", "on_reload", 1_000, 100, 0, null, true],
        ["host", "ft_get_env", 1_010, 8, 0, 0, true],
        ["wasi", "fd_write", 1_040, 9, 0, 1, true],
        ["hook", "on_focus", 3_000, 200, 1, null, true],
        ["host", "ft_log", 3_100, 0, 1, 2, false],
      ],
    );
    assert.deepEqual(laneBars(timeline, "wasi").map((b) => b.label), ["fd_write"]);
    assert.deepEqual(timeline.span, [1_000, 3_200]);
  });

  test("has the fuel of each hook call and memory size over time", () => {
    assert.deepEqual(timeline.fuel.map((f) => [f.handler, f.fuelUsed]), [["on_reload", 1_234], ["on_focus", 99]]);
    assert.deepEqual(timeline.memory.map((m) => [m.atMicros, m.bytes]), [[1_018, 65536], [1_049, 131072], [1_100, 131072], [3_200, 131072]]);
  });

  test("an empty session has an empty span", () => {
    assert.deepEqual(buildTimeline([]).span, [0, 0]);
  });
});

describe("exportRunJson", () => {
  test("writes each call's output, audit in FrankenTerm's shape, and the timeline", () => {
    const [first, second] = calls();
    assert.ok(first && second);
    const withRegion = {
      ...first,
      hostCalls: first.hostCalls?.map((h, i) =>
        i === 0 ? { ...h, regions: [{ access: "read" as const, what: "key", ptr: 16, length: 4, bytes: utf8("TERM"), outOfBounds: false }] } : h,
      ),
    };
    const output = { logs: [{ level: 2, levelName: "INFO", message: "hi" }], stdout: ["out"], stderr: [] };
    const document = JSON.parse(exportRunJson("t", [{ ...withRegion, ...output }, { ...second, ...output }]));
    assert.equal(document.extension, "t");
    assert.equal(document.calls.length, 2);
    assert.deepEqual(document.calls[0].audit[0], {
      elapsed: { secs: 0, nanos: 1_020_000 },
      extension_id: "t",
      function: "env_get",
      args_summary: "TERM",
      outcome: "Ok",
    });
    assert.equal(document.calls[0].hostCalls[0].regions[0].bytes, "54 45 52 4d");
    assert.deepEqual(document.calls[1].stdout, ["out"]);
    assert.equal(document.timeline.bars.length, 5);
  });
});
