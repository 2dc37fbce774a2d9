/**
 * Helpers for the build service's tests (server only): a builder over a throwaway cache
 * folder, and sources that drive the compilers into each limit.
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Builder } from "./builder";
import { FilesystemStore } from "../share/store/filesystem";
import { cacheView, type KeyValueStore } from "../share/store/types";
import type { BuildStore } from "./cache";
import { withLimits, type BuildLimits } from "./limits";
import type { BuildResponse, BuildSuccess, BuildFailure } from "./types";

/** A fresh temporary folder, removed by the returned function. */
export function temporaryDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A store that counts its writes: the `builds` namespace of the filesystem store in `dir`, as the server uses it. */
export class CountingStore implements BuildStore {
  puts = 0;
  readonly files: KeyValueStore;
  constructor(dir: string) {
    this.files = cacheView(FilesystemStore.open(dir), "builds");
  }
  get(key: string): Promise<Uint8Array | undefined> {
    return this.files.get(key);
  }
  put(key: string, bytes: Uint8Array): Promise<void> {
    this.puts++;
    return this.files.put(key, bytes);
  }
}

/**
 * A builder with the default limits but `overrides`, caching in `dir`. The wall-clock limit
 * is raised to 5 minutes unless given: the test machine's cores are shared and busy, and
 * only the test of the wall limit is about wall time.
 */
export function testBuilder(dir: string, overrides: Partial<BuildLimits> = {}, workRoot?: string): { builder: Builder; store: CountingStore } {
  const store = new CountingStore(dir);
  const limits = withLimits({ wallMs: 300_000, ...overrides });
  return { builder: new Builder({ store, limits, ...(workRoot !== undefined ? { workRoot } : {}) }), store };
}

/**
 * Rust whose compile takes seconds of CPU and little memory: a macro that eats one token per
 * expansion re-reads the rest, so `tokens` tokens cost `tokens²/2` token copies
 * (12 000 tokens: about 6 s of CPU and 120 MiB here).
 */
export function slowRustSource(tokens = 12_000): string {
  return [
    `#![recursion_limit = "1000000"]`,
    "macro_rules! eat { () => {}; ($x:tt $($rest:tt)*) => { eat!($($rest)*); }; }",
    `eat!(${Array.from({ length: tokens }, () => "x").join(" ")});`,
    "",
  ].join("\n");
}

/** Asserts a build succeeded and narrows it. */
export function succeeded(response: BuildResponse): BuildSuccess {
  if (!response.ok) throw new Error(`expected a module, got: ${response.error}\n${JSON.stringify(response.diagnostics, null, 2)}`);
  return response;
}

/** Asserts a build failed and narrows it. */
export function failed(response: BuildResponse): BuildFailure {
  if (response.ok) throw new Error(`expected a failure, got a module of ${Buffer.from(response.wasm, "base64").length} bytes`);
  return response;
}
