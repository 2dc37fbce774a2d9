/** The build cache's file store and entry format. */

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { buildKey, decodeCachedBuild, encodeCachedBuild, FileBuildStore } from "./cache";
import { temporaryDir } from "./test-support";

const work = temporaryDir("build-cache-");
after(() => work.remove());
const key = "ab".repeat(32);

describe("FileBuildStore", () => {
  it("stores bytes under <dir>/<2 hex>/<key> and reads them back; a missing key is undefined", async () => {
    const store = new FileBuildStore(path.join(work.dir, "a"));
    assert.equal(await store.get(key), undefined);
    await store.put(key, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await store.get(key), new Uint8Array([1, 2, 3]));
    assert.deepEqual(fs.readdirSync(path.join(work.dir, "a", "ab")), [key]);
  });

  it("leaves no temporary file, and a second put replaces the entry whole", async () => {
    const store = new FileBuildStore(path.join(work.dir, "b"));
    await Promise.all([store.put(key, new Uint8Array(100_000).fill(7)), store.put(key, new Uint8Array(100_000).fill(7))]);
    assert.deepEqual(fs.readdirSync(path.join(work.dir, "b", "ab")), [key]);
    assert.equal((await store.get(key))?.length, 100_000);
  });

  it("refuses a key that is not a SHA-256 (no path tricks)", async () => {
    const store = new FileBuildStore(path.join(work.dir, "c"));
    await assert.rejects(store.get("../../etc/passwd"), /64 lowercase hex digits/);
    await assert.rejects(store.put("AB".repeat(32), new Uint8Array(0)), RangeError);
  });

  it("defaults to <PLAYGROUND_DATA_DIR>/builds", () => {
    process.env.PLAYGROUND_DATA_DIR = "/srv/data";
    try {
      assert.equal(new FileBuildStore().dir, "/srv/data/builds");
    } finally {
      delete process.env.PLAYGROUND_DATA_DIR;
    }
    assert.equal(new FileBuildStore().dir, path.join(process.cwd(), ".data", "builds"));
  });
});

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
