/**
 * What an extension may read of the environment: the variables the page supplies,
 * filtered by the manifest's `[permissions] environment` patterns (deny by default).
 */

/**
 * True when `name` matches one of `patterns`: an exact name (`"TERM"`) or a prefix ending
 * in `*` (`"FT_*"` matches `FT_THEME`). Source: FrankenTerm `src/manifest.rs` permissions.
 */
export function environmentAllowed(patterns: readonly string[], name: string): boolean {
  for (const pattern of patterns) {
    if (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern) return true;
  }
  return false;
}

/** The environment an instance sees. */
export interface EnvironmentAccess {
  /** True when the manifest permits reading `name`. */
  allowed(name: string): boolean;
  /** The value of `name`, or `undefined` when unset. Does not check permissions. */
  lookup(name: string): string | undefined;
  /** Every permitted variable that is set, as WASI's `environ_get` exposes them. */
  permitted(): [string, string][];
}

/** Builds {@link EnvironmentAccess} over a plain map and the manifest's patterns. */
export function createEnvironment(vars: Readonly<Record<string, string>>, patterns: readonly string[]): EnvironmentAccess {
  const map = new Map(Object.entries(vars));
  return {
    allowed: (name) => environmentAllowed(patterns, name),
    lookup: (name) => map.get(name),
    permitted: () => [...map].filter(([name]) => environmentAllowed(patterns, name)),
  };
}
