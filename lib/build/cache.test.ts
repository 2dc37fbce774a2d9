/** The build cache's entry format and keys (the store itself is lib/share/store, tested there). */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildKey, decodeCachedBuild, encodeCachedBuild } from "./cache";


describe("entries and keys", () => {
  it("round-trips the module bytes and diagnostics; other bytes are a miss", () => {
    const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 10, 0, 255]);
    const diagnostics = [{ severity: "warning" as const, message: "a\nb", line: 2, column: 3 }];
    assert.deepEqual(decodeCachedBuild(encodeCachedBuild({ wasm, diagnostics })), { wasm, diagnostics });
    assert.equal(decodeCachedBuild(new Uint8Array([1, 2])), undefined);
    assert.equal(decodeCachedBuild(Buffer.from('{"v":2,"diagnostics":[]}\nx')), undefined);
  });

  it("differs when any part of the build differs", () => {
    const base = { language: "c", kind: "reactor", source: "int x;", command: ["clang", "-O2"], toolchain: "clang 14" };
    const keys = new Set([
      buildKey(base),
      buildKey({ ...base, language: "rust" }),
      buildKey({ ...base, kind: "command" }),
      buildKey({ ...base, source: "int y;" }),
      buildKey({ ...base, command: ["clang", "-O1"] }),
      buildKey({ ...base, toolchain: "clang 15" }),
    ]);
    assert.equal(keys.size, 6);
    assert.match(buildKey(base), /^[0-9a-f]{64}$/);
  });
});
