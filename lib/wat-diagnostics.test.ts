import assert from "node:assert/strict";
import { test } from "node:test";
import wabtInit from "wabt";
import { parseWabtErrors } from "./wat-diagnostics";

async function wabtError(source: string): Promise<string> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat("source.wat", source);
  try {
    mod.resolveNames();
    mod.validate();
  } finally {
    mod.destroy();
  }
  return "";
}

test("a parse error from wabt becomes a diagnostic at its line, column and token span", async () => {
  const message = await wabtError("(module\n  (func $f (result i32)\n    i32.const 1\n    i32.bogus))\n").then(
    () => "",
    (error: Error) => error.message,
  );
  assert.deepEqual(parseWabtErrors(message), [
    {
      severity: "error",
      message: "unexpected token i32.bogus, expected ).",
      line: 4,
      column: 5,
      endLine: 4,
      endColumn: 14,
      rendered: "source.wat:4:5: error: unexpected token i32.bogus, expected ).\n    i32.bogus))\n    ^^^^^^^^^",
    },
  ]);
});

test("a validation error is located too", async () => {
  const message = await wabtError("(module\n  (func $f (result i32)\n    local.get 0))\n").then(
    () => "",
    (error: Error) => error.message,
  );
  const [first] = parseWabtErrors(message);
  assert.equal(first?.message, "local variable out of range (max 0)");
  assert.deepEqual([first?.line, first?.column], [3, 15]);
});

test("text without locations gives no diagnostics", () => {
  assert.deepEqual(parseWabtErrors("something else went wrong"), []);
});
