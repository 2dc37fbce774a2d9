import assert from "node:assert/strict";
import { readFileSync, readdirSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { BuildStore } from "../../build/cache";
import { FilesystemStore } from "./filesystem";
import { PostgresStore } from "./postgres";
import { startTestPostgres, type TestPostgres } from "./test-postgres";
import { StoreError, cacheView, defaultStoreLimits, namespaced, type ContentStore, type StoreErrorKind, type StoreLimits } from "./types";

const SMALL: StoreLimits = {
  namespaces: { shares: { maxItemBytes: 100, maxTotalBytes: 550 } },
  fallback: defaultStoreLimits().fallback,
};

/** `builds` a cache of 300 bytes (an item may be larger than that, to reach the refusal), `shares` kept as in {@link SMALL}. */
const CACHE: StoreLimits = {
  namespaces: { shares: SMALL.namespaces.shares!, builds: { maxItemBytes: 400, maxTotalBytes: 300, evict: true } },
  fallback: defaultStoreLimits().fallback,
};

const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 255);

async function refusal(kind: StoreErrorKind, run: () => Promise<unknown>): Promise<StoreError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail("accepted");
}

interface Backend {
  name: string;
  /** A fresh, empty store (its own folder or its own table contents). */
  open(limits?: StoreLimits): Promise<ContentStore>;
  /** A second handle on the same data, as a restarted or second app server would have. */
  reopen(limits?: StoreLimits): Promise<ContentStore>;
  /** Whether two handles on the same data may write at once (several app servers); the filesystem store serves one. */
  multiServer: boolean;
  /** Damages one stored item's bytes behind the store's back. */
  corrupt(namespace: string, key: string): Promise<void>;
}

/** Which of `keys` the store still holds in `namespace` (a get, so in a cache it marks them used). */
async function present(store: ContentStore, namespace: string, keys: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) if ((await store.get(namespace, key)) !== undefined) found.push(key);
  return found;
}

test("the default limits make the build cache evicting and keep share links and the rest", () => {
  const limits = defaultStoreLimits();
  assert.equal(limits.namespaces.builds?.evict, true);
  assert.ok(!limits.namespaces.shares?.evict);
  assert.ok(!limits.fallback.evict);
});

