import assert from "node:assert/strict";
import { test } from "node:test";
import { Errno } from "./errno";
import { POOL_BYTES, POOLED_REQUEST_BYTES, RandomPool } from "./random-pool";
import { harness } from "./test-support";

/** A source that numbers the bytes it makes (0, 1, 2, …, wrapping at 2^32 in four bytes). */
function countingSource() {
  const state = { draws: 0, made: 0 };
  const source = (bytes: Uint8Array) => {
    state.draws++;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i + 4 <= bytes.length; i += 4) view.setUint32(i, state.made++, true);
  };
  return { state, source };
}

test("the pool hands out consecutive fresh bytes and draws again when the rest is too short", () => {
  const { state, source } = countingSource();
  const pool = new RandomPool(64, source);
  assert.equal(state.draws, 0, "nothing is drawn before the first request");
  assert.equal(pool.take(16), 0);
  assert.equal(state.draws, 1);
  assert.equal(pool.take(40), 16);
  // 8 bytes are left: a 16-byte request throws them away and draws a whole new pool.
  assert.equal(pool.take(16), 0);
  assert.equal(state.draws, 2);
  assert.equal(pool.view.getUint32(0, true), 16, "the second draw's first word, not the first's");
  assert.equal(pool.take(48), 16, "exactly the rest");
  assert.equal(pool.take(1), 0);
  assert.equal(state.draws, 3);
});

test("random_get never hands the same pool bytes out twice, across refills", () => {
  const h = harness();
  const buf = h.alloc(16);
  const seen = new Set<string>();
  // Three pools' worth of 16-byte requests: every one is a distinct 128-bit value.
  const requests = (3 * POOL_BYTES) / 16;
  for (let i = 0; i < requests; i++) {
    assert.equal(h.call("random_get", buf, 16), Errno.SUCCESS);
    seen.add(Buffer.from(new Uint8Array(h.memory.buffer, buf, 16)).toString("hex"));
  }
  assert.equal(seen.size, requests);
});

test("random_get fills exactly the range asked for, pooled or direct, and 0 bytes touches nothing", () => {
  const h = harness();
  for (const length of [1, 3, 16, 63, 64, 65, POOLED_REQUEST_BYTES, POOLED_REQUEST_BYTES + 1, 70_000]) {
    const buf = h.alloc(length + 16);
    const bytes = new Uint8Array(h.memory.buffer, buf, length + 16);
    bytes.fill(0xa5);
    assert.equal(h.call("random_get", buf + 8, length), Errno.SUCCESS);
    assert.ok(bytes.subarray(0, 8).every((b) => b === 0xa5), `${length}: the bytes before are untouched`);
    assert.ok(bytes.subarray(8 + length).every((b) => b === 0xa5), `${length}: the bytes after are untouched`);
    if (length >= 16) assert.ok(bytes.subarray(8, 8 + length).some((b) => b !== 0xa5), `${length}: the range was written`);
  }
  const buf = h.alloc(8);
  new Uint8Array(h.memory.buffer, buf, 8).fill(7);
  assert.equal(h.call("random_get", buf, 0), Errno.SUCCESS);
  assert.deepEqual([...new Uint8Array(h.memory.buffer, buf, 8)], [7, 7, 7, 7, 7, 7, 7, 7]);
});

test("random_get past the end of memory traps before making any bytes", () => {
  const h = harness();
  const end = h.memory.buffer.byteLength;
  assert.throws(() => h.call("random_get", end - 8, 16), (e: unknown) => e instanceof Error && /random_get: range 0x1fff8\.\.0x20008 \(16 bytes\)/.test(e.message));
});
