/**
 * The PostgreSQL store, for several app servers behind a load balancer: one row per item in
 * `playground_items (namespace, key, digest, bytes, size)`. A put runs in a transaction
 * holding an advisory lock on its namespace, so the total cap holds across servers; the
 * row is committed before `put` resolves. The table is created on first use. Server only (pg).
 */

import { createHash } from "node:crypto";
import pg from "pg";
import { StoreError, checkKey, defaultStoreLimits, limitsFor, type ContentStore, type StoreLimits } from "./types";

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
             PRIMARY KEY (namespace, key))`,
        );
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
    const result = await this.pool.query<{ digest: Buffer; bytes: Buffer }>(`SELECT digest, bytes FROM ${TABLE} WHERE namespace = $1 AND key = $2`, [namespace, key]);
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
        await client.query("COMMIT");
        return;
      }
      const totals = await client.query<{ total: string }>(`SELECT coalesce(sum(size), 0) AS total FROM ${TABLE} WHERE namespace = $1`, [namespace]);
      const total = Number(totals.rows[0]?.total ?? 0);
      if (total - (old?.size ?? 0) + bytes.length > cap.maxTotalBytes) {
        throw new StoreError("full", `${namespace}: storing ${bytes.length} more bytes would pass the ${cap.maxTotalBytes}-byte total (${total} stored)`);
      }
      await client.query(
        `INSERT INTO ${TABLE} (namespace, key, digest, bytes, size) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (namespace, key) DO UPDATE SET digest = excluded.digest, bytes = excluded.bytes, size = excluded.size, created_at = now()`,
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

function digest(bytes: Uint8Array): Buffer {
  return createHash("sha256").update(bytes).digest();
}
