import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { auditRows, filterAudit, formatMicros, functionCounts, outcomeKind } from "./explore";
import { durationOf, exportAuditJson, parseOutcome, toFrankenTermRecord, type FrankenTermAuditRecord } from "./export";
import { AuditFn, AuditTrail, Detail, Outcome } from "./trail";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Two calls' records from a real trail on a clock the test moves. */
function session() {
  let now = 500;
  const trail = new AuditTrail("env-reader", 100, () => now);
  now = 501; // call 0 starts 1 ms after load
  const firstStart = 1_000;
  now = 501.25;
  trail.record(AuditFn.envGet, Outcome.ok, Detail.none, utf8("TERM"), 14);
  now = 501.5;
  trail.record(AuditFn.returnBufferRead, Outcome.ok, Detail.none, undefined, 14, 0x1000, 14);
  now = 502;
  trail.record(AuditFn.ftLog, Outcome.ok, Detail.none, utf8("TERM=xterm-256color"), NaN, 2);
  const first = trail.entries();
  now = 1_500; // call 1 starts 1 s after load
  const secondStart = 1_000_000;
  now = 1_500.01;
  trail.record(AuditFn.envGet, Outcome.denied, Detail.deniedEnv, utf8("HOME"), -1);
  now = 1_502;
  trail.record(AuditFn.ftLog, Outcome.ok, Detail.none, utf8("HOME: not set or denied (-1)"), NaN, 3);
  const second = trail.entries(first.length);
  return [
    { handler: "on_reload", startedMicros: firstStart, audit: first },
    { handler: "on_reload", startedMicros: secondStart, audit: second },
  ];
}

describe("audit explorer", () => {
  const rows = auditRows(session());

  it("ties each record to its call and measures it from the call's start", () => {
    assert.deepEqual(
      rows.map((r) => [r.call, r.function, r.elapsedMicros, r.sinceCallMicros]),
      [
        [0, "env_get", 1_250, 250],
        [0, "return_buffer_read", 1_500, 500],
        [0, "ft_log", 2_000, 1_000],
        [1, "env_get", 1_000_010, 10],
        [1, "ft_log", 1_002_000, 2_000],
      ],
    );
  });

  it("filters by function, outcome, call and args, together", () => {
    assert.deepEqual(filterAudit(rows, { functions: ["env_get"] }).map((r) => r.argsSummary), ["TERM", "HOME"]);
    assert.deepEqual(filterAudit(rows, { outcome: "Denied" }).map((r) => r.seq), [3]);
    assert.deepEqual(filterAudit(rows, { call: 0 }).map((r) => r.seq), [0, 1, 2]);
    assert.deepEqual(filterAudit(rows, { search: "xterm" }).map((r) => r.seq), [2]);
    assert.deepEqual(filterAudit(rows, { search: "  home " }).map((r) => r.seq), [3, 4]);
    assert.deepEqual(filterAudit(rows, { functions: ["ft_log"], call: 1, outcome: "Ok", search: "denied" }).map((r) => r.seq), [4]);
    assert.deepEqual(filterAudit(rows, { functions: [], search: "" }).length, 5);
    assert.deepEqual(filterAudit(rows, { outcome: "Error" }), []);
  });

  it("counts functions for the filter's choices and reads outcome variants", () => {
    assert.deepEqual(functionCounts(rows), [
      { function: "env_get", count: 2 },
      { function: "ft_log", count: 2 },
      { function: "return_buffer_read", count: 1 },
    ]);
    assert.deepEqual(rows.map((r) => outcomeKind(r.outcome)), ["Ok", "Ok", "Ok", "Denied", "Ok"]);
  });

  it("formats durations in the unit that fits", () => {
    assert.deepEqual([formatMicros(56.4), formatMicros(1_234), formatMicros(2_500_000)], ["56 µs", "1.234 ms", "2.50 s"]);
  });
});

describe("export in FrankenTerm's record shape", () => {
  const rows = auditRows(session());

  it("writes serde's Duration and externally tagged outcome", () => {
    const records = JSON.parse(exportAuditJson(rows)) as FrankenTermAuditRecord[];
    assert.equal(records.length, 5);
    assert.deepEqual(records[3], {
      elapsed: { secs: 1, nanos: 10_000 },
      extension_id: "env-reader",
      function: "env_get",
      args_summary: "HOME",
      outcome: { Denied: "environment variable access denied for HOME" },
    });
    assert.deepEqual(Object.keys(records[0] ?? {}), ["elapsed", "extension_id", "function", "args_summary", "outcome"]);
    assert.deepEqual(records.map((r) => r.outcome), ["Ok", "Ok", "Ok", { Denied: "environment variable access denied for HOME" }, "Ok"]);
    // Only the host's five fields: the playground's call index and sequence stay out.
    assert.equal("call" in (records[0] ?? {}), false);
  });

  it("round-trips reasons with quotes and refuses an unknown outcome", () => {
    assert.deepEqual(parseOutcome('Error("bad \\"quoted\\" bytes")'), { Error: 'bad "quoted" bytes' });
    assert.throws(() => parseOutcome("Maybe"), /not an audit outcome: "Maybe"/);
    assert.deepEqual(durationOf(1_999_999.6), { secs: 2, nanos: 0 });
    const first = rows[0];
    assert.ok(first);
    assert.deepEqual(toFrankenTermRecord(first).elapsed, { secs: 0, nanos: 1_250_000 });
  });
});
