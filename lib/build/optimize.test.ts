/**
 * `POST /api/optimize` as Next calls it, over the real sandbox and Debian's wasm-opt: the
 * sizes it reports are those of the module wasm-opt writes, and bad bodies are refused.
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type { OptimizeResponse } from "./optimize";

let route: (request: Request) => Promise<Response>;
before(async () => {
  route = (await import("../../app/api/optimize/route")).POST;
});

const post = (body: Uint8Array<ArrayBuffer>) => new Request("http://localhost/api/optimize", { method: "POST", body, headers: { "content-type": "application/wasm" } });

describe("POST /api/optimize", () => {
  it("reports what wasm-opt -Oz saves on an example, the same as running it directly", { timeout: 120_000 }, async () => {
    const wasm = new Uint8Array(fs.readFileSync(new URL("../../public/extensions/env-reader.wasm", import.meta.url))) as Uint8Array<ArrayBuffer>;
    const response = await route(post(wasm));
    assert.equal(response.status, 200);
    const body = (await response.json()) as OptimizeResponse;
    assert.ok(body.ok, JSON.stringify(body));
    // The reference: the same command outside the sandbox.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "optimize-test-"));
    try {
      fs.writeFileSync(path.join(dir, "in.wasm"), wasm);
      execFileSync("/usr/bin/wasm-opt", ["-Oz", "--all-features", path.join(dir, "in.wasm"), "-o", path.join(dir, "out.wasm")]);
      assert.deepEqual([body.inputBytes, body.optimizedBytes], [wasm.length, fs.statSync(path.join(dir, "out.wasm")).size]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(body.optimizedBytes < body.inputBytes);
  });

  it("refuses a body that is not a module, naming what it got", async () => {
    const body = (await (await route(post(new TextEncoder().encode("hello")))).json()) as OptimizeResponse;
    assert.deepEqual(body, { ok: false, error: "the body is not a WebAssembly module (5 bytes; a module starts with 00 61 73 6d)" });
  });

  it("passes wasm-opt's refusal of a malformed module through", { timeout: 60_000 }, async () => {
    const broken = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0xff]);
    const body = (await (await route(post(broken))).json()) as OptimizeResponse;
    assert.equal(body.ok, false);
    assert.match(body.ok ? "" : body.error, /^wasm-opt -Oz failed \(exit \d+\): /);
  });
});
