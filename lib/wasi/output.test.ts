import assert from "node:assert/strict";
import { test } from "node:test";
import { LINE_BYTES, OutputSink } from "./output";

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

test("a line longer than LINE_BYTES is split there, so no line grows without bound", () => {
  const sink = new OutputSink();
  sink.write(new Uint8Array(LINE_BYTES + 10).fill(0x61));
  sink.write(bytes("\n"));
  const { lines } = sink.drain(true);
  assert.deepEqual(lines.map((l) => l.length), [LINE_BYTES, 10]);
});

test("many writes into one line keep every byte", () => {
  const sink = new OutputSink();
  for (let i = 0; i < 1000; i++) sink.write(bytes("xy"));
  sink.write(bytes("\n"));
  assert.deepEqual(sink.drain(false).lines, ["xy".repeat(1000)]);
});
