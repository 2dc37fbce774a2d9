/**
 * `POST /api/build` and `POST /api/format` as Next calls them (the route modules' `POST`
 * with a real `Request`), over the real sandbox: the statuses of the contract in
 * `lib/build/types.ts` and the errors that name the field or the cap.
 */

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Abandoned, QueueFull } from "../commands/concurrency";
import { errorResponse } from "./service";
import { temporaryDir } from "./test-support";
import type { BuildResponse, FormatResponse, RouteError } from "./types";

const SLOW = { timeout: 300_000 };
let data: ReturnType<typeof temporaryDir>;
let buildRoute: (request: Request) => Promise<Response>;
let formatRoute: (request: Request) => Promise<Response>;

before(async () => {
  // The routes' shared builder caches under PLAYGROUND_DATA_DIR, read when it is first used.
  data = temporaryDir("build-routes-");
  process.env.PLAYGROUND_DATA_DIR = data.dir;
  buildRoute = (await import("../../app/api/build/route")).POST;
  formatRoute = (await import("../../app/api/format/route")).POST;
});
after(() => {
  delete process.env.PLAYGROUND_DATA_DIR;
  data.remove();
});

function post(body: string): Request {
  return new Request("http://localhost/api/build", { method: "POST", body, headers: { "content-type": "application/json" } });
}

async function answer<T>(response: Promise<Response>): Promise<{ status: number; body: T }> {
  const r = await response;
  return { status: r.status, body: (await r.json()) as T };
}

describe("POST /api/build", () => {
  it("builds, then answers from the cache stored under PLAYGROUND_DATA_DIR", SLOW, async () => {
    const body = JSON.stringify({ language: "c", source: '__attribute__((export_name("one"))) int one(void) { return 1; }\n' });
    const first = await answer<BuildResponse>(buildRoute(post(body)));
    assert.equal(first.status, 200);
    assert.equal(first.body.ok && first.body.cached, false);
    const second = await answer<BuildResponse>(buildRoute(post(body)));
    assert.ok(second.body.ok && first.body.ok);
    assert.equal(second.body.cached, true);
    assert.equal(second.body.sha256, first.body.sha256);
    const entries = fs.readdirSync(path.join(data.dir, "builds"), { recursive: true }).map(String);
    assert.equal(entries.filter((e) => /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(e)).length, 1);
  });

  it("builds the size profile (opt-level=s, LTO) smaller than the release one, cached apart", SLOW, async () => {
    // A Rust reactor that pulls in std's formatting: LTO drops the parts of std it does not reach.
    const source = 'extern "C" { fn ft_log(level: u32, ptr: *const u8, len: u32); }\n#[no_mangle]\npub extern "C" fn on_event() -> i32 {\n    let text = format!("{:?}", (1.5f64, "x", [1u8, 2]));\n    unsafe { ft_log(2, text.as_ptr(), text.len() as u32) };\n    0\n}\n';
    const release = await answer<BuildResponse>(buildRoute(post(JSON.stringify({ language: "rust", source }))));
    const size = await answer<BuildResponse>(buildRoute(post(JSON.stringify({ language: "rust", source, profile: "size" }))));
    assert.ok(release.body.ok && size.body.ok, JSON.stringify([release.body, size.body]).slice(0, 400));
    assert.equal(size.body.cached, false, "the size profile is its own cache entry");
    const bytes = (b64: string) => Buffer.from(b64, "base64").length;
    assert.ok(bytes(size.body.wasm) < bytes(release.body.wasm), `size ${bytes(size.body.wasm)} B, release ${bytes(release.body.wasm)} B`);
    const again = await answer<BuildResponse>(buildRoute(post(JSON.stringify({ language: "rust", source, profile: "size" }))));
    assert.ok(again.body.ok && again.body.cached);
    assert.equal(again.body.sha256, size.body.sha256);
  });

  it("answers a failed compile with 200 and ok: false", SLOW, async () => {
    const { status, body } = await answer<BuildResponse>(buildRoute(post(JSON.stringify({ language: "rust", source: "pub fn f( {}\n" }))));
    assert.equal(status, 200);
    assert.equal(body.ok, false);
    assert.match(!body.ok ? body.error : "", /^build failed \(\d+ errors?\): lib\.rs:\d+:\d+: /);
    assert.equal(!body.ok ? body.diagnostics[0]?.severity : undefined, "error");
  });

  it("refuses a bad body with 400 naming the field", async () => {
    const cases: Array<[string, RegExp]> = [
      ["{", /^the body is not JSON: /],
      ["[]", /^the body must be a JSON object/],
      [JSON.stringify({ source: "" }), /^"language" must be "rust" or "c", got nothing$/],
      [JSON.stringify({ language: "go", source: "" }), /^"language" must be "rust" or "c", got "go"$/],
      [JSON.stringify({ language: "c", source: 1 }), /^"source" must be a string, got number$/],
      [JSON.stringify({ language: "c", source: "", kind: "library" }), /^"kind" must be "reactor" or "command"/],
      [JSON.stringify({ language: "c", source: "", profile: "fast" }), /^"profile" must be "release" or "size" \(or left out: "release"\), got "fast"$/],
    ];
    for (const [body, message] of cases) {
      const { status, body: error } = await answer<RouteError>(buildRoute(post(body)));
      assert.equal(status, 400, body);
      assert.match(error.error, message, body);
    }
  });

  it("refuses a source over its cap with 413 naming the cap, and a body over its own", async () => {
    const source = "x".repeat(256 * 1024 + 1);
    const big = await answer<RouteError>(buildRoute(post(JSON.stringify({ language: "c", source }))));
    assert.deepEqual(big, { status: 413, body: { error: `"source" is ${256 * 1024 + 1} bytes, over the cap of 256 KiB (maxSourceBytes)` } });
    const huge = await answer<RouteError>(buildRoute(post(JSON.stringify({ language: "c", source: "x".repeat(2 * 1024 * 1024) }))));
    assert.deepEqual(huge, { status: 413, body: { error: "the request body is over the cap of 2 MiB (maxRequestBytes)" } });
  });
});

