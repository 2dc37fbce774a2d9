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
   */
  find(bytes: Uint8Array, start: number, length: number): KnownVariable | undefined;
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
  return {
    allowed,
    lookupBytes: (name) => known.get(name)?.value,
    find(bytes, start, length) {
      for (const variable of list) {
        if (variable.name.length === length && sameBytes(variable.name, bytes, start)) return variable;
      }
      return undefined;
    },
    permitted: () => [...map].filter(([name]) => allowed(name)),
  };
}

/** True when `bytes[start…]` begins with all of `name`. */
function sameBytes(name: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let i = 0; i < name.length; i++) if (name[i] !== bytes[start + i]) return false;
  return true;
}
