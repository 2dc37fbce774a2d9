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

test("streams at most every 50 ms on the write's own clock reading, when the write passes one", () => {
  const batches: string[][] = [];
  const output = new CallOutput((_, lines) => batches.push([...lines]));
  output.add("stdout", ["a"], 1_000); // 1,000 ms after the last send (never): sent now
  output.add("stdout", ["b"], 1_020); // 20 ms later: held
  output.add("stdout", ["c"], 1_049.9);
  assert.deepEqual(batches, [["a"]]);
  output.add("stdout", ["d"], 1_050); // 50 ms after "a": sent with what was held
  assert.deepEqual(batches, [["a"], ["b", "c", "d"]]);
  output.add("stdout", ["e"], Number.NaN); // no reading passed: CallOutput reads the clock itself
  output.flush();
  assert.deepEqual(batches.flat(), ["a", "b", "c", "d", "e"]);
});
