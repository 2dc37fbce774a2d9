/**
 * The two-layer module cache the FrankenTerm documentation describes ("memory: LRU cache",
 * "disk: SHA-256-keyed files that survive restarts"), as a browser can do it:
 *
 * 1. memory: the page keeps an LRU of compiled `WebAssembly.Module`s by SHA-256 (it never
 *    compiles one; it holds what workers sent back) and hands a hit to the next worker;
 * 2. disk: IndexedDB keeps the instrumented bytes and facts by SHA-256 and instrumentation
 *    version, so a module seen in an earlier visit skips validation and instrumentation.
 *    (Chromium no longer stores compiled modules in IndexedDB, so bytes are what persists.)
 *
 * The key is a real SHA-256 of the original bytes; FrankenTerm's "sha256" key is in fact a
 * chained SipHash (`src/wasm_cache.rs`), and its memory layer is unbounded.
 */

import { createStore, get, set, type UseStore } from "idb-keyval";
import { INSTRUMENTATION_VERSION, type ModuleFacts } from "../sandbox/instrument";
import { sameBytes } from "./same-bytes";
import { sha256Hex } from "./sha256";

export { sameBytes } from "./same-bytes";

/** A compiled, instrumented module and what the instrumenter learned about the original. */
export interface CompiledModule {
  /** SHA-256 of the original bytes, hex. */
  sha256: string;
  module: WebAssembly.Module;
  facts: ModuleFacts;
  /**
   * A copy of the original bytes: a load of the same bytes is recognised by comparing them
   * (microseconds) instead of hashing them again (Web Crypto's digest of a 75 KB module
   * takes longer than instantiating it).
   */
  original: Uint8Array;
}

/** Which layer answered: the page's memory LRU, a {@link ModuleStore} (IndexedDB on the page, files in the CLI), or none. */
export type CacheLayer = "memory" | "indexeddb" | "disk" | "none";

/** A module ready to instantiate, and how it was obtained. */
export interface PreparedModule extends CompiledModule {
  layer: CacheLayer;
  /** Milliseconds spent obtaining it (hashing, reading, instrumenting, compiling). */
  prepareMs: number;
}

/** What the disk layer stores. */
export interface StoredModule {
  bytes: Uint8Array;
  facts: ModuleFacts;
}

/**
 * The disk layer: instrumented bytes and facts by key (`<sha256>:v<instrumentation version>`).
 * IndexedDB on the page ({@link indexedDbStore}); the CLI has a files-on-disk counterpart
 * (cli/module-store.ts). Neither method throws: a store that fails only costs a rebuild.
 */
export interface ModuleStore {
  /** The layer name reported when this store answers. */
  layer: "indexeddb" | "disk";
  read(key: string): Promise<StoredModule | undefined>;
  write(key: string, value: StoredModule): Promise<void>;
}

/** Turns original bytes into instrumented bytes; throws for a module that cannot be used. */
export type Instrumenter = (bytes: Uint8Array) => { bytes: Uint8Array<ArrayBuffer>; facts: ModuleFacts };

let store: UseStore | undefined;

/**
 * Obtains the module for `bytes`: from the page's memory layer (`fromPage`, when its hash
 * matches), else from the disk layer (`disk`, IndexedDB by default), else by `instrument` + compile, storing the result.
 * @throws whatever `instrument` throws; a failed compile of instrumented bytes as an Error.
 *   Storage failures (no IndexedDB, quota) are not errors: the module is simply not stored.
 */
export async function prepareModule(
  bytes: Uint8Array,
  instrumentFn: Instrumenter,
  fromPage?: CompiledModule,
  disk: ModuleStore = indexedDbStore,
): Promise<PreparedModule> {
  const started = performance.now();
  if (fromPage && sameBytes(fromPage.original, bytes)) {
    return { ...fromPage, layer: "memory", prepareMs: performance.now() - started };
  }
  const sha256 = await sha256Hex(bytes);
  const original = bytes.slice();
  const done = (layer: CacheLayer, module: WebAssembly.Module, facts: ModuleFacts): PreparedModule => ({
    sha256,
    module,
    facts,
    original,
    layer,
    prepareMs: performance.now() - started,
  });
  if (fromPage && fromPage.sha256 === sha256) return done("memory", fromPage.module, fromPage.facts);

  const key = `${sha256}:v${INSTRUMENTATION_VERSION}`;
  const stored = await disk.read(key);
  if (stored) {
    try {
      return done(disk.layer, await WebAssembly.compile(stored.bytes as Uint8Array<ArrayBuffer>), stored.facts);
    } catch {
      // A damaged entry: rebuild it below.
    }
  }
  const instrumented = instrumentFn(bytes);
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(instrumented.bytes);
  } catch (error) {
    throw new Error(`the instrumented module did not compile (a bug in lib/sandbox): ${error instanceof Error ? error.message : String(error)}`);
  }
  await disk.write(key, { bytes: instrumented.bytes, facts: instrumented.facts });
  return done("none", module, instrumented.facts);
}

function openStore(): UseStore | undefined {
  if (typeof indexedDB === "undefined") return undefined;
  store ??= createStore("extension-playground", "instrumented-modules");
  return store;
}

/** The page's and the Web Worker's disk layer. */
export const indexedDbStore: ModuleStore = { layer: "indexeddb", read: readStored, write: writeStored };

async function readStored(key: string): Promise<StoredModule | undefined> {
  try {
    const db = openStore();
    return db ? await get<StoredModule>(key, db) : undefined;
  } catch {
    return undefined;
  }
}

async function writeStored(key: string, value: StoredModule): Promise<void> {
  try {
    const db = openStore();
    if (db) await set(key, value, db);
  } catch {
    // Full or unavailable storage only costs the next load an instrumentation pass.
  }
}
