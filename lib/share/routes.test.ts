// The share routes' handlers, called as Next calls them, over the filesystem store in a
// temporary data directory (PLAYGROUND_DATA_DIR is read when the store first opens).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { deflateSync } from "fflate";
import { GET } from "../../app/api/shares/[id]/route";
import { POST } from "../../app/api/shares/route";
import { makeShareLink, readShareLink } from "./client";
import { decodeState, defaultShareLimits, encodeState } from "./codec";
import { ShareError } from "./errors";
import type { ShareErrorBody } from "./http";
import { shareIdOf } from "./shares";
import { toBase64url, type ShareState } from "./state";

const dataDir = mkdtempSync(join(tmpdir(), "share-routes-"));
process.env.PLAYGROUND_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
after(() => rmSync(dataDir, { recursive: true, force: true }));

const STATE: ShareState = {
  version: 1,
  extension: { kind: "module", name: "demo.wasm", bytes: toBase64url(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])) },
  manifest: '[extension]\nname = "demo"\n',
  environment: "",
  stdin: "",
  args: [],
  files: {},
};

let address = 0;
/** A POST from its own client address unless one is given, so tests do not share a rate-limit bucket. */
function post(body: Uint8Array, client = `198.51.100.${++address}`): Promise<Response> {
  return POST(new Request("http://localhost/api/shares", { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "x-forwarded-for": client } }));
}
function get(id: string): Promise<Response> {
  return GET(new Request(`http://localhost/api/shares/${id}`), { params: Promise.resolve({ id }) });
}
async function errorOf(response: Response): Promise<ShareErrorBody["error"]> {
  return ((await response.json()) as ShareErrorBody).error;
}

