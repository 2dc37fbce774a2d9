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
import { sha256Hex } from "./sha256";

/** A compiled, instrumented module and what the instrumenter learned about the original. */
export interface CompiledModule {
  /** SHA-256 of the original bytes, hex. */
  sha256: string;
  module: WebAssembly.Module;
  facts: ModuleFacts;
}

/** Which layer answered. */
export type CacheLayer = "memory" | "indexeddb" | "none";

/** A module ready to instantiate, and how it was obtained. */
export interface PreparedModule extends CompiledModule {
  layer: CacheLayer;
  /** Milliseconds spent obtaining it (hashing, reading, instrumenting, compiling). */
  prepareMs: number;
}

/** What the disk layer stores. */
interface StoredModule {
  bytes: Uint8Array;
  facts: ModuleFacts;
}

/** Turns original bytes into instrumented bytes; throws for a module that cannot be used. */
export type Instrumenter = (bytes: Uint8Array) => { bytes: Uint8Array<ArrayBuffer>; facts: ModuleFacts };

let store: UseStore | undefined;

/**
 * Obtains the module for `bytes`: from the page's memory layer (`fromPage`, when its hash
 * matches), else from IndexedDB, else by `instrument` + compile, storing the result.
 * @throws whatever `instrument` throws; a failed compile of instrumented bytes as an Error.
 *   Storage failures (no IndexedDB, quota) are not errors: the module is simply not stored.
 */
export async function prepareModule(bytes: Uint8Array, instrumentFn: Instrumenter, fromPage?: CompiledModule): Promise<PreparedModule> {
  const started = performance.now();
  const sha256 = await sha256Hex(bytes);
  const done = (layer: CacheLayer, module: WebAssembly.Module, facts: ModuleFacts): PreparedModule => ({
    sha256,
    module,
    facts,
    layer,
    prepareMs: performance.now() - started,
  });
  if (fromPage && fromPage.sha256 === sha256) return done("memory", fromPage.module, fromPage.facts);

  const key = `${sha256}:v${INSTRUMENTATION_VERSION}`;
  const stored = await readStored(key);
  if (stored) {
    try {
      return done("indexeddb", await WebAssembly.compile(stored.bytes as Uint8Array<ArrayBuffer>), stored.facts);
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
  await writeStored(key, { bytes: instrumented.bytes, facts: instrumented.facts });
  return done("none", module, instrumented.facts);
}

function openStore(): UseStore | undefined {
  if (typeof indexedDB === "undefined") return undefined;
  store ??= createStore("extension-playground", "instrumented-modules");
  return store;
}

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
