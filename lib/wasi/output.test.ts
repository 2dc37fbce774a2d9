import assert from "node:assert/strict";
import { test } from "node:test";
import { OutputSink } from "./output";

const bytes = (text: string) => new TextEncoder().encode(text);

test("cuts tiny writes into lines and keeps a partial line until flushed", () => {
  const sink = new OutputSink();
  for (const ch of "ab\r\ncd\nef") sink.write(bytes(ch));
  assert.deepEqual(sink.drain(false), { lines: ["ab", "cd"], dropped: 0 });
  assert.deepEqual(sink.drain(true), { lines: ["ef"], dropped: 0 });
});

test("a multi-byte character split across writes decodes whole", () => {
  const sink = new OutputSink();
  const euro = bytes("€\n");
  sink.write(euro.subarray(0, 1));
  sink.write(euro.subarray(1));
  assert.deepEqual(sink.drain(true).lines, ["€"]);
});

test("lines past the limit are counted, not kept", () => {
  const sink = new OutputSink(2);
  sink.write(bytes("1\n2\n3\n4\n"));
  assert.deepEqual(sink.drain(true), { lines: ["1", "2"], dropped: 2 });
});
