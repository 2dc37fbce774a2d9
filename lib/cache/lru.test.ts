import assert from "node:assert/strict";
import { test } from "node:test";
import { LruCache } from "./lru";

test("evicts the least recently used entry, and reading refreshes an entry", () => {
  const cache = new LruCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1);
  cache.set("c", 3);
  assert.deepEqual(cache.keys(), ["a", "c"]);
  assert.equal(cache.get("b"), undefined);
  cache.set("a", 10);
  assert.deepEqual(cache.keys(), ["c", "a"]);
  assert.equal(cache.size, 2);
});

test("capacity must be at least 1", () => {
  assert.throws(() => new LruCache(0), RangeError);
});

test("find returns the first matching value, oldest first, without refreshing it", () => {
  const cache = new LruCache<string, number>(3);
  cache.set("a", 1);
  cache.set("b", 2);
  cache.set("c", 3);
  assert.equal(cache.find((v) => v >= 2), 2);
  assert.equal(cache.find((v) => v > 3), undefined);
  assert.deepEqual(cache.keys(), ["a", "b", "c"]);
});
