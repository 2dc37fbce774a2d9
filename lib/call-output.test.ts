import assert from "node:assert/strict";
import { test } from "node:test";
import { CallOutput, OUTPUT_CHARS_PER_CALL, OUTPUT_LINES_PER_CALL } from "./call-output";

test("keeps at most OUTPUT_LINES_PER_CALL lines over both streams and counts the rest", () => {
  const output = new CallOutput();
  output.add("stdout", Array.from({ length: 700 }, (_, i) => `out ${i}`));
  output.add("stderr", Array.from({ length: 700 }, (_, i) => `err ${i}`));
  assert.equal(OUTPUT_LINES_PER_CALL, 1_000);
  assert.equal(output.kept.stdout.length, 700);
  assert.equal(output.kept.stderr.length, 300);
  assert.equal(output.kept.stderr.at(-1), "err 299");
  assert.equal(output.dropped, 400);
});

test("keeps at most OUTPUT_CHARS_PER_CALL characters: a line that would pass it is dropped, a shorter one after it kept", () => {
  const output = new CallOutput();
  const line = "x".repeat(64 * 1024);
  output.add("stdout", Array.from({ length: 16 }, () => line)); // exactly 1 MiB
  assert.equal(OUTPUT_CHARS_PER_CALL, 16 * line.length);
  output.add("stdout", ["y"]);
  output.add("stderr", [""]);
  assert.equal(output.kept.stdout.length, 16);
  assert.deepEqual(output.kept.stderr, [""]);
  assert.equal(output.dropped, 1);
});

test("streams kept lines to the listener, in order, and never the dropped ones", () => {
  const streamed: string[] = [];
  const output = new CallOutput((stream, lines) => streamed.push(...lines.map((l) => `${stream}:${l}`)));
  output.add("stdout", Array.from({ length: 1_001 }, (_, i) => String(i)));
  output.flush();
  assert.equal(streamed.length, 1_000);
  assert.equal(streamed[0], "stdout:0");
  assert.equal(streamed.at(-1), "stdout:999");
  output.flush();
  assert.equal(streamed.length, 1_000, "a second flush sends nothing again");
});