describe("errors of the service", () => {
  it("answers 503 naming the queue's cap, 499 for a request that left, 500 with the cause", async () => {
    const busy = await answer<RouteError>(Promise.resolve(errorResponse(new QueueFull(1000), { maxQueued: 1000 })));
    assert.deepEqual(busy, { status: 503, body: { error: "1000 builds are already waiting (the queue's cap, maxQueued, is 1000); try again shortly" } });
    assert.equal(errorResponse(new Abandoned(), { maxQueued: 1 }).status, 499);
    const broken = await answer<RouteError>(Promise.resolve(errorResponse(new Error("bwrap cannot be started"), { maxQueued: 1 })));
    assert.deepEqual(broken, { status: 500, body: { error: "the build service failed: bwrap cannot be started" } });
  });
});

describe("POST /api/format", () => {
  it("formats, or answers the formatter's error; 400 and 413 as the build route", SLOW, async () => {
    const formatted = await answer<FormatResponse>(formatRoute(post(JSON.stringify({ language: "rust", source: "fn f(){let x=1;}" }))));
    assert.deepEqual(formatted, { status: 200, body: { ok: true, source: "fn f() {\n    let x = 1;\n}\n" } });
    const refused = await answer<FormatResponse>(formatRoute(post(JSON.stringify({ language: "rust", source: "fn f( {" }))));
    assert.equal(refused.status, 200);
    assert.match(!refused.body.ok ? refused.body.error : "", /unclosed delimiter/);
    assert.equal((await formatRoute(post(JSON.stringify({ language: "wat", source: "" })))).status, 400);
    assert.equal((await formatRoute(post(JSON.stringify({ language: "c", source: "x".repeat(300_000) })))).status, 413);
  });
});
