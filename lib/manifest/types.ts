/**
 * The extension manifest (`extension.toml`), as FrankenTerm's `src/manifest.rs` reads it
 * plus what its documentation adds (`[limits]`, `[[hooks]]`, `filesystem_read/write`).
 */

/** `[extension]`: identity. Only `name` is required (host code). */
export interface ExtensionInfo {
  name: string;
  /** Default `0.0.0`. */
  version: string;
  description?: string;
  authors: string[];
  license?: string;
  homepage?: string;
  minFrankentermVersion?: string;
}

/** `[engine]`. */
export interface EngineInfo {
  /** `wasm`, `lua` or `both`; the playground runs the WebAssembly part. */
  type: "wasm" | "lua" | "both";
  /** The module file; default `main.wasm`. */
  entry: string;
}

/** `[permissions]`: deny by default. */
export interface Permissions {
  /** Variable names or `PREFIX_*` patterns `ft_get_env` may read. */
  environment: string[];
  /** Paths the extension may read (prefix match). */
  filesystemRead: string[];
  /** Paths the extension may write (prefix match). */
  filesystemWrite: string[];
  /**
   * Which spelling gave the filesystem permissions: the host code's
   * `filesystem = ["read:P", "write:P", "P"]`, the documentation's
   * `filesystem_read`/`filesystem_write`, both, or neither.
   */
  filesystemForm: "host-code" | "documented" | "both" | "none";
  network: boolean;
  paneAccess: boolean;
  /**
   * Executor actions `ft_command` may send (`add`, `sha256`, …); deny by default.
   * The playground's addition, with `ft_command` itself.
   */
  commands: string[];
}

/** `[limits]` from `docs/extensions/permissions.md` (the host code ignores them). */
export interface Limits {
  /** Bytes of linear memory; default 64 MiB. */
  maxMemoryBytes: number;
  /** Fuel units per hook call; default 1,000,000,000. */
  fuelPerCall: number;
  /** Seconds of wall time per hook call; default 10. */
  maxWallTimeSecs: number;
}

/** One hook: the handler export called for events matching `event`. */
export interface Hook {
  /** An event name, `*` or `prefix.*`. */
  event: string;
  /** The exported function's name. */
  handler: string;
  /** 1-based line in the manifest, for errors. */
  line?: number;
}

/** A parsed, checked manifest. */
export interface Manifest {
  extension: ExtensionInfo;
  engine: EngineInfo;
  permissions: Permissions;
  limits: Limits;
  /** Hooks in manifest order. */
  hooks: Hook[];
  /**
   * Which spelling declared the hooks: the documentation's `[[hooks]] event/handler`
   * array, the host code's `[hooks] event = "handler"` table, or none.
   */
  hookForm: "documented" | "host-code" | "none";
  /** Keys the playground ignored, with their line (not errors: the host ignores them too). */
  warnings: string[];
}

/** The documented defaults of `[limits]`. */
export function defaultLimits(): Limits {
  return { maxMemoryBytes: 64 * 1024 * 1024, fuelPerCall: 1_000_000_000, maxWallTimeSecs: 10 };
}
