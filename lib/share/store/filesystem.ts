/**
 * The filesystem store: one file per item under a data directory,
 * `<dir>/<namespace>/<first two characters of the key>/<key>`, each holding a 4-byte marker,
 * the SHA-256 of the bytes and the bytes. The embedded default: nothing to start, one app
 * server per data directory (several servers need the PostgreSQL store).
 *
 * A write goes to `<dir>/.tmp/`, is fsync'd, renamed over its final name and the folder
 * fsync'd, so after `put` resolves the item survives a crash, and a crash mid-write leaves
 * only a temp file, removed when the store next opens. Totals are counted from the files
 * at first use, so they survive restarts. Server only (node:fs).
 */

import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { StoreError, checkKey, defaultStoreLimits, limitsFor, type ContentStore, type StoreLimits } from "./types";

const MARKER = Buffer.from("FTS1");
const HEADER_BYTES = MARKER.length + 32;

/** Items under a data directory. Open with {@link FilesystemStore.open}. */
export class FilesystemStore implements ContentStore {
  private readonly totals = new Map<string, Promise<number>>();
  /** Puts run one at a time per namespace, so the total cap is checked against a settled count. */
  private readonly queues = new Map<string, Promise<unknown>>();

  private constructor(
    readonly dir: string,
    private readonly limits: StoreLimits,
  ) {}

  /**
   * Opens (creating) the store at `dir` and removes temp files a crash left behind.
   * @throws when `dir` cannot be created or written.
   */
  static async open(dir: string, limits: StoreLimits = defaultStoreLimits()): Promise<FilesystemStore> {
    await rm(join(dir, ".tmp"), { recursive: true, force: true });
    await mkdir(join(dir, ".tmp"), { recursive: true });
    return new FilesystemStore(dir, limits);
  }

  private pathOf(namespace: string, key: string): string {
    return join(this.dir, namespace, key.slice(0, 2), key);
  }

  async get(namespace: string, key: string): Promise<Uint8Array | undefined> {
    checkKey(namespace, key);
    let record: Buffer;
    try {
      record = await readFile(this.pathOf(namespace, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const bytes = record.subarray(HEADER_BYTES);
    if (record.length < HEADER_BYTES || !record.subarray(0, MARKER.length).equals(MARKER) || !digest(bytes).equals(record.subarray(MARKER.length, HEADER_BYTES))) {
      throw new StoreError("corrupted", `${namespace}/${key}: the stored bytes do not match their SHA-256 (${this.pathOf(namespace, key)})`);
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  put(namespace: string, key: string, bytes: Uint8Array): Promise<void> {
    checkKey(namespace, key);
    const previous = this.queues.get(namespace) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(namespace, key, bytes));
    this.queues.set(namespace, next);
    return next;
  }

  private async write(namespace: string, key: string, bytes: Uint8Array): Promise<void> {
    const cap = limitsFor(this.limits, namespace);
    if (bytes.length > cap.maxItemBytes) {
      throw new StoreError("too-large", `${namespace}/${key}: ${bytes.length} bytes; an item holds at most ${cap.maxItemBytes}`);
    }
    const path = this.pathOf(namespace, key);
    const sum = digest(bytes);
    const existing = await sizeOf(path);
    if (existing !== undefined) {
      // Already there and intact: nothing to do. A damaged copy is rewritten.
      const intact = await readFile(path).then((r) => r.subarray(MARKER.length, HEADER_BYTES).equals(sum) && digest(r.subarray(HEADER_BYTES)).equals(sum), () => false);
      if (intact) return;
    }
    const total = await this.totalBytes(namespace);
    const after = total - (existing ?? 0) + bytes.length;
    if (after > cap.maxTotalBytes) {
      throw new StoreError("full", `${namespace}: storing ${bytes.length} more bytes would pass the ${cap.maxTotalBytes}-byte total (${total} stored)`);
    }
    const temp = join(this.dir, ".tmp", `${key}.${randomBytes(6).toString("hex")}`);
    const file = await open(temp, "wx");
    try {
      await file.writeFile(Buffer.concat([MARKER, sum, bytes]));
      await file.sync();
    } finally {
      await file.close();
    }
    const folder = join(this.dir, namespace, key.slice(0, 2));
    await mkdir(folder, { recursive: true });
    await rename(temp, path);
    await syncFolder(folder);
    this.totals.set(namespace, Promise.resolve(after));
  }

  totalBytes(namespace: string): Promise<number> {
    let total = this.totals.get(namespace);
    if (!total) {
      total = countBytes(join(this.dir, namespace));
      this.totals.set(namespace, total);
    }
    return total;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }
}

function digest(bytes: Uint8Array): Buffer {
  return createHash("sha256").update(bytes).digest();
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size - HEADER_BYTES;
  } catch {
    return undefined;
  }
}

/** Item bytes (headers excluded) under a namespace folder. */
async function countBytes(folder: string): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir(folder, { recursive: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const entry of entries) {
    const info = await stat(join(folder, entry));
    if (info.isFile()) total += Math.max(0, info.size - HEADER_BYTES);
  }
  return total;
}

/** fsync on a folder, so a rename into it is durable (POSIX leaves it to the directory's own sync). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
