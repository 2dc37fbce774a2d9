import assert from "node:assert/strict";
import { test } from "node:test";
import { Errno } from "./errno";
import { errnoFromErrorCode, errnoFromThrown, isErrorCode } from "./error-map";

test("preview2 error codes map to wasmtime's errno", () => {
  assert.equal(errnoFromErrorCode("no-entry"), Errno.NOENT);
  assert.equal(errnoFromErrorCode("not-permitted"), Errno.PERM);
  assert.equal(errnoFromErrorCode("access"), Errno.ACCES);
  assert.equal(errnoFromErrorCode("invalid-seek"), Errno.SPIPE);
  assert.equal(errnoFromErrorCode("would-block"), Errno.AGAIN);
  assert.equal(errnoFromErrorCode("no-such-device"), Errno.NXIO);
  assert.equal(errnoFromErrorCode("cross-device"), Errno.XDEV);
});

test("anything else thrown is EIO", () => {
  assert.ok(isErrorCode("exist"));
  assert.ok(!isErrorCode("nonsense"));
  assert.equal(errnoFromThrown("exist"), Errno.EXIST);
  assert.equal(errnoFromThrown("nonsense"), Errno.IO);
  assert.equal(errnoFromThrown(new TypeError("excessively large number")), Errno.IO);
  assert.equal(errnoFromThrown({ tag: "closed" }), Errno.IO);
});
