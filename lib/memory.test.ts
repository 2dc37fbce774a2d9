import assert from "node:assert/strict";
import { test } from "node:test";
import { copyBytes, copyToWords, copyWords, SHORT_COPY_BYTES, utf8Prefix } from "./memory";

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

test("copyBytes copies exactly n bytes at any alignment, word-wise and through set", () => {
  const source = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff);
  const sourceView = new DataView(source.buffer);
  for (const n of [0, 1, 3, 4, 5, 15, 16, 17, SHORT_COPY_BYTES - 1, SHORT_COPY_BYTES, SHORT_COPY_BYTES + 1, 200]) {
    for (const [from, to] of [[0, 0], [1, 3], [7, 2]] as const) {
      const target = new Uint8Array(300).fill(0xee);
      copyBytes(source, sourceView, from, target, new DataView(target.buffer), to, n);
      assert.deepEqual([...target.subarray(to, to + n)], [...source.subarray(from, from + n)], `n=${n} from=${from} to=${to}`);
      assert.ok(target.subarray(0, to).every((b) => b === 0xee) && target.subarray(to + n).every((b) => b === 0xee), `n=${n}: no byte outside the range`);
    }
  }
});

test("copyToWords copies exactly n bytes to a word offset, from any offset, and never reads past the range when unaligned", () => {
  // The source ends where the longest unaligned copy ends: a read past it would throw.
  const source = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff);
  const sourceView = new DataView(source.buffer);
  const sourceWords = new Int32Array(source.buffer);
  for (const n of [0, 1, 3, 4, 5, 15, 16, 17, SHORT_COPY_BYTES - 1, SHORT_COPY_BYTES, SHORT_COPY_BYTES + 1, 200]) {
    for (const from of [0, 4, 1, 2, 3, 256 - n]) {
      for (const to of [0, 8]) {
        const target = new Uint8Array(300).fill(0xee);
        copyToWords(source, sourceView, sourceWords, from, target, new Int32Array(target.buffer), to, n);
        const where = `n=${n} from=${from} to=${to}`;
        assert.deepEqual([...target.subarray(to, to + n)], [...source.subarray(from, from + n)], where);
        // Only the padding up to the next word may change.
        const end = (to + n + 3) & ~3;
        assert.ok(target.subarray(0, to).every((b) => b === 0xee) && target.subarray(end).every((b) => b === 0xee), `${where}: no byte outside the word-rounded range`);
      }
    }
  }
});

test("copyWords copies exactly count words, for counts on both sides of its four written-out words", () => {
  const src = Int32Array.from({ length: 12 }, (_, i) => 100 + i);
  for (let count = 0; count <= 9; count++) {
    const dst = new Int32Array(14).fill(-1);
    copyWords(src, 2, dst, 3, count);
    const expected = Array.from({ length: 14 }, (_, i) => (i >= 3 && i < 3 + count ? 102 + i - 3 : -1));
    assert.deepEqual(Array.from(dst), expected, `count ${count}`);
  }
});