/** The contract both implementations keep. */
function contract(backend: Backend) {
  describe(`${backend.name} store`, () => {
    const opened: ContentStore[] = [];
    const open = async (limits?: StoreLimits) => opened[opened.push(await backend.open(limits)) - 1]!;
    const reopen = async (limits?: StoreLimits) => opened[opened.push(await backend.reopen(limits)) - 1]!;
    after(() => Promise.all(opened.map((s) => s.close())));

    test("stores and returns bytes; an absent key is undefined; namespaces are apart", async () => {
      const store = await open();
      await store.put("shares", "abc", bytes(10));
      assert.deepEqual(await store.get("shares", "abc"), bytes(10));
      assert.equal(await store.get("shares", "nope"), undefined);
      assert.equal(await store.get("builds", "abc"), undefined);
      assert.equal(await store.totalBytes("shares"), 10);
    });

    test("the same bytes twice are stored once; other bytes replace them", async () => {
      const store = await open();
      await store.put("shares", "k", bytes(40));
      await store.put("shares", "k", bytes(40));
      assert.equal(await store.totalBytes("shares"), 40);
      await store.put("shares", "k", bytes(30, 2));
      assert.deepEqual(await store.get("shares", "k"), bytes(30, 2));
      assert.equal(await store.totalBytes("shares"), 30);
    });

    test("per-item and total caps", async () => {
      const store = await open(SMALL);
      assert.equal((await refusal("too-large", () => store.put("shares", "big", bytes(101)))).message, "shares/big: 101 bytes; an item holds at most 100");
      for (let i = 0; i < 5; i++) await store.put("shares", `k${i}`, bytes(100, i));
      assert.match((await refusal("full", () => store.put("shares", "k5", bytes(100, 5)))).message, /would pass the 550-byte total \(500 stored\)/);
      await store.put("shares", "small", bytes(50));
      assert.equal(await store.totalBytes("shares"), 550);
      // Another namespace has its own caps.
      await store.put("builds", "k", bytes(1000));
    });

    test(`concurrent puts${backend.multiServer ? " from two app servers" : ""} never pass the total cap`, async () => {
      const first = await open(SMALL);
      const second = backend.multiServer ? await reopen(SMALL) : first;
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => (i % 2 ? first : second).put("shares", `c${i}`, bytes(100, i))));
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 5);
      assert.ok(outcomes.every((o) => o.status === "fulfilled" || (o.reason as StoreError).kind === "full"));
      assert.equal(await first.totalBytes("shares"), 500);
    });

    test("a cache namespace evicts its least recently used items to make room; a hit or a put of the same bytes refreshes one", async () => {
      const store = await open(CACHE);
      for (let i = 0; i < 3; i++) await store.put("builds", `k${i}`, bytes(100, i));
      assert.deepEqual(await store.get("builds", "k0"), bytes(100, 0));
      await store.put("builds", "k3", bytes(100, 3));
      assert.equal(await store.totalBytes("builds"), 300);
      assert.equal(await store.get("builds", "k1"), undefined);
      // Used order now: k2 (put), k0 (hit), k3 (put). A put of k2's same bytes makes it the newest.
      await store.put("builds", "k2", bytes(100, 2));
      await store.put("builds", "k4", bytes(150, 4));
      assert.equal(await store.totalBytes("builds"), 250);
      assert.deepEqual(await present(store, "builds", ["k0", "k1", "k2", "k3", "k4"]), ["k2", "k4"]);
      assert.deepEqual(await store.get("builds", "k4"), bytes(150, 4));
      // Replacing an item with larger bytes evicts others, never the item itself, even when it is the least recently used.
      assert.deepEqual(await store.get("builds", "k2"), bytes(100, 2));
      await store.put("builds", "k4", bytes(250, 5));
      assert.equal(await store.totalBytes("builds"), 250);
      assert.deepEqual(await present(store, "builds", ["k2", "k4"]), ["k4"]);
    });

    test("a cache namespace still refuses an item over its per-item cap, and one larger than its whole total, removing nothing", async () => {
      const store = await open(CACHE);
      await store.put("builds", "a", bytes(100, 1));
      await store.put("builds", "b", bytes(200, 2));
      assert.equal((await refusal("too-large", () => store.put("builds", "huge", bytes(401)))).message, "builds/huge: 401 bytes; an item holds at most 400");
      assert.match((await refusal("full", () => store.put("builds", "big", bytes(301)))).message, /^builds: storing 301 more bytes would pass the 300-byte total \(300 stored\)$/);
      assert.equal(await store.totalBytes("builds"), 300);
      assert.deepEqual(await present(store, "builds", ["a", "b", "big", "huge"]), ["a", "b"]);
    });

    test("beside a cache, a kept namespace still refuses with full and keeps every item", async () => {
      const store = await open(CACHE);
      for (let i = 0; i < 5; i++) await store.put("shares", `s${i}`, bytes(100, i));
      for (let i = 0; i < 5; i++) await store.put("builds", `b${i}`, bytes(100, i));
      assert.match((await refusal("full", () => store.put("shares", "s5", bytes(100, 5)))).message, /would pass the 550-byte total \(500 stored\)/);
      assert.equal(await store.totalBytes("shares"), 500);
      assert.deepEqual(await present(store, "shares", ["s0", "s1", "s2", "s3", "s4", "s5"]), ["s0", "s1", "s2", "s3", "s4"]);
      assert.equal(await store.totalBytes("builds"), 300);
    });

    test(`concurrent puts${backend.multiServer ? " from two app servers" : ""} to a cache namespace all land and keep its total at the cap`, async () => {
      const first = await open(CACHE);
      const second = backend.multiServer ? await reopen(CACHE) : first;
      const keys = Array.from({ length: 10 }, (_, i) => `c${i}`);
      const outcomes = await Promise.allSettled(keys.map((key, i) => (i % 2 ? first : second).put("builds", key, bytes(100, i))));
      assert.deepEqual(outcomes.filter((o) => o.status === "rejected"), []);
      assert.equal(await first.totalBytes("builds"), 300);
      assert.equal(await second.totalBytes("builds"), 300);
      assert.equal((await present(first, "builds", keys)).length, 3);
    });

    if (backend.multiServer) {
      test("eviction by one app server follows the hits on another", async () => {
        const first = await open(CACHE);
        const second = await reopen(CACHE);
        for (let i = 0; i < 3; i++) await first.put("builds", `k${i}`, bytes(100, i));
        assert.deepEqual(await second.get("builds", "k0"), bytes(100, 0));
        await second.put("builds", "k3", bytes(100, 3));
        assert.equal(await first.get("builds", "k1"), undefined);
        await first.put("builds", "k4", bytes(100, 4));
        assert.equal(await second.totalBytes("builds"), 300);
        assert.deepEqual(await present(second, "builds", ["k0", "k1", "k2", "k3", "k4"]), ["k0", "k3", "k4"]);
      });
    }

    test("a damaged item is reported, never returned", async () => {
      const store = await open();
      await store.put("shares", "dmg", bytes(64));
      await backend.corrupt("shares", "dmg");
      assert.match((await refusal("corrupted", () => store.get("shares", "dmg"))).message, /^shares\/dmg: the stored bytes do not match their SHA-256/);
    });

    test("what was stored survives a restart, totals included", async () => {
      const store = await open();
      await store.put("shares", "keep", bytes(77));
      await store.close();
      opened.splice(opened.indexOf(store), 1);
      const again = await reopen();
      assert.deepEqual(await again.get("shares", "keep"), bytes(77));
      assert.equal(await again.totalBytes("shares"), 77);
    });

    test("keys that could leave the namespace are refused", async () => {
      const store = await open();
      await refusal("invalid-key", () => store.get("shares", "../etc/passwd"));
      await refusal("invalid-key", () => store.put("shares", ".hidden", bytes(1)));
      await refusal("invalid-key", () => store.put("Shares/x", "k", bytes(1)));
    });

    test("a namespace view is the { get(key), put(key, bytes) } the build cache uses", async () => {
      const store = await open();
      const builds = namespaced(store, "builds");
      await builds.put("sha256-of-inputs", bytes(12));
      assert.deepEqual(await builds.get("sha256-of-inputs"), bytes(12));
      assert.equal(await store.get("shares", "sha256-of-inputs"), undefined);
      assert.equal(await builds.get("missing"), undefined);
    });

    test("a cache view reads a damaged item as a miss, and the next put repairs it", async () => {
      const store = await open();
      // Exactly the build cache's interface (lib/build/cache.ts): the type checker holds us to it.
      const cache: BuildStore = cacheView(Promise.resolve(store), "builds");
      const key = "a".repeat(64);
      await cache.put(key, bytes(50));
      await backend.corrupt("builds", key);
      await refusal("corrupted", () => store.get("builds", key));
      assert.equal(await cache.get(key), undefined);
      await cache.put(key, bytes(50));
      assert.deepEqual(await cache.get(key), bytes(50));
    });
  });
}

