/**
 * What an extension may read of the environment: the variables the page supplies,
 * filtered by the manifest's `[permissions] environment` patterns (deny by default).
 */

/**
 * Compiles `patterns` into a test for a variable name: an exact name (`"TERM"`) or a prefix
 * ending in `*` (`"FT_*"` matches `FT_THEME`). Source: FrankenTerm `src/manifest.rs`
 * permissions. Compiled once, so a check slices nothing.
 */
export function environmentMatcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith("*")));
  const prefixes = patterns.filter((p) => p.endsWith("*")).map((p) => p.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/** The environment an instance sees. */
export interface EnvironmentAccess {
  /** True when the manifest permits reading `name`. */
  allowed(name: string): boolean;
  /**
   * The value of `name` as UTF-8, encoded once per instance (the environment does not change
   * while it lives); `undefined` when unset. Does not check permissions. Callers must not
   * modify the bytes.
   */
  lookupBytes(name: string): Uint8Array | undefined;
  /**
   * The variable that is set whose name is the `length` bytes at `start` of `bytes`
   * (compared as bytes, so the key is not decoded), with its UTF-8 value and whether the
   * manifest permits it; `undefined` when no variable that is set has that name.
   * @param words an `Int32Array` over all of `bytes`' buffer (`GuestMemory.words()`): with
   *   it, a key at a 4-aligned `start` is compared a word at a time.
   */
  find(bytes: Uint8Array, start: number, length: number, words?: Int32Array): KnownVariable | undefined;
  /** Every permitted variable that is set, as WASI's `environ_get` exposes them. */
  permitted(): [string, string][];
}

/** A variable that is set, prepared once per instance for `ft_get_env`. */
export interface KnownVariable {
  /** The name as UTF-8. */
  readonly name: Uint8Array;
  /** The value as UTF-8; callers must not modify it. */
  readonly value: Uint8Array;
  /** Whether `[permissions] environment` permits it. */
  readonly allowed: boolean;
}

/** Builds {@link EnvironmentAccess} over a plain map and the manifest's patterns. */
export function createEnvironment(vars: Readonly<Record<string, string>>, patterns: readonly string[]): EnvironmentAccess {
  const map = new Map(Object.entries(vars));
  const allowed = environmentMatcher(patterns);
  const encoder = new TextEncoder();
  const known = new Map<string, KnownVariable>();
  for (const [name, value] of map) known.set(name, { name: encoder.encode(name), value: encoder.encode(value), allowed: allowed(name) });
  const list = [...known.values()];
  const nameWords = list.map((variable) => wordsOf(variable.name));
  return {
    allowed,
    lookupBytes: (name) => known.get(name)?.value,
    find(bytes, start, length, words) {
      const aligned = words !== undefined && (start & 3) === 0;
      for (let i = 0; i < list.length; i++) {
        const variable = list[i] as KnownVariable;
        if (variable.name.length !== length) continue;
        if (aligned ? sameWords(nameWords[i] as Int32Array, variable.name, words, bytes, start) : sameBytes(variable.name, bytes, start)) return variable;
      }
      return undefined;
    },
    permitted: () => [...map].filter(([name]) => allowed(name)),
  };
}

/** `bytes`' whole words (the last `length % 4` bytes are compared one by one, see {@link sameWords}). */
function wordsOf(bytes: Uint8Array): Int32Array {
  const words = new Int32Array(bytes.length >> 2);
  new Uint8Array(words.buffer).set(bytes.subarray(0, words.length * 4));
  return words;
}

/**
 * {@link sameBytes} for a 4-aligned `start`, `memoryWords` viewing all of `bytes`' buffer: the
 * name's whole words compared as words (native order on both sides, so equal words are
 * equal bytes), then its last bytes one by one. A key of `FT_THEME`'s 8 bytes is two
 * comparisons instead of eight.
 */
function sameWords(nameWords: Int32Array, name: Uint8Array, memoryWords: Int32Array, bytes: Uint8Array, start: number): boolean {
  const first = start >>> 2;
  for (let i = 0; i < nameWords.length; i++) if (nameWords[i] !== memoryWords[first + i]) return false;
  for (let i = nameWords.length * 4; i < name.length; i++) if (name[i] !== bytes[start + i]) return false;
  return true;
}

/** True when `bytes[start…]` begins with all of `name`. */
function sameBytes(name: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < name.length; i++) if (name[i] !== bytes[start + i]) return false;
  return true;
}
