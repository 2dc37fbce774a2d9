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

test("short lines decode the same whether ASCII or not, in one write or byte by byte", () => {
  const sink = new OutputSink();
  const head = bytes("plain ascii\ncafé ☕\r\nbad ");
  const tail = bytes(` byte\n${"y".repeat(64)}\n${"z".repeat(65)}\n`);
  const raw = Uint8Array.from([...head, 0xff, ...tail]); // a lone 0xff: not UTF-8
  sink.write(raw);
  const whole = sink.drain(true).lines;
  for (const b of raw) sink.write(Uint8Array.of(b));
  const bytewise = sink.drain(true).lines;
  const expected = ["plain ascii", "café ☕", "bad \uFFFD byte", "y".repeat(64), "z".repeat(65)];
  assert.deepEqual(whole, expected);
  assert.deepEqual(bytewise, expected);
});
