/**
 * The PostgreSQL store, for several app servers behind a load balancer: one row per item in
 * `playground_items (namespace, key, digest, bytes, size, created_at, last_used)`. A put runs
 * in a transaction holding an advisory lock on its namespace, so the total cap holds across
 * servers; the row is committed before `put` resolves. The table is created on first use, and
 * `last_used` added to a table made before it.
 *
 * In a cache namespace ({@link NamespaceLimits.evict}) `last_used` is set by a put and by a
 * hit (`UPDATE … RETURNING` instead of `SELECT`). A put that would pass the total deletes the
 * least recently used rows in the same transaction, under the same namespace lock, so two
 * servers neither both overshoot nor both evict for the same room, and a failed insert rolls
 * the deletions back. Server only (pg).
 */

import { createHash } from "node:crypto";
import pg from "pg";
import { StoreError, checkKey, defaultStoreLimits, fullError, limitsFor, type ContentStore, type NamespaceLimits, type StoreLimits } from "./types";

const TABLE = "playground_items";
/** The advisory lock that serialises creating the table (any constant; `hashtext` keys the per-namespace locks). */
const SCHEMA_LOCK = 0x46545831;

/** Items in a PostgreSQL database. Open with {@link PostgresStore.open}. */
export class PostgresStore implements ContentStore {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly limits: StoreLimits,
  ) {}

  /**
   * Connects to `url` (a `postgresql://` URL, as `DATABASE_URL` holds) and creates the table if needed.
   * @throws when the server cannot be reached or refuses.
   */
  static async open(url: string, limits: StoreLimits = defaultStoreLimits()): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    try {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${TABLE} (
             namespace text NOT NULL,
             key text NOT NULL,
             digest bytea NOT NULL,
             bytes bytea NOT NULL,
             size integer NOT NULL,
             created_at timestamptz NOT NULL DEFAULT now(),
             last_used timestamptz NOT NULL DEFAULT now(),
             PRIMARY KEY (namespace, key))`,
        );
        await addLastUsed(client);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool, limits);
  }

  async get(namespace: string, key: string): Promise<Uint8Array | undefined> {
    checkKey(namespace, key);
    // A hit in a cache marks the row used in the same statement. No index covers last_used, so
    // the update can stay a heap-only (HOT) one; the TOASTed bytes are not rewritten.
    const query = limitsFor(this.limits, namespace).evict
      ? `UPDATE ${TABLE} SET last_used = clock_timestamp() WHERE namespace = $1 AND key = $2 RETURNING digest, bytes`
      : `SELECT digest, bytes FROM ${TABLE} WHERE namespace = $1 AND key = $2`;
    const result = await this.pool.query<{ digest: Buffer; bytes: Buffer }>(query, [namespace, key]);
    const row = result.rows[0];
    if (!row) return undefined;
    if (!digest(row.bytes).equals(row.digest)) {
      throw new StoreError("corrupted", `${namespace}/${key}: the stored bytes do not match their SHA-256 (table ${TABLE})`);
    }
    return new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.length);
  }

  async put(namespace: string, key: string, bytes: Uint8Array): Promise<void> {
    checkKey(namespace, key);
    const cap = limitsFor(this.limits, namespace);
    if (bytes.length > cap.maxItemBytes) {
      throw new StoreError("too-large", `${namespace}/${key}: ${bytes.length} bytes; an item holds at most ${cap.maxItemBytes}`);
    }
    const sum = digest(bytes);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`${TABLE}:${namespace}`]);
      const existing = await client.query<{ digest: Buffer; size: number; intact: boolean }>(
        `SELECT digest, size, sha256(bytes) = digest AS intact FROM ${TABLE} WHERE namespace = $1 AND key = $2`,
        [namespace, key],
      );
      const old = existing.rows[0];
      // Already there and intact: nothing to do. A damaged copy is rewritten.
      if (old && old.intact && old.digest.equals(sum)) {
        if (cap.evict) await client.query(`UPDATE ${TABLE} SET last_used = clock_timestamp() WHERE namespace = $1 AND key = $2`, [namespace, key]);
        await client.query("COMMIT");
        return;
      }
      const totals = await client.query<{ total: string }>(`SELECT coalesce(sum(size), 0) AS total FROM ${TABLE} WHERE namespace = $1`, [namespace]);
      const total = Number(totals.rows[0]?.total ?? 0);
      const over = total - (old?.size ?? 0) + bytes.length - cap.maxTotalBytes;
      if (over > 0) await makeRoom(client, namespace, key, bytes.length, over, cap, total);
      await client.query(
        `INSERT INTO ${TABLE} (namespace, key, digest, bytes, size, last_used) VALUES ($1, $2, $3, $4, $5, clock_timestamp())
         ON CONFLICT (namespace, key) DO UPDATE SET digest = excluded.digest, bytes = excluded.bytes, size = excluded.size, created_at = now(), last_used = excluded.last_used`,
        [namespace, key, sum, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), bytes.length],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async totalBytes(namespace: string): Promise<number> {
    const result = await this.pool.query<{ total: string }>(`SELECT coalesce(sum(size), 0) AS total FROM ${TABLE} WHERE namespace = $1`, [namespace]);
    return Number(result.rows[0]?.total ?? 0);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Adds `last_used` to a table made before eviction (every row then counts as used at the
 * migration). Checked first, since `ALTER TABLE` takes an exclusive lock even when it has
 * nothing to do. Runs under the schema lock.
 */
async function addLastUsed(client: pg.PoolClient): Promise<void> {
  const found = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'last_used'`, [TABLE]);
  if (found.rowCount === 0) await client.query(`ALTER TABLE ${TABLE} ADD COLUMN last_used timestamptz NOT NULL DEFAULT now()`);
}

/**
 * Frees at least `over` bytes for a put of `adding` bytes under `key`, inside the put's
 * transaction (holding the namespace lock): in a cache, deletes the shortest run of its
 * least recently used other rows (by `last_used`, then key) whose sizes reach `over`.
 * @throws {StoreError} `full` in a kept namespace, or when `adding` alone passes the total (nothing is deleted then).
 */
async function makeRoom(client: pg.PoolClient, namespace: string, key: string, adding: number, over: number, cap: NamespaceLimits, total: number): Promise<void> {
  if (!cap.evict || adding > cap.maxTotalBytes) throw fullError(namespace, adding, cap, total);
  // `before` is what the rows used less recently than this one free: a row goes while that is short of `over`.
  await client.query(
    `DELETE FROM ${TABLE} AS item USING (
       SELECT key, coalesce(sum(size) OVER (ORDER BY last_used, key ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
       FROM ${TABLE} WHERE namespace = $1 AND key <> $2) AS lru
     WHERE item.namespace = $1 AND item.key = lru.key AND lru.before < $3`,
    [namespace, key, over],
  );
}

function digest(bytes: Uint8Array): Buffer {
  return createHash("sha256").update(bytes).digest();
}
