import assert from "node:assert/strict";
import { test } from "node:test";
import { Trap } from "../traps";
import { ClockId } from "./clocks";
import { Errno } from "./errno";
import { SUSPENDING_CALLS } from "./preview1";
import { harness } from "./test-support";
import { Eventrwflags, Eventtype, Subclockflags } from "./witx";

type H = ReturnType<typeof harness>;

interface Sub {
  userdata: bigint;
  clock?: { id: number; timeoutNs: bigint; abstime?: boolean };
  fd?: { type: number; fd: number };
}

function subscriptions(h: H, subs: Sub[]): number {
  const at = h.alloc(subs.length * 48);
  const v = h.view();
  subs.forEach((sub, i) => {
    const base = at + i * 48;
    v.setBigUint64(base, sub.userdata, true);
    if (sub.clock) {
      v.setUint8(base + 8, Eventtype.CLOCK);
      v.setUint32(base + 16, sub.clock.id, true);
      v.setBigUint64(base + 24, sub.clock.timeoutNs, true);
      v.setBigUint64(base + 32, 0n, true);
      v.setUint16(base + 40, sub.clock.abstime ? Subclockflags.ABSTIME : 0, true);
    } else if (sub.fd) {
      v.setUint8(base + 8, sub.fd.type);
      v.setUint32(base + 16, sub.fd.fd, true);
    }
  });
  return at;
}

function events(h: H, out: number, count: number) {
  const v = h.view();
  return Array.from({ length: count }, (_, i) => ({
    userdata: v.getBigUint64(out + i * 32, true),
    error: v.getUint16(out + i * 32 + 8, true),
    type: v.getUint8(out + i * 32 + 10),
    nbytes: v.getBigUint64(out + i * 32 + 16, true),
    flags: v.getUint16(out + i * 32 + 24, true),
  }));
}

function poll(h: H, subs: Sub[]) {
  const input = subscriptions(h, subs);
  const out = h.alloc(subs.length * 32);
  const nevents = h.alloc(4);
  const result = h.callMaybeAsync("poll_oneoff", input, out, subs.length, nevents);
  const read = () => events(h, out, h.view().getUint32(nevents, true));
  return { result, read };
}

const MS = 1_000_000n;

test("poll_oneoff is the one import that may return a Promise", () => {
  assert.deepEqual([...SUSPENDING_CALLS], ["poll_oneoff"]);
});

test("a 20 ms relative clock really waits: a Promise that settles after 20 ms", async () => {
  const h = harness();
  const started = performance.now();
  const { result, read } = poll(h, [{ userdata: 7n, clock: { id: ClockId.MONOTONIC, timeoutNs: 20n * MS } }]);
  assert.ok(result instanceof Promise, "returns a Promise when it has to wait");
  assert.equal(read().length, 0, "nothing reported before it settles");
  assert.equal(await result, Errno.SUCCESS);
  const waited = performance.now() - started;
  assert.ok(waited >= 20, `waited ${waited} ms`);
  assert.deepEqual(read(), [{ userdata: 7n, error: 0, type: Eventtype.CLOCK, nbytes: 0n, flags: 0 }]);
  const record = h.ctx.audit.entries().at(-1);
  assert.deepEqual([record?.function, record?.outcome], ["poll_oneoff", "Ok"], "audited when it settles");
});

test("of two clocks only the earlier fires", async () => {
  const h = harness();
  const { result, read } = poll(h, [
    { userdata: 1n, clock: { id: ClockId.MONOTONIC, timeoutNs: 1000n * MS } },
    { userdata: 2n, clock: { id: ClockId.REALTIME, timeoutNs: 15n * MS } },
  ]);
  const started = performance.now();
  assert.equal(await result, Errno.SUCCESS);
  assert.ok(performance.now() - started < 900, "did not wait for the 1 s clock");
  assert.deepEqual(read().map((e) => e.userdata), [2n]);
});

test("in block mode the same wait blocks the thread and returns a number", () => {
  const h = harness({ wait: "block" });
  const started = performance.now();
  const { result, read } = poll(h, [{ userdata: 3n, clock: { id: ClockId.MONOTONIC, timeoutNs: 20n * MS } }]);
  assert.equal(result, Errno.SUCCESS);
  assert.ok(performance.now() - started >= 20);
  assert.deepEqual(read().map((e) => e.userdata), [3n]);
});

