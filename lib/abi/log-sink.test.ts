import assert from "node:assert/strict";
import { test } from "node:test";
import { GuestMemory } from "../memory";
import { CALL_BYTES, LogSink } from "./log-sink";

/** Guest memory holding `text` at `ptr`. */
function memoryWith(ptr: number, text: string): GuestMemory {
  const wasm = new WebAssembly.Memory({ initial: 1 });
  new Uint8Array(wasm.buffer).set(new TextEncoder().encode(text), ptr);
  const memory = new GuestMemory();
  memory.attach(wasm);
  return memory;
}

test("lines of every length and alignment, pushed from memory and from views, drain exactly and in order", () => {
  const text = "abcdefghijklmnopqrstuvwxyz0123456789é✓";
  const memory = memoryWith(1001, text);
  const bytes = new TextEncoder().encode(text);
  const sink = new LogSink();
  const expected: string[] = [];
  for (let length = 0; length <= 20; length++) {
    for (const offset of [0, 1, 2, 3]) {
      memory.bytes();
      sink.pushRange(length % 5, memory, 1001 + offset, length);
      expected.push(text.slice(offset, offset + length));
      sink.push(1, bytes.subarray(offset, offset + length));
      expected.push(text.slice(offset, offset + length));
    }
  }
  const lines = sink.drain();
  assert.deepEqual(lines.map((l) => l.message), expected);
  assert.equal(lines[9]?.level, 1);
  assert.equal(lines[8]?.level, 1 % 5);
  assert.deepEqual(sink.drain(), [], "drained");
});

test("the per-call byte limit counts the messages' bytes, not the arena's word padding", () => {
  // 4001-byte messages: 262 fit in 1 MiB (1,048,262 bytes); rounded up to words they would be 261.
  const memory = memoryWith(0, "m".repeat(4001));
  const sink = new LogSink(1000);
  memory.bytes();
  for (let i = 0; i < 300; i++) sink.pushRange(2, memory, 0, 4001);
  assert.equal(Math.floor(CALL_BYTES / 4001), 262);
  assert.equal(sink.dropped, 300 - 262);
  const lines = sink.drain();
  assert.equal(lines.length, 262);
  assert.ok(lines.every((l) => l.message === "m".repeat(4001)));
});

test("a negative level keeps its sign", () => {
  const sink = new LogSink();
  sink.push(-3, new TextEncoder().encode("x"));
  assert.deepEqual(sink.drain(), [{ level: -3, levelName: "LEVEL(-3)", message: "x" }]);
});
