import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { classifyThrown, ProcExit, Trap } from "./traps";

/** Calls `on_reload` of a built hostile example and returns what it threw. */
function thrownBy(example: string): unknown {
  const bytes = readFileSync(new URL(`../public/extensions/hostile/${example}.wasm`, import.meta.url));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  try {
    (instance.exports.on_reload as () => void)();
  } catch (error) {
    return error;
  }
  assert.fail(`${example} did not throw`);
}

test("unreachable names the trap kind and the function from the name section", () => {
  assert.deepEqual(classifyThrown(thrownBy("unreachable")), { kind: "unreachable", message: "unreachable in function explode (#0)" });
});

test("unbounded recursion is a stack overflow in the recursing function", () => {
  const { kind, message } = classifyThrown(thrownBy("recursion"));
  assert.equal(kind, "stack_overflow");
  assert.match(message, /^call stack exhausted in function deeper \(#0\)/);
});

test("a host Trap keeps its kind; anything else thrown is a host error", () => {
  assert.deepEqual(classifyThrown(new Trap("out_of_fuel", "out of fuel")), { kind: "out_of_fuel", message: "out of fuel" });
  assert.deepEqual(classifyThrown(new TypeError("boom")), { kind: "host", message: "TypeError: boom" });
  assert.equal(new ProcExit(3).code, 3);
});