test("a clock already due, and an absolute deadline in the past, fire without waiting", () => {
  const h = harness();
  const { result, read } = poll(h, [
    { userdata: 1n, clock: { id: ClockId.MONOTONIC, timeoutNs: 0n } },
    { userdata: 2n, clock: { id: ClockId.MONOTONIC, timeoutNs: 1n, abstime: true } },
    { userdata: 3n, clock: { id: ClockId.REALTIME, timeoutNs: 1n, abstime: true } },
  ]);
  assert.equal(result, Errno.SUCCESS, "a plain number: nothing to wait for");
  assert.deepEqual(read().map((e) => e.userdata), [1n, 2n, 3n]);
});

test("an absolute monotonic deadline 20 ms ahead waits until then", async () => {
  const h = harness();
  const now = BigInt(Math.floor(performance.now() * 1e6));
  const { result, read } = poll(h, [{ userdata: 9n, clock: { id: ClockId.MONOTONIC, timeoutNs: now + 20n * MS, abstime: true } }]);
  assert.ok(result instanceof Promise);
  await result;
  assert.ok(BigInt(Math.floor(performance.now() * 1e6)) >= now + 20n * MS);
  assert.deepEqual(read().map((e) => e.userdata), [9n]);
});

test("fd subscriptions are ready at once, with what is left to read; a pending clock is not reported", () => {
  const h = harness({ stdin: new TextEncoder().encode("abc") });
  const { result, read } = poll(h, [
    { userdata: 1n, clock: { id: ClockId.MONOTONIC, timeoutNs: 5000n * MS } },
    { userdata: 2n, fd: { type: Eventtype.FD_READ, fd: 0 } },
    { userdata: 3n, fd: { type: Eventtype.FD_WRITE, fd: 1 } },
    { userdata: 4n, fd: { type: Eventtype.FD_READ, fd: 1 } },
    { userdata: 5n, fd: { type: Eventtype.FD_WRITE, fd: 42 } },
  ]);
  assert.equal(result, Errno.SUCCESS);
  assert.deepEqual(read(), [
    { userdata: 2n, error: 0, type: Eventtype.FD_READ, nbytes: 3n, flags: 0 },
    { userdata: 3n, error: 0, type: Eventtype.FD_WRITE, nbytes: 1n, flags: 0 },
    { userdata: 4n, error: Errno.BADF, type: Eventtype.FD_READ, nbytes: 0n, flags: 0 },
    { userdata: 5n, error: Errno.BADF, type: Eventtype.FD_WRITE, nbytes: 0n, flags: 0 },
  ]);
  h.read(0);
  const again = poll(h, [{ userdata: 6n, fd: { type: Eventtype.FD_READ, fd: 0 } }]);
  assert.equal(again.result, Errno.SUCCESS);
  assert.deepEqual(again.read()[0]?.flags, Eventrwflags.HANGUP, "stdin at end-of-file hangs up");
});

test("bad input: no subscriptions or an unknown tag is EINVAL; an unknown clock fires with EINVAL", () => {
  const h = harness();
  assert.equal(h.call("poll_oneoff", h.alloc(48), h.alloc(32), 0, h.alloc(4)), Errno.INVAL);
  const input = subscriptions(h, [{ userdata: 1n }]);
  h.view().setUint8(input + 8, 3);
  assert.equal(h.call("poll_oneoff", input, h.alloc(32), 1, h.alloc(4)), Errno.INVAL);
  const { result, read } = poll(h, [{ userdata: 1n, clock: { id: ClockId.PROCESS_CPUTIME, timeoutNs: 10n * MS } }]);
  assert.equal(result, Errno.SUCCESS);
  assert.deepEqual(read().map((e) => [e.userdata, e.error]), [[1n, Errno.INVAL]]);
});

test("subscriptions or events outside memory trap before anything is written", () => {
  const h = harness();
  const end = h.memory.buffer.byteLength;
  const isTrap = (e: unknown) => e instanceof Trap && e.kind === "memory_out_of_bounds";
  assert.throws(() => h.call("poll_oneoff", end - 40, h.alloc(32), 1, h.alloc(4)), isTrap);
  assert.throws(() => h.call("poll_oneoff", h.alloc(48), end - 16, 1, h.alloc(4)), isTrap);
  assert.throws(() => h.call("poll_oneoff", h.alloc(48), h.alloc(32), 1, end), isTrap);
  assert.throws(() => h.call("poll_oneoff", 0, 0, 0x0800_0000, h.alloc(4)), isTrap, "a count whose array passes 4 GiB");
  assert.throws(() => h.call("poll_oneoff", 0, 4096, 0x0555_5556, h.alloc(4)), isTrap, "48 × count wraps to 32 bytes in u32");
});
