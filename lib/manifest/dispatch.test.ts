import assert from "node:assert/strict";
import { test } from "node:test";
import { matchingHooks } from "./dispatch";

const hooks = [
  { event: "pane.*", handler: "a" },
  { event: "config.reload", handler: "b" },
  { event: "*", handler: "c" },
  { event: "pane.focus", handler: "d" },
];

test("matches exact names, * and prefix.* in manifest order", () => {
  assert.deepEqual(matchingHooks(hooks, "pane.focus").map((h) => h.handler), ["a", "c", "d"]);
  assert.deepEqual(matchingHooks(hooks, "config.reload").map((h) => h.handler), ["b", "c"]);
  assert.deepEqual(matchingHooks(hooks, "tab.closed").map((h) => h.handler), ["c"]);
});

test("a prefix pattern needs the dot: pane.* does not match panes.x", () => {
  assert.deepEqual(matchingHooks([{ event: "pane.*", handler: "a" }], "panel.open"), []);
});
