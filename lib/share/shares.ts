/**
 * Stored shares: the framed, compressed state (lib/share/codec.ts) kept content-addressed
 * in the store's `shares` namespace. The id is the first 22 base64url characters (132 bits)
 * of the bytes' SHA-256, so a link names exactly one state; reading checks the bytes hash
 * to the id again, so a corrupted entry is reported and never served. Server only.
 */

import { createHash } from "node:crypto";
import { decodeState, defaultShareLimits, type ShareLimits } from "./codec";
import { ShareError } from "./errors";
import { toBase64url } from "./state";
import { StoreError, type ContentStore } from "./store/types";

/** The store namespace of shares. */
export const SHARES_NAMESPACE = "shares";
/** A share id: 22 base64url characters. */
export const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;

/** The id of a share's bytes. */
export function shareIdOf(framed: Uint8Array): string {
  return toBase64url(createHash("sha256").update(framed).digest()).slice(0, 22);
}

/**
 * Checks a framed state (decoding it fully, with the caps) and stores it.
 * @returns the share's id.
 * @throws {ShareError} every decoding error; `oversized` past the caps; `unavailable` when the store is full.
 */
export async function createShare(store: ContentStore, framed: Uint8Array, limits: ShareLimits = defaultShareLimits()): Promise<string> {
  if (framed.length > limits.maxCompressedBytes) {
    throw new ShareError("oversized", `the share is ${framed.length} bytes compressed; a share holds at most ${limits.maxCompressedBytes}`);
  }
  decodeState(framed, limits, "the share");
  const id = shareIdOf(framed);
  try {
    await store.put(SHARES_NAMESPACE, id, framed);
  } catch (error) {
    if (error instanceof StoreError && error.kind === "too-large") throw new ShareError("oversized", error.message);
    if (error instanceof StoreError && error.kind === "full") throw new ShareError("unavailable", `the share store is full: ${error.message}`);
    throw error;
  }
  return id;
}

/**
 * A stored share's framed bytes, checked against its id.
 * @throws {ShareError} `unknown-id` for a malformed or absent id, `corrupted` when the bytes
 *   do not match their digest or the id, `oversized` past the per-share cap.
 */
export async function readShare(store: ContentStore, id: string, limits: ShareLimits = defaultShareLimits()): Promise<Uint8Array> {
  if (!SHARE_ID.test(id)) throw new ShareError("unknown-id", `"${id.slice(0, 40)}" is not a share id (22 base64url characters)`);
  let framed: Uint8Array | undefined;
  try {
    framed = await store.get(SHARES_NAMESPACE, id);
  } catch (error) {
    if (error instanceof StoreError && error.kind === "corrupted") throw new ShareError("corrupted", `share ${id} is damaged in the store and was not served (${error.message})`);
    throw error;
  }
  if (!framed) throw new ShareError("unknown-id", `no share is stored under ${id}`);
  if (framed.length > limits.maxCompressedBytes) {
    throw new ShareError("oversized", `share ${id} is ${framed.length} bytes; a share holds at most ${limits.maxCompressedBytes}`);
  }
  const actual = shareIdOf(framed);
  if (actual !== id) throw new ShareError("corrupted", `share ${id} is damaged in the store and was not served: its bytes hash to ${actual}`);
  return framed;
}
