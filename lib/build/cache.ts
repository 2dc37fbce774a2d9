/**
 * The build cache: module bytes and their diagnostics, content-addressed by the SHA-256 of
 * what decides a build (language, kind, source, compiler command line, toolchain version).
 * Server only. A build is a pure function of that key, so an entry never goes stale; a new
 * compiler release changes the version text and so every key. The `builds` namespace is a
 * cache of the store (`evict` in lib/share/store/types.ts): past its total cap the least
 * recently used entries make room, so a miss there only costs a rebuild.
 *
 * Entries go through {@link BuildStore}, a two-method byte store: in the server, the
 * `builds` namespace of the app's store (lib/share/store: the filesystem under
 * `PLAYGROUND_DATA_DIR`, or PostgreSQL with `DATABASE_URL`), so app servers behind a load
 * balancer share builds as they share links.
 */

import { createHash } from "node:crypto";
import type { Diagnostic } from "./types";

/** A byte store by key. Keys are 64 lowercase hex digits (a SHA-256). */
export interface BuildStore {
  /** The bytes stored under `key`, or `undefined` when there are none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Stores `bytes` under `key`, atomically: a reader sees all of them or none. */
  put(key: string, bytes: Uint8Array): Promise<void>;
}

/** What the cache holds for one successful build. */
export interface CachedBuild {
  wasm: Uint8Array;
  /** The build's warnings and notes, returned again on every hit. */
  diagnostics: Diagnostic[];
}

/** The key of a build: SHA-256 hex over the JSON of everything that decides its output. */
export function buildKey(parts: { language: string; kind: string; source: string; command: string[]; toolchain: string }): string {
  const text = JSON.stringify([parts.language, parts.kind, parts.command, parts.toolchain, parts.source]);
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * An entry's bytes: one line of JSON (`{"v":1,"diagnostics":[…]}`; JSON text never holds a
 * raw newline), a newline, then the module bytes as they are.
 */
export function encodeCachedBuild(entry: CachedBuild): Uint8Array {
  const header = Buffer.from(`${JSON.stringify({ v: 1, diagnostics: entry.diagnostics })}\n`, "utf8");
  return Buffer.concat([header, entry.wasm]);
}

/** Reads an entry; `undefined` for bytes that are not one (a foreign or older format: a miss). */
export function decodeCachedBuild(bytes: Uint8Array): CachedBuild | undefined {
  const newline = bytes.indexOf(0x0a);
  if (newline < 0) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(bytes.subarray(0, newline)).toString("utf8"));
    if (typeof header !== "object" || header === null) return undefined;
    const { v, diagnostics } = header as { v?: unknown; diagnostics?: unknown };
    if (v !== 1 || !Array.isArray(diagnostics)) return undefined;
    return { wasm: new Uint8Array(bytes.subarray(newline + 1)), diagnostics: diagnostics as Diagnostic[] };
  } catch {
    return undefined;
  }
}
