/**
 * A content store for the app servers: bytes by (namespace, key), with per-item and total
 * caps per namespace and a SHA-256 digest kept beside every item, so an item damaged on
 * disk or in the database is reported, never served. Two implementations: the filesystem
 * under a data directory (one app server; lib/share/store/filesystem.ts) and PostgreSQL
 * (several app servers behind a load balancer; lib/share/store/postgres.ts). Server only.
 *
 * Namespaces keep users apart: `shares` (share links, keyed by the SHA-256 of their
 * bytes), `builds` (the build cache, keyed by the SHA-256 of the build's inputs).
 * A namespace is either kept or a cache ({@link NamespaceLimits.evict}): a kept one refuses
 * a put past its total cap (`full`), so a share link, once made, keeps working; a cache
 * makes room by removing its least recently used items (last `get` hit or `put`), since a
 * miss only costs a rebuild.
 */

/** Caps of one namespace. */
export interface NamespaceLimits {
  /** Bytes of one item. */
  maxItemBytes: number;
  /** Bytes of all items of the namespace together. */
  maxTotalBytes: number;
  /**
   * Whether the namespace is a cache: a put that would pass `maxTotalBytes` first removes the
   * least recently used items (by their last `get` hit or `put`, oldest first) until the new
   * item fits. Absent or false: the put is refused with `full` and nothing is ever removed.
   */
  evict?: boolean;
}

/** Caps by namespace, and for namespaces not named. */
export interface StoreLimits {
  namespaces: Record<string, NamespaceLimits>;
  fallback: NamespaceLimits;
}

/**
 * The default {@link StoreLimits}: shares 2 MiB each and 256 MiB in all, kept; builds 32 MiB
 * each and 2 GiB in all, a cache (evicting); others 16 MiB and 256 MiB, kept.
 */
export function defaultStoreLimits(): StoreLimits {
  const MiB = 1024 * 1024;
  return {
    namespaces: {
      shares: { maxItemBytes: 2 * MiB, maxTotalBytes: 256 * MiB },
      builds: { maxItemBytes: 32 * MiB, maxTotalBytes: 2048 * MiB, evict: true },
    },
    fallback: { maxItemBytes: 16 * MiB, maxTotalBytes: 256 * MiB },
  };
}

/** The caps that apply to `namespace`. */
export function limitsFor(limits: StoreLimits, namespace: string): NamespaceLimits {
  return limits.namespaces[namespace] ?? limits.fallback;
}

/** Why the store refused. */
export type StoreErrorKind =
  /** The item is larger than its namespace's per-item cap. */
  | "too-large"
  /** Storing the item would pass its kept namespace's total cap (or, in a cache, the item alone passes it). */
  | "full"
  /** The stored bytes no longer match their digest. */
  | "corrupted"
  /** A namespace or key outside the allowed characters. */
  | "invalid-key";

/** A refusal of the store; `message` names the namespace, key and cap. */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

/**
 * The `full` refusal of a put: `adding` item bytes to a namespace holding `stored` would pass
 * its `maxTotalBytes`. One message for both stores.
 */
export function fullError(namespace: string, adding: number, cap: NamespaceLimits, stored: number): StoreError {
  return new StoreError("full", `${namespace}: storing ${adding} more bytes would pass the ${cap.maxTotalBytes}-byte total (${stored} stored)`);
}

/** Bytes by namespace and key. Implementations are safe to call concurrently. */
export interface ContentStore {
  /**
   * The item's bytes, or `undefined` when there is none. A hit in a cache namespace marks the
   * item as just used, so eviction takes it last.
   * @throws {StoreError} `corrupted` when the bytes do not match their stored digest; `invalid-key`.
   */
  get(namespace: string, key: string): Promise<Uint8Array | undefined>;
  /**
   * Stores an item durably before resolving (a crash after it resolves loses nothing).
   * Storing the same bytes again is a no-op (but for marking the item used); other bytes under
   * an existing key replace them. In a cache namespace, least recently used items are removed
   * first when the total cap would be passed ({@link NamespaceLimits.evict}).
   * @throws {StoreError} `too-large`; `full` in a kept namespace past its total, or in a cache
   *   for an item larger than the whole total; `invalid-key`.
   */
  put(namespace: string, key: string, bytes: Uint8Array): Promise<void>;
  /** Bytes stored in a namespace. */
  totalBytes(namespace: string): Promise<number>;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** One namespace of a store: what the build cache is written against. */
export interface KeyValueStore {
  /** The bytes under `key`, or `undefined`. @throws {StoreError} as {@link ContentStore.get}. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Stores `bytes` under `key`. @throws {StoreError} as {@link ContentStore.put}. */
  put(key: string, bytes: Uint8Array): Promise<void>;
}

/** The view of one namespace of `store`. */
export function namespaced(store: ContentStore, namespace: string): KeyValueStore {
  checkName("namespace", namespace, NAMESPACE);
  return {
    get: (key) => store.get(namespace, key),
    put: (key, bytes) => store.put(namespace, key, bytes),
  };
}

/**
 * A namespace used as a cache (the build cache): like {@link namespaced}, but a damaged item
 * reads as a miss (and is logged), so the caller rebuilds and its put replaces the item.
 * Takes the store or the promise of one (`appStore()`), so it can be made before the store opens.
 */
export function cacheView(store: ContentStore | Promise<ContentStore>, namespace: string): KeyValueStore {
  checkName("namespace", namespace, NAMESPACE);
  const opened = Promise.resolve(store);
  return {
    get: async (key) => {
      try {
        return await (await opened).get(namespace, key);
      } catch (error) {
        if (!(error instanceof StoreError && error.kind === "corrupted")) throw error;
        console.warn(`cache ${namespace}: ${error.message}; treated as a miss`);
        return undefined;
      }
    },
    put: async (key, bytes) => (await opened).put(namespace, key, bytes),
  };
}

const NAMESPACE = /^[a-z][a-z0-9-]{0,31}$/;
/** Keys are used as file names: no `/`, no leading `.`. */
const KEY = /^[A-Za-z0-9_:-][A-Za-z0-9_.:-]{0,127}$/;

/** @throws {StoreError} `invalid-key` unless namespace and key are of the allowed characters. */
export function checkKey(namespace: string, key: string): void {
  checkName("namespace", namespace, NAMESPACE);
  checkName("key", key, KEY);
}

function checkName(what: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value)) throw new StoreError("invalid-key", `${what} ${JSON.stringify(value.slice(0, 140))} is not of the form ${pattern.source}`);
}
