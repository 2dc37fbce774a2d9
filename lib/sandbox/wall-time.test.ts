import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { GuestListener } from "../instance";
import { describeOverrun, isOverrun, watchWallTime } from "./wall-time";

const now = () => performance.timeOrigin + performance.now();

/** A stand-in worker operation: host work for `hostMs`, then guest code for `guestMs` (or forever). */
function operation(hostMs: number, guestMs: number | "forever") {
  return async (onGuest: GuestListener) => {
    await sleep(hostMs);
    onGuest("enter", now());
    await (guestMs === "forever" ? new Promise(() => undefined) : sleep(guestMs));
    onGuest("leave", now());
    return "returned";
  };
}

test("host work longer than the limit is not charged to it", async () => {
  // 700 ms of host work, 50 ms of guest work, a 400 ms limit.
  assert.equal(await watchWallTime(0.4, operation(700, 50)), "returned");
});

test("the limit counts from when the guest was entered, as the worker stamped it", async () => {
  const started = now();
  const result = await watchWallTime(0.3, operation(400, "forever"));
  assert.ok(isOverrun(result));
  assert.equal(result.kind, "wall-time");
  assert.ok(result.afterMs >= 300, `stopped early, after ${result.afterMs} ms`);
  assert.ok(now() - started >= 700, "the 400 ms before the guest was entered were not counted");
});

test("an entry stamped in the past shortens the deadline accordingly", async () => {
  const result = await watchWallTime(1, async (onGuest) => {
    onGuest("enter", now() - 800); // the message took 800 ms to arrive
    return new Promise<string>(() => undefined);
  });
  assert.ok(isOverrun(result) && result.kind === "wall-time");
  assert.ok(result.afterMs >= 1000 && result.afterMs < 1200, `after ${result.afterMs} ms`);
});

test("host work past the host's bound ends the operation with its own message", async () => {
  const result = await watchWallTime(10, () => new Promise<string>(() => undefined), { hostBoundSecs: 0.2 });
  assert.ok(isOverrun(result));
  assert.deepEqual({ kind: result.kind, boundSecs: result.kind === "host" ? result.boundSecs : 0 }, { kind: "host", boundSecs: 0.2 });
  const { title, message } = describeOverrun("loading big", result);
  assert.equal(title, "loading big did not finish");
  assert.match(message, /^preparing the module took longer than 0.2 s \(the host's own bound, not charged to max_wall_time_secs\)/);
});

test("after the guest returns the host's bound applies again, not the guest's limit", async () => {
  const result = await watchWallTime(
    0.2,
    async (onGuest) => {
      onGuest("enter", now());
      onGuest("leave", now());
      await sleep(500); // host work after the guest: longer than the guest's limit, within the host's bound
      return "collected";
    },
    { hostBoundSecs: 5 },
  );
  assert.equal(result, "collected");
});

test("`until` settles the watch early and clears its timers", async () => {
  let end!: (value: "ended") => void;
  const until = new Promise<"ended">((resolve) => (end = resolve));
  const watch = watchWallTime(0.05, operation(0, "forever"), { until });
  end("ended");
  assert.equal(await watch, "ended");
});

test("a wall-time overrun names the limit and the guest time it was stopped after", () => {
  const text = describeOverrun("hook on_reload (config.reload)", { kind: "wall-time", limitSecs: 3, afterMs: 3012 });
  assert.equal(text.title, "hook on_reload (config.reload) timed out");
  assert.match(text.message, /^hook on_reload \(config\.reload\) ran longer than max_wall_time_secs = 3 s and was stopped after 3\.0 s of guest time/);
});