// The filesystem store: each test gets a fresh folder.
{
  const root = mkdtempSync(join(tmpdir(), "store-test-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  let dir = "";
  contract({
    name: "filesystem",
    open: (limits) => {
      dir = mkdtempSync(join(root, "data-"));
      return FilesystemStore.open(dir, limits);
    },
    reopen: (limits) => FilesystemStore.open(dir, limits),
    multiServer: false,
    corrupt: async (namespace, key) => {
      const path = join(dir, namespace, key.slice(0, 2), key);
      const record = readFileSync(path);
      record[record.length - 1]! ^= 1;
      writeFileSync(path, record);
    },
  });

  describe("filesystem store, on disk", () => {
    test("writes land whole: a temp file a crash left is removed at open, never read", async () => {
      const data = mkdtempSync(join(root, "crash-"));
      mkdirSync(join(data, ".tmp"), { recursive: true });
      writeFileSync(join(data, ".tmp", "half-written.abc"), "partial");
      const store = await FilesystemStore.open(data);
      assert.deepEqual(readdirSync(join(data, ".tmp")), []);
      await store.put("shares", "whole", bytes(20));
      assert.deepEqual(readdirSync(join(data, ".tmp")), []);
      assert.ok(existsSync(join(data, "shares", "wh", "whole")));
      assert.equal(readFileSync(join(data, "shares", "wh", "whole")).length, 4 + 32 + 20);
    });

    test("a cache's recency is its files' mtimes: a hit touches the file, and after a restart eviction goes by them", async () => {
      const data = mkdtempSync(join(root, "recency-"));
      const file = (key: string) => join(data, "builds", key.slice(0, 2), key);
      const first = await FilesystemStore.open(data, CACHE);
      for (const key of ["aa", "bb", "cc"]) await first.put("builds", key, bytes(100));
      await first.close();
      // Used an hour, 40 and 20 minutes ago, in that order (not the folder's order).
      const now = Date.now() / 1000;
      utimesSync(file("aa"), now - 3600, now - 3600);
      utimesSync(file("bb"), now - 2400, now - 2400);
      utimesSync(file("cc"), now - 1200, now - 1200);
      const second = await FilesystemStore.open(data, CACHE);
      assert.deepEqual(await second.get("builds", "aa"), bytes(100));
      await second.close();
      const third = await FilesystemStore.open(data, CACHE);
      await third.put("builds", "dd", bytes(100, 2));
      assert.deepEqual(["aa", "bb", "cc", "dd"].filter((key) => existsSync(file(key))), ["aa", "cc", "dd"]);
      assert.equal(await third.totalBytes("builds"), 300);
      await third.close();
    });
  });
}

// The PostgreSQL store, against a real server started for these tests.
{
  let server: TestPostgres | undefined;
  let admin: pg.Client | undefined;
  before(async () => {
    server = startTestPostgres();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    server?.stop();
  });
  const url = () => server!.url;
  contract({
    name: "postgres",
    open: async (limits) => {
      const store = await PostgresStore.open(url(), limits);
      await admin!.query("TRUNCATE playground_items");
      return store;
    },
    reopen: (limits) => PostgresStore.open(url(), limits),
    multiServer: true,
    corrupt: async (namespace, key) => {
      await admin!.query("UPDATE playground_items SET bytes = set_byte(bytes, 0, get_byte(bytes, 0) # 1) WHERE namespace = $1 AND key = $2", [namespace, key]);
    },
  });

  describe("postgres store, schema", () => {
    test("a table made before eviction gets last_used when the store opens, and its rows can be evicted", async () => {
      const columns = async () =>
        (await admin!.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'playground_items' ORDER BY ordinal_position")).rows.map((r) => r.column_name);
      await admin!.query("TRUNCATE playground_items");
      await admin!.query("ALTER TABLE playground_items DROP COLUMN last_used");
      const item = bytes(100);
      await admin!.query("INSERT INTO playground_items (namespace, key, digest, bytes, size) VALUES ('builds', 'old', sha256($1), $1, 100)", [Buffer.from(item)]);
      assert.deepEqual(await columns(), ["namespace", "key", "digest", "bytes", "size", "created_at"]);
      const store = await PostgresStore.open(url(), CACHE);
      try {
        assert.deepEqual(await columns(), ["namespace", "key", "digest", "bytes", "size", "created_at", "last_used"]);
        assert.deepEqual(await store.get("builds", "old"), item);
        await store.put("builds", "new1", bytes(100, 1));
        await store.put("builds", "new2", bytes(100, 2));
        await store.put("builds", "new3", bytes(100, 3));
        assert.deepEqual(await present(store, "builds", ["old", "new1", "new2", "new3"]), ["new1", "new2", "new3"]);
      } finally {
        await store.close();
      }
    });
  });
}
