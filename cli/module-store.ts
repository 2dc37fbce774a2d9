/**
 * The module cache's disk layer in the CLI: the Node counterpart of IndexedDB
 * (lib/cache/module-cache.ts). One file per module, named by the same key
 * (`<sha256>:v<instrumentation version>` → `<sha256>-v<version>.bin`), holding the
 * instrumented bytes and the instrumenter's facts serialised with `node:v8` (facts hold a
 * `Map`). Writes go to a temporary name and are renamed into place, so CLI processes
 * running side by side in CI never read a half-written entry.
 *
 * Where: `$EXTENSION_PLAYGROUND_CACHE`, else `$XDG_CACHE_HOME/extension-playground/modules`,
 * else `~/.cache/extension-playground/modules`. An unwritable folder only costs each run
 * an instrumentation pass.
 */

import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { deserialize, serialize } from "node:v8";
import type { ModuleStore, StoredModule } from "../lib/cache/module-cache";

/** The cache folder, from the environment (see the module comment). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EXTENSION_PLAYGROUND_CACHE) return env.EXTENSION_PLAYGROUND_CACHE;
  const base = env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return path.join(base, "extension-playground", "modules");
}

/** A {@link ModuleStore} keeping one file per module under `dir`. */
export function fileModuleStore(dir: string): ModuleStore {
  const fileOf = (key: string) => path.join(dir, `${key.replace(/[^0-9a-zA-Z]+/g, "-")}.bin`);
  return {
    layer: "disk",
    async read(key) {
      try {
        const value = deserialize(await readFile(fileOf(key))) as Partial<StoredModule>;
        return value.bytes instanceof Uint8Array && value.facts ? (value as StoredModule) : undefined;
      } catch {
        return undefined;
      }
    },
    async write(key, value) {
      try {
        await mkdir(dir, { recursive: true });
        const file = fileOf(key);
        const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await writeFile(temporary, serialize(value));
        await rename(temporary, file);
      } catch {
        // A read-only or full disk only costs the next run an instrumentation pass.
      }
    },
  };
}
