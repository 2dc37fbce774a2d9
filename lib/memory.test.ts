import assert from "node:assert/strict";
import { test } from "node:test";
import { utf8Prefix } from "./memory";

const utf8 = (text: string) => new TextEncoder().encode(text);

test("utf8Prefix cuts before a sequence the limit would split, and keeps whole ones", () => {
  const text = utf8("ab€"); // € is 3 bytes: e2 82 ac
  assert.deepEqual([...utf8Prefix(text, 3)], [...utf8("ab")]);
  assert.deepEqual([...utf8Prefix(text, 4)], [...utf8("ab")]);
  assert.deepEqual([...utf8Prefix(text, 5)], [...text]);
  assert.deepEqual([...utf8Prefix(utf8("a😀"), 4)], [...utf8("a")]);
  assert.deepEqual([...utf8Prefix(utf8("a😀"), 5)], [...utf8("a😀")]);
  assert.deepEqual([...utf8Prefix(utf8("abc"), 2)], [...utf8("ab")]);
});
