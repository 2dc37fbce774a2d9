/**
 * The compressed form of a share state, and the URL fragment that carries a small one.
 *
 * A state is JSON, deflated (raw DEFLATE, RFC 1951, by fflate) and framed:
 * `[0x01][compressed length, u32 little-endian][deflate bytes]`. The framing is what tells a
 * truncated link (fewer bytes than the length says) from bytes that are not a deflate
 * stream at all, which DEFLATE alone cannot: a cut stream and garbage both end in
 * "unexpected EOF". The same framed bytes are what the store keeps for a stored share.
 *
 * A link is `/#share=<base64url of the framed bytes>` while it stays under
 * {@link MAX_LINK_LENGTH} characters (the TypeScript Playground's model: the state never
 * reaches a server); a larger state is stored (`POST /api/shares`) and linked as `/s/<id>`.
 * Inflating is capped while it happens, so a small link cannot inflate into a large
 * allocation. Pure: runs on the page and in Node.
 */

import { Inflate, deflateSync } from "fflate";
import { ShareError } from "./errors";
import { checkShareState, fromBase64url, toBase64url, type ShareState } from "./state";

/** Caps on a share's size. */
export interface ShareLimits {
  /** Bytes of the state's JSON once inflated. Default 4 MiB. */
  maxStateBytes: number;
  /** Bytes of a framed, compressed state: the most a store keeps per share. Default 2 MiB. */
  maxCompressedBytes: number;
}

/** The default {@link ShareLimits}. */
export function defaultShareLimits(): ShareLimits {
  return { maxStateBytes: 4 * 1024 * 1024, maxCompressedBytes: 2 * 1024 * 1024 };
}

/** The longest link put in a URL fragment, in characters, origin included; a longer state is stored instead. */
export const MAX_LINK_LENGTH = 8192;
/** What the fragment starts with, after `#`. */
export const FRAGMENT_PREFIX = "share=";

const FORMAT = 0x01;
const HEADER_BYTES = 5;
/** Compressed bytes inflated at a time: one step can produce at most ~1 MiB before the cap is checked. */
const SLICE_BYTES = 1024;

/** Compresses and frames a state. */
export function encodeState(state: ShareState): Uint8Array {
  const deflated = deflateSync(new TextEncoder().encode(JSON.stringify(state)), { level: 9 });
  const framed = new Uint8Array(HEADER_BYTES + deflated.length);
  framed[0] = FORMAT;
  new DataView(framed.buffer).setUint32(1, deflated.length, true);
  framed.set(deflated, HEADER_BYTES);
  return framed;
}

/**
 * Unframes, inflates (capped), parses, migrates and validates a state.
 * @param what names the data in messages (`the link`, `share 4fKx…`).
 * @throws {ShareError} `truncated`, `not-deflate`, `oversized`, `bomb`, `schema` or `unknown-version`.
 */
export function decodeState(framed: Uint8Array, limits: ShareLimits = defaultShareLimits(), what = "the link"): ShareState {
  if (framed.length < HEADER_BYTES) throw new ShareError("truncated", `${what} holds ${framed.length} bytes; even its header takes ${HEADER_BYTES}`);
  if (framed[0] !== FORMAT) throw new ShareError("not-deflate", `${what} does not start with the share format's marker (byte 0x01, found 0x${framed[0]!.toString(16).padStart(2, "0")})`);
  const length = new DataView(framed.buffer, framed.byteOffset, framed.byteLength).getUint32(1, true);
  if (length > limits.maxCompressedBytes) throw new ShareError("oversized", `${what} declares ${length} compressed bytes; a share holds at most ${limits.maxCompressedBytes}`);
  const body = framed.subarray(HEADER_BYTES);
  if (body.length < length) throw new ShareError("truncated", `${what} is cut short: it holds ${body.length} of its ${length} compressed bytes`);
  if (body.length > length) throw new ShareError("not-deflate", `${what} has ${body.length - length} bytes after its ${length}-byte deflate stream`);
  const json = inflateCapped(body, limits.maxStateBytes, what);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new ShareError("schema", `${what} inflates to bytes that are not UTF-8 text`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ShareError("schema", `${what} inflates to text that is not JSON (${(error as Error).message})`);
  }
  return checkShareState(document);
}

/** Inflates raw DEFLATE in slices, refusing output past `cap` bytes as soon as it is produced. */
function inflateCapped(deflated: Uint8Array, cap: number, what: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size <= cap) parts.push(chunk);
  });
  for (let at = 0; at < deflated.length; at += SLICE_BYTES) {
    try {
      inflater.push(deflated.subarray(at, at + SLICE_BYTES), at + SLICE_BYTES >= deflated.length);
    } catch (error) {
      const detail = (error as Error).message === "unexpected EOF" ? "the stream ends before its last block" : (error as Error).message;
      throw new ShareError("not-deflate", `${what} is not a valid deflate stream: ${detail}`);
    }
    if (size > cap) throw new ShareError("bomb", `${what} inflates past ${cap} bytes (stopped after ${size} bytes from ${at + SLICE_BYTES} compressed)`);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The fragment (without `#`) that carries a state. */
export function fragmentFor(state: ShareState): string {
  return FRAGMENT_PREFIX + toBase64url(encodeState(state));
}

/** Whether a URL fragment is a share link (`#share=…`); `hash` with or without its `#`. */
export function isShareFragment(hash: string): boolean {
  return hash.replace(/^#/, "").startsWith(FRAGMENT_PREFIX);
}

/**
 * Reads the state a `#share=…` fragment carries.
 * @param hash `location.hash`, with or without its `#`.
 * @throws {ShareError} `oversized` for a fragment past {@link MAX_LINK_LENGTH}, `not-base64url`,
 *   and every error of {@link decodeState}.
 */
export function stateFromFragment(hash: string, limits: ShareLimits = defaultShareLimits()): ShareState {
  const payload = hash.replace(/^#/, "").slice(FRAGMENT_PREFIX.length);
  if (payload.length > MAX_LINK_LENGTH) {
    throw new ShareError("oversized", `the link's fragment is ${payload.length} characters; share links carry at most ${MAX_LINK_LENGTH} (larger states are stored as /s/<id>)`);
  }
  if (payload === "") throw new ShareError("truncated", "the link ends right after #share=: its data is missing");
  return decodeState(fromBase64url(payload, "the link"), limits, "the link");
}

/** A fragment link for `state` at `base` (`https://host/`), or `undefined` when it would pass {@link MAX_LINK_LENGTH}. */
export function fragmentLink(base: string, state: ShareState): string | undefined {
  const link = `${base.replace(/#.*$/, "")}#${fragmentFor(state)}`;
  return link.length <= MAX_LINK_LENGTH ? link : undefined;
}
