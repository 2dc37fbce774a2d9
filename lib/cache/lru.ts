/** A least-recently-used map with a fixed capacity: reading an entry makes it the newest. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** @param capacity entries kept; adding one more evicts the least recently used. */
  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  }

  /** The value for `key`, now the most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recently used, evicting the oldest entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The first value (least recently used first) that `matches`, without making it the newest. */
  find(matches: (value: V) => boolean): V | undefined {
    for (const value of this.entries.values()) if (matches(value)) return value;
    return undefined;
  }

  /** Keys from least to most recently used. */
  keys(): K[] {
    return [...this.entries.keys()];
  }
}
