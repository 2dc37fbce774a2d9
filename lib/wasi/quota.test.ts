import assert from "node:assert/strict";
import { test } from "node:test";
import { Errno } from "./errno";
import { release, resize, type FileQuota } from "./quota";

test("a file may not pass the per-file limit; all files not the total", () => {
  const quota: FileQuota = { maxFileBytes: 100, totalBytes: 150, usedBytes: 20 };
  assert.equal(resize(quota, 0, 101), Errno.FBIG);
  assert.equal(resize(quota, 0, 100), Errno.SUCCESS);
  assert.equal(quota.usedBytes, 120);
  assert.equal(resize(quota, 0, 31), Errno.NOSPC);
  assert.equal(quota.usedBytes, 120, "nothing recorded on failure");
  assert.equal(resize(quota, 100, 10), Errno.SUCCESS);
  assert.equal(quota.usedBytes, 30);
  release(quota, 10);
  assert.equal(quota.usedBytes, 20);
});
