import assert from "node:assert/strict";
import { test } from "node:test";
import { AuditFn, AuditTrail, Detail, Outcome } from "./trail";

test("elapsed counts microseconds from the trail's creation", () => {
  let now = 1000;
  const trail = new AuditTrail("ext", 10, () => now);
  now = 1002.5;
  trail.record(AuditFn.ftLog, Outcome.ok, Detail.none, new TextEncoder().encode("m"), NaN, 2);
  assert.equal(trail.entries()[0]?.elapsedMicros, 2500);
});

test("the ring keeps the newest records and counts the dropped ones", () => {
  const trail = new AuditTrail("ext", 3);
  for (let i = 0; i < 5; i++) trail.record(AuditFn.ftLog, Outcome.ok, Detail.none, new TextEncoder().encode(`m${i}`), NaN, 2);
  assert.equal(trail.dropped, 2);
  assert.deepEqual(trail.entries().map((e) => e.argsSummary), ["level=2 msg=m2", "level=2 msg=m3", "level=2 msg=m4"]);
  assert.deepEqual(trail.entries(4).map((e) => e.seq), [4]);
});

test("summaries are cut at 256 bytes with ...", () => {
  const trail = new AuditTrail("ext", 2);
  trail.record(AuditFn.envGet, Outcome.ok, Detail.none, new TextEncoder().encode("K".repeat(400)), 3);
  assert.equal(trail.entries()[0]?.argsSummary, `${"K".repeat(256)}...`);
  trail.record(AuditFn.envGet, Outcome.ok, Detail.none, new TextEncoder().encode("é".repeat(200)), 3);
  // 400 bytes of two-byte characters, cut at 256 bytes: 128 characters, none split.
  assert.equal(trail.entries()[1]?.argsSummary, `${"é".repeat(128)}...`);
});

test("a WASI record names the function and shows errno failures", () => {
  const trail = new AuditTrail("ext", 2);
  trail.record(AuditFn.wasi, Outcome.error, Detail.notImplemented, new TextEncoder().encode("path_open"), 52, 3, 0);
  const entry = trail.entries()[0];
  assert.equal(entry?.function, "path_open");
  assert.equal(entry?.argsSummary, "3, 0");
  assert.equal(entry?.outcome, 'Error("ENOSYS: the playground does not implement this WASI function")');
});

test("a trail with the audit off keeps and counts nothing", () => {
  const trail = new AuditTrail("ext", 4, undefined, { enabled: false });
  trail.record(AuditFn.ftLog, Outcome.ok, Detail.none, new TextEncoder().encode("m"), NaN, 2);
  trail.recordStated(AuditFn.ftCommand, Outcome.denied, "no", undefined, -1);
  assert.deepEqual([trail.enabled, trail.total, trail.dropped, trail.entries()], [false, 0, 0, []]);
});

test("recordFrom keeps the bytes of a range of a larger view, cut at 256 bytes", () => {
  const trail = new AuditTrail("ext", 2);
  const memory = new TextEncoder().encode(`xx${"K".repeat(300)}yy`);
  const view = new DataView(memory.buffer);
  trail.recordFrom(AuditFn.envGet, Outcome.ok, Detail.none, memory, view, 2, 5, 3);
  trail.recordFrom(AuditFn.envGet, Outcome.ok, Detail.none, memory, view, 2, 300, 3);
  assert.deepEqual(trail.entries().map((e) => e.argsSummary), ["KKKKK", `${"K".repeat(256)}...`]);
});

test("a ring larger than its first allocation keeps every record across growth and wraps at capacity", () => {
  const trail = new AuditTrail("ext", 1000);
  for (let i = 0; i < 2500; i++) trail.record(AuditFn.envGet, Outcome.ok, Detail.none, new TextEncoder().encode(`K${i}`), i);
  const kept = trail.entries();
  assert.equal(kept.length, 1000);
  assert.equal(trail.dropped, 1500);
  assert.deepEqual([kept[0]?.seq, kept[0]?.argsSummary, kept[0]?.result], [1500, "K1500", 1500]);
  assert.deepEqual([kept[999]?.seq, kept[999]?.argsSummary, kept[999]?.result], [2499, "K2499", 2499]);
  const second = new AuditTrail("ext", 1000);
  for (let i = 0; i < 700; i++) second.record(AuditFn.envGet, Outcome.ok, Detail.none, new TextEncoder().encode(`K${i}`), i);
  assert.deepEqual(second.entries().map((e) => e.argsSummary), Array.from({ length: 700 }, (_, i) => `K${i}`));
});

test("recordWords keeps an aligned message's bytes, not the rest of its last word, and overwrites a stated record's reason", () => {
  const memory = new Uint8Array(64);
  memory.set(new TextEncoder().encode("hello, world!XYZ"), 8);
  const words = new Int32Array(memory.buffer);
  const trail = new AuditTrail("ext", 2, () => 5);
  trail.recordStated(AuditFn.ftCommand, Outcome.denied, "no", undefined, -1);
  trail.recordWords(AuditFn.ftLog, words, 8, 13, 2);
  trail.recordWords(AuditFn.ftLog, words, 8, 0, 4);
  const entries = trail.entries();
  assert.deepEqual(
    entries.map((e) => [e.function, e.argsSummary, e.outcome]),
    [
      ["ft_log", "level=2 msg=hello, world!", "Ok"],
      ["ft_log", "level=4 msg=", "Ok"],
    ],
  );
  // The second ft_log took the stated record's slot (0): it shows its own outcome, not "no".
});

test("recordWords grows the ring past its first allocation like the other records", () => {
  const memory = new Uint8Array(16);
  memory.set(new TextEncoder().encode("line"), 4);
  const words = new Int32Array(memory.buffer);
  const trail = new AuditTrail("ext", 600);
  for (let i = 0; i < 700; i++) trail.recordWords(AuditFn.ftLog, words, 4, 4, i % 5);
  const kept = trail.entries();
  assert.deepEqual([kept.length, trail.dropped, kept[0]?.seq, kept[599]?.argsSummary], [600, 100, 100, "level=4 msg=line"]);
});
