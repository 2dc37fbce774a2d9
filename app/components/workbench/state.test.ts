import assert from "node:assert/strict";
import { test } from "node:test";
import { initialState, prettyPayload, splitArgs, update, type OpenedExample } from "./state";

const hello: OpenedExample = { example: "hello", label: "hello", language: "rust", kind: "reactor", source: "fn x() {}", manifest: "[extension]" };

test("the state is plain data: it survives a JSON round trip", () => {
  let state = update(initialState(), { type: "open-example", opened: hello });
  state = update(state, { type: "edit", file: "source", text: "fn y() {}" });
  state = update(state, { type: "build-finished", build: { state: "failed", error: "nope", limit: "wall" }, diagnostics: [{ severity: "error", message: "m", line: 1, column: 2 }] });
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
});

test("opening an example replaces the buffers, resets the build, and fills stdin only when it ships one", () => {
  let state = update(initialState(), { type: "set-stdin", text: "mine" });
  state = update(state, { type: "build-finished", build: { state: "failed", error: "x" }, diagnostics: [{ severity: "error", message: "m", line: 1, column: 1 }] });
  state = update(state, { type: "open-example", opened: hello });
  assert.deepEqual([state.buffers, state.build, state.diagnostics, state.stdin], [{ source: "fn x() {}", manifest: "[extension]" }, { state: "prebuilt" }, [], "mine"]);
  state = update(state, { type: "open-example", opened: { ...hello, example: "conformance/stdin-rs", stdin: "line one\n" } });
  assert.equal(state.stdin, "line one\n");
});

test("an upload forgets the previous example's source and manifest", () => {
  let state = update(initialState(), { type: "open-example", opened: hello });
  state = update(state, { type: "open-upload", label: "other.wasm", manifest: "" });
  assert.deepEqual([state.example, state.label, state.language, state.buffers, state.activeFile], [undefined, "other.wasm", "none", { source: "", manifest: "" }, "manifest"]);
});

test("choosing an event puts its documented payload in the editor", () => {
  const state = update(initialState(), { type: "choose-event", event: "pane.output" });
  assert.equal(state.payload, prettyPayload("pane.output"));
  assert.match(state.payload, /"text": "ls -l\\n"/);
});

test("update never changes the state it is given", () => {
  const before = initialState();
  const copy = structuredClone(before);
  update(before, { type: "edit", file: "manifest", text: "x" });
  update(before, { type: "set-tree", tree: {} });
  assert.deepEqual(before, copy);
});

test("splitArgs separates on spaces and groups quoted words", () => {
  assert.deepEqual(splitArgs(`one "two three"  'four five' six`), ["one", "two three", "four five", "six"]);
  assert.deepEqual(splitArgs("   "), []);
  assert.deepEqual(splitArgs('""'), [""]);
});

test("a call's file snapshot replaces the preopened folders and keeps the rest of the tree", () => {
  let state = update(initialState(), { type: "set-tree", tree: { "/data": null, "/data/a.txt": "a", "/work": null, "/work/old.txt": "old" } });
  state = update(state, { type: "merge-files", snapshot: { "/work": null, "/work/new.txt": new TextEncoder().encode("new") }, preopens: ["/work"] });
  assert.deepEqual(state.tree, { "/data": null, "/data/a.txt": "a", "/work": null, "/work/new.txt": "new" });
});
