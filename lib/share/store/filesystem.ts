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
 *
 * In a cache namespace ({@link NamespaceLimits.evict}) a file's mtime is when the item was
 * last used: the write sets it and a hit touches it (`utimes`), so recency survives a restart.
 * In memory the store keeps the namespace's items in that order (read from the mtimes at first
 * use, then kept up to date by every get and put), so eviction picks its victims without
 * listing the folder. Evictions run inside the namespace's one-at-a-time put queue.
 */

import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { basename, join } from "node:path";
import { StoreError, checkKey, defaultStoreLimits, fullError, limitsFor, type ContentStore, type NamespaceLimits, type StoreLimits } from "./types";

const MARKER = Buffer.from("FTS1");
const HEADER_BYTES = MARKER.length + 32;

/** What the store knows of one namespace's items. Changed only by the namespace's put queue, but for `get` reordering `recency`. */
interface Usage {
  /** Item bytes (headers excluded) of all items. */
  total: number;
  /** A cache namespace's items: item bytes by key, least recently used first (a `Map` keeps insertion order). Absent in a kept namespace. */
  recency?: Map<string, number>;
}

/** Items under a data directory. Open with {@link FilesystemStore.open}. */
export class FilesystemStore implements ContentStore {
  private readonly usage = new Map<string, Promise<Usage>>();
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
    if (limitsFor(this.limits, namespace).evict) await this.markUsed(namespace, key);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /**
   * Makes `key` the most recently used item of its cache namespace: its file's mtime (for the
   * next open) and its place in memory. An item evicted meanwhile stays evicted.
   */
  private async markUsed(namespace: string, key: string): Promise<void> {
    const now = new Date();
    // Recency only orders eviction: a file that cannot be touched (gone, read-only disk) still serves its hit.
    await utimes(this.pathOf(namespace, key), now, now).catch(() => undefined);
    const recency = (await this.usage.get(namespace))?.recency;
    const size = recency?.get(key);
    if (recency && size !== undefined) {
      recency.delete(key);
      recency.set(key, size);
    }
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
      if (intact) {
        if (cap.evict) await this.markUsed(namespace, key);
        return;
      }
    }
    const usage = await this.usageOf(namespace);
    const over = usage.total - (existing ?? 0) + bytes.length - cap.maxTotalBytes;
    if (over > 0) await this.makeRoom(namespace, key, bytes.length, over, cap, usage);
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
    usage.total += bytes.length - (existing ?? 0);
    usage.recency?.delete(key);
    usage.recency?.set(key, bytes.length);
  }

  /**
   * Frees at least `over` bytes for a put of `adding` bytes under `key`: in a cache, removes its
   * least recently used other items, oldest first, and counts them out of `usage`.
   * @throws {StoreError} `full` in a kept namespace, or when `adding` alone passes the total (nothing is removed then).
   */
  private async makeRoom(namespace: string, key: string, adding: number, over: number, cap: NamespaceLimits, usage: Usage): Promise<void> {
    if (!usage.recency || adding > cap.maxTotalBytes) throw fullError(namespace, adding, cap, usage.total);
    let freed = 0;
    for (const [victim, size] of usage.recency) {
      if (freed >= over) break;
      if (victim === key) continue; // its old bytes are already counted out; the put replaces them
      await rm(this.pathOf(namespace, victim), { force: true });
      usage.recency.delete(victim);
      usage.total -= size;
      freed += size;
    }
  }

  private usageOf(namespace: string): Promise<Usage> {
    let usage = this.usage.get(namespace);
    if (!usage) {
      usage = readUsage(join(this.dir, namespace), limitsFor(this.limits, namespace).evict === true);
      this.usage.set(namespace, usage);
    }
    return usage;
  }

  async totalBytes(namespace: string): Promise<number> {
    return (await this.usageOf(namespace)).total;
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

/** The {@link Usage} of a namespace folder, from its files' sizes and (for a cache, `recency`) their mtimes. */
async function readUsage(folder: string, recency: boolean): Promise<Usage> {
  let entries: string[];
  try {
    entries = await readdir(folder, { recursive: true });
  } catch {
    return { total: 0, recency: recency ? new Map() : undefined };
  }
  const items: { key: string; size: number; usedMs: number }[] = [];
  for (const entry of entries) {
    const info = await stat(join(folder, entry));
    if (info.isFile()) items.push({ key: basename(entry), size: Math.max(0, info.size - HEADER_BYTES), usedMs: info.mtimeMs });
  }
  const total = items.reduce((sum, item) => sum + item.size, 0);
  if (!recency) return { total };
  items.sort((a, b) => a.usedMs - b.usedMs);
  return { total, recency: new Map(items.map((item) => [item.key, item.size])) };
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
