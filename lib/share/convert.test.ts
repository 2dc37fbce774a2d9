// The workbench's state through a share and back (app/components/share/convert.ts): what the
// user edited survives, view details do not travel.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromShareState, toShareState } from "../../app/components/share/convert";
import { initialState, type WorkbenchState } from "../../app/components/workbench/state";
import { decodeState, encodeState } from "./codec";

const edited: WorkbenchState = {
  ...initialState(),
  example: "hello",
  label: "hello",
  language: "rust",
  kind: "reactor",
  buffers: { source: "fn main() {}\n", manifest: '[extension]\nname = "hello"\n' },
  env: "TERM=dumb\n# kept comment",
  stdin: "input\n",
  args: 'one "two words" \'say "hi"\'',
  tree: { "/data": null, "/data/a.txt": "text", "/data/b.bin": new Uint8Array([0, 255, 7]) },
  event: "pane.focus",
  payload: '{ "pane_id": 3 }',
  hook: "on_focus",
  sideTab: "files",
  activeFile: "manifest",
};

describe("workbench state through a share", () => {
  test("sources: every edited field comes back; view details reset", () => {
    const shared = toShareState(edited, undefined);
    assert.ok(shared);
    assert.deepEqual(shared.extension, { kind: "sources", language: "rust", label: "hello", example: "hello", program: "reactor", tabs: [{ name: "lib.rs", text: "fn main() {}\n" }] });
    assert.deepEqual(shared.args, ["one", "two words", 'say "hi"']);
    const { state, module } = fromShareState(decodeState(encodeState(shared)));
    assert.equal(module, undefined);
    for (const key of ["example", "label", "language", "kind", "buffers", "env", "stdin", "tree", "event", "payload", "hook"] as const) {
      assert.deepEqual(state[key], edited[key], key);
    }
    assert.equal(state.args, 'one "two words" \'say "hi"\'');
    assert.equal(state.sideTab, "output");
    assert.equal(state.activeFile, "source");
  });

  test("an upload shares its module bytes and comes back as an upload", () => {
    const upload: WorkbenchState = { ...edited, language: "none", buffers: { source: "", manifest: edited.buffers.manifest } };
    const { example: _example, ...withoutExample } = upload;
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const shared = toShareState(withoutExample, { label: "mine.wasm", fileName: "mine.wasm", bytes });
    assert.equal(shared?.extension.kind, "module");
    const restored = fromShareState(decodeState(encodeState(shared!)));
    assert.deepEqual(restored.module, { label: "mine.wasm", fileName: "mine.wasm", bytes });
    assert.equal(restored.state.language, "none");
    assert.deepEqual(restored.state.build, { state: "uploaded" });
    assert.equal(restored.state.buffers.manifest, edited.buffers.manifest);
  });

  test("nothing to share without source or module", () => {
    assert.equal(toShareState(initialState(), undefined), undefined);
  });
});
