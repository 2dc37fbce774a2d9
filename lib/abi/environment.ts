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
  /** Every permitted variable that is set, as WASI's `environ_get` exposes them. */
  permitted(): [string, string][];
}

/** Builds {@link EnvironmentAccess} over a plain map and the manifest's patterns. */
export function createEnvironment(vars: Readonly<Record<string, string>>, patterns: readonly string[]): EnvironmentAccess {
  const map = new Map(Object.entries(vars));
  const encoded = new Map<string, Uint8Array>();
  const allowed = environmentMatcher(patterns);
  return {
    allowed,
    lookupBytes(name) {
      const value = map.get(name);
      if (value === undefined) return undefined;
      let bytes = encoded.get(name);
      if (!bytes) encoded.set(name, (bytes = new TextEncoder().encode(value)));
      return bytes;
    },
    permitted: () => [...map].filter(([name]) => allowed(name)),
  };
}