describe("POST /api/shares and GET /api/shares/<id>", () => {
  test("a stored share comes back byte for byte under its content address", async () => {
    const framed = encodeState(STATE);
    const created = await post(framed);
    assert.equal(created.status, 201);
    const { id, path } = (await created.json()) as { id: string; path: string };
    assert.equal(id, shareIdOf(framed));
    assert.equal(path, `/s/${id}`);
    const served = await get(id);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "application/octet-stream");
    const bytes = new Uint8Array(await served.arrayBuffer());
    assert.deepEqual(bytes, framed);
    assert.deepEqual(decodeState(bytes), STATE);
    // The same state again: the same id, nothing new stored.
    assert.equal(((await (await post(framed)).json()) as { id: string }).id, id);
  });

  test("an unknown id is 404 and a malformed one too", async () => {
    const unknown = await get("AAAAAAAAAAAAAAAAAAAAAA");
    assert.equal(unknown.status, 404);
    assert.deepEqual(await errorOf(unknown), { kind: "unknown-id", message: "no share is stored under AAAAAAAAAAAAAAAAAAAAAA" });
    const malformed = await get("..%2Fetc");
    assert.equal(malformed.status, 404);
    assert.equal((await errorOf(malformed)).kind, "unknown-id");
  });

  test("a corrupted entry is reported with 500 and never served", async () => {
    const framed = encodeState({ ...STATE, stdin: "to be damaged" });
    const { id } = (await (await post(framed)).json()) as { id: string };
    const file = join(dataDir, "shares", id.slice(0, 2), id);
    const record = readFileSync(file);
    record[record.length - 2]! ^= 0x20;
    writeFileSync(file, record);
    const served = await get(id);
    assert.equal(served.status, 500);
    const error = await errorOf(served);
    assert.equal(error.kind, "corrupted");
    assert.match(error.message, new RegExp(`^share ${id} is damaged in the store and was not served`));
  });

  test("bytes that do not hash to their id (a consistent record under the wrong name) are reported too", async () => {
    const framed = encodeState({ ...STATE, stdin: "renamed" });
    const { id } = (await (await post(framed)).json()) as { id: string };
    const other = encodeState({ ...STATE, stdin: "the other state" });
    const { createHash } = await import("node:crypto");
    const record = Buffer.concat([Buffer.from("FTS1"), createHash("sha256").update(other).digest(), other]);
    writeFileSync(join(dataDir, "shares", id.slice(0, 2), id), record);
    const served = await get(id);
    assert.equal(served.status, 500);
    assert.match((await errorOf(served)).message, new RegExp(`its bytes hash to ${shareIdOf(other)}$`));
  });

  test("an oversized body is 413, before the store sees it", async () => {
    const cap = defaultShareLimits().maxCompressedBytes;
    const response = await post(new Uint8Array(cap + 1));
    assert.equal(response.status, 413);
    assert.deepEqual(await errorOf(response), { kind: "oversized", message: `the share is over ${cap} bytes compressed, the most a share holds` });
  });

  test("a body that is not a valid state is 400 with its kind", async () => {
    const bomb = deflateSync(new Uint8Array(8 * 1024 * 1024), { level: 9 });
    const framed = new Uint8Array(5 + bomb.length);
    framed[0] = 1;
    new DataView(framed.buffer).setUint32(1, bomb.length, true);
    framed.set(bomb, 5);
    const cases: [Uint8Array, string][] = [
      [framed, "bomb"],
      [encodeState({ ...STATE, version: 9 } as unknown as ShareState), "unknown-version"],
      [encodeState({ ...STATE, args: "no" } as unknown as ShareState), "schema"],
      [encodeState(STATE).subarray(0, 20), "truncated"],
    ];
    for (const [body, kind] of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, kind);
      assert.equal((await errorOf(response)).kind, kind);
    }
  });

  test("the eleventh share from one address within the window is 429 with Retry-After", async () => {
    const client = "203.0.113.77";
    for (let i = 0; i < 10; i++) assert.equal((await post(encodeState({ ...STATE, stdin: `burst ${i}` }), client)).status, 201, `share ${i + 1}`);
    const refused = await post(encodeState({ ...STATE, stdin: "one too many" }), client);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.equal((await errorOf(refused)).kind, "rate-limited");
    assert.equal((await post(encodeState(STATE), "203.0.113.78")).status, 201, "another address is not limited");
  });
});

/** `fetch` answered by the route handlers themselves. */
const routes: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  if (url.pathname === "/api/shares") return POST(new Request(url, init));
  const id = decodeURIComponent(url.pathname.replace("/api/shares/", ""));
  return get(id);
};

describe("the page's share client over the routes", () => {
  test("a small state goes in the fragment, a large one is stored; both read back equal", async () => {
    const small = await makeShareLink(STATE, "http://play.test", routes);
    assert.equal(small.where, "fragment");
    const smallUrl = new URL(small.url);
    assert.equal(smallUrl.pathname, "/");
    assert.deepEqual(await readShareLink(smallUrl, "http://play.test", routes), STATE);

    const large: ShareState = { ...STATE, extension: { ...STATE.extension, bytes: toBase64url(crypto.getRandomValues(new Uint8Array(20_000))) } as ShareState["extension"] };
    const stored = await makeShareLink(large, "http://play.test", routes);
    assert.equal(stored.where, "stored");
    const storedUrl = new URL(stored.url);
    assert.match(storedUrl.pathname, /^\/s\/[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(await readShareLink(storedUrl, "http://play.test", routes), large);
    assert.equal(await readShareLink(new URL("http://play.test/"), "http://play.test", routes), undefined);
  });

  test("an unknown stored id reads as its own error", async () => {
    await assert.rejects(readShareLink({ pathname: "/s/BBBBBBBBBBBBBBBBBBBBBB", hash: "" }, "http://play.test", routes), (error: unknown) => {
      assert.ok(error instanceof ShareError);
      assert.equal(error.kind, "unknown-id");
      assert.equal(error.title, "No share with this id");
      return true;
    });
  });
});
