import assert from "node:assert/strict";
import { test } from "node:test";
import { Abandoned, ConcurrencyLimit, QueueFull } from "./concurrency";

/** A task that finishes when `release` is called, recording when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { release, task: async () => (log.push(`start ${name}`), await done, name) };
}

test("runs at most `max` tasks at once, starts the rest in arrival order, drops none", async () => {
  const limit = new ConcurrencyLimit(2);
  const log: string[] = [];
  const gates = ["a", "b", "c", "d"].map((name) => gate(log, name));
  const results = gates.map((g) => limit.run(g.task));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ["start a", "start b"]);
  assert.deepEqual([limit.active, limit.queued], [2, 2]);
  gates[1]?.release();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(log, ["start a", "start b", "start c"]);
  gates[0]?.release();
  gates[2]?.release();
  gates[3]?.release();
  assert.deepEqual(await Promise.all(results), ["a", "b", "c", "d"]);
  assert.deepEqual([limit.active, limit.queued], [0, 0]);
});

test("a failing task frees its slot", async () => {
  const limit = new ConcurrencyLimit(1);
  await assert.rejects(limit.run(async () => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(await limit.run(async () => "next"), "next");
  assert.equal(limit.active, 0);
});

test("max must be at least 1", () => {
  assert.throws(() => new ConcurrencyLimit(0), RangeError);
});

test("past maxQueued waiting tasks, run refuses at once", async () => {
  const limit = new ConcurrencyLimit(1, 1);
  const log: string[] = [];
  const first = gate(log, "first");
  const second = gate(log, "second");
  const running = limit.run(first.task);
  const waiting = limit.run(second.task);
  await assert.rejects(limit.run(async () => "third"), QueueFull);
  first.release();
  second.release();
  assert.deepEqual(await Promise.all([running, waiting]), ["first", "second"]);
});

test("a task whose signal was aborted while it waited is skipped", async () => {
  const limit = new ConcurrencyLimit(1);
  const log: string[] = [];
  const first = gate(log, "first");
  const running = limit.run(first.task);
  const controller = new AbortController();
  let ran = false;
  const skipped = limit.run(async () => (ran = true), controller.signal);
  controller.abort();
  first.release();
  await running;
  await assert.rejects(skipped, Abandoned);
  assert.equal(ran, false);
  assert.equal(limit.active, 0);
});
