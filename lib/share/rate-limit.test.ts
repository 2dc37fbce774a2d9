import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RateLimiter, clientAddress } from "./rate-limit";

describe("rate limiter", () => {
  test("allows the burst, then answers with whole seconds until the next token", () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ burst: 3, refillSeconds: 20, maxClients: 100 }, () => now);
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take("a"), { allowed: true });
    assert.deepEqual(limiter.take("a"), { allowed: false, retryAfterSeconds: 20 });
    assert.deepEqual(limiter.take("b"), { allowed: true }, "another client has its own bucket");
    now += 15_000;
    assert.deepEqual(limiter.take("a"), { allowed: false, retryAfterSeconds: 5 });
    now += 5_000;
    assert.deepEqual(limiter.take("a"), { allowed: true });
    assert.deepEqual(limiter.take("a"), { allowed: false, retryAfterSeconds: 20 });
  });

  test("tracks a bounded number of clients", () => {
    const limiter = new RateLimiter({ burst: 1, refillSeconds: 60, maxClients: 10 }, () => 0);
    for (let i = 0; i < 1000; i++) limiter.take(`client-${i}`);
    assert.equal((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size, 10);
  });

  test("the client is the last X-Forwarded-For entry", () => {
    assert.equal(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.5, 10.0.0.1" })), "10.0.0.1");
    assert.equal(clientAddress(new Headers({ "x-forwarded-for": "::1" })), "::1");
    assert.equal(clientAddress(new Headers()), "unknown");
  });
});
