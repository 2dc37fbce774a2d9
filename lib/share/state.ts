/**
 * The share state: everything a link restores, as versioned data
 * (`schemas/share-state.schema.json`). A document of an older version is migrated step by
 * step to the current one before it is validated; a newer or unknown version is refused
 * with a message saying which versions this playground reads, so nothing is ever misread.
 * Pure: runs on the page and in Node.
 */

import Ajv2020, { type ErrorObject } from "ajv/dist/2020.js";
import schema from "../../schemas/share-state.schema.json" with { type: "json" };
import { ShareError } from "./errors";

/** The schema version this playground writes. */
export const SHARE_STATE_VERSION = 1;

/** Source text per editor tab, built when the user asks. */
export interface SourcesExtension {
  kind: "sources";
  language: "rust" | "c" | "wat";
  /** The name the page shows for the extension. */
  label: string;
  /** The example the sources came from (`name` or `group/name`). */
  example?: string;
  /** A reactor (hooks on a live instance) or a WASI command (`_start` run once). */
  program?: "reactor" | "command";
  /** In tab order; at least one. */
  tabs: { name: string; text: string }[];
}

/** A module's bytes (an example's or an upload's). */
export interface ModuleExtension {
  kind: "module";
  /** The label the page shows: an example's name or the uploaded file's name. */
  name: string;
  /** argv[0]; `name` when absent. */
  fileName?: string;
  /** The module, base64url (see {@link toBase64url}). */
  bytes: string;
  /** A reactor or a WASI command, when the page knew. */
  program?: "reactor" | "command";
}

/** One entry of the initial file tree: `null` for a folder, text, or base64url bytes. */
export type ShareFile = null | { text: string } | { bytes: string };

/** A shared state, version 1 (the current one). Field by field: `schemas/share-state.schema.json`. */
export interface ShareState {
  version: 1;
  extension: SourcesExtension | ModuleExtension;
  /** extension.toml as the editor holds it. */
  manifest: string;
  /** The environment editor's text (KEY=VALUE lines). */
  environment: string;
  stdin: string;
  /** Arguments after argv[0]. */
  args: string[];
  /** Absolute path → entry. */
  files: Record<string, ShareFile>;
  /** The events panel's selection. */
  selection?: { event?: string; hook?: string; payload?: string };
}

/**
 * Steps from version N to N + 1, by N. Empty while version 1 is the only one: when the
 * schema changes, the old schema's documents get a step here (and a test with a document
 * of that version), so links made before keep opening.
 */
const MIGRATIONS: Record<number, (document: Record<string, unknown>) => Record<string, unknown>> = {};
/** The oldest version a migration chain starts from. */
const OLDEST_VERSION = 1;

const ajv = new Ajv2020({ allErrors: false, discriminator: true });
const validate = ajv.compile<ShareState>(schema);

/**
 * Migrates a parsed document to the current version and validates it.
 * @throws {ShareError} `unknown-version` for a missing, older-than-supported or newer
 *   version; `schema` naming the first offending member (a JSON Pointer) otherwise.
 */
export function checkShareState(document: unknown): ShareState {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new ShareError("schema", `the state must be a JSON object, found ${Array.isArray(document) ? "an array" : describe(document)}`);
  }
  let current = document as Record<string, unknown>;
  const version = current.version;
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw new ShareError("unknown-version", `the state has no version number (found ${describe(version)}); this playground reads versions ${OLDEST_VERSION}–${SHARE_STATE_VERSION}`);
  }
  if (version > SHARE_STATE_VERSION) {
    throw new ShareError("unknown-version", `the state is version ${version}, made by a newer playground; this one reads versions ${OLDEST_VERSION}–${SHARE_STATE_VERSION}`);
  }
  if (version < OLDEST_VERSION) {
    throw new ShareError("unknown-version", `the state is version ${version}, older than any this playground reads (${OLDEST_VERSION}–${SHARE_STATE_VERSION})`);
  }
  for (let v = version; v < SHARE_STATE_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new ShareError("unknown-version", `no migration from version ${v} to ${v + 1}`);
    current = step(current);
  }
  if (!validate(current)) throw new ShareError("schema", describeProblem(validate.errors));
  return current;
}

/** The deepest error, as `pointer: message`. */
function describeProblem(errors: ErrorObject[] | null | undefined): string {
  const depth = (e: ErrorObject) => (e.instancePath === "" ? 0 : e.instancePath.split("/").length);
  const best = [...(errors ?? [])].sort((a, b) => depth(b) - depth(a))[0];
  if (!best) return "does not match the share-state schema";
  const extra =
    best.keyword === "additionalProperties"
      ? `: "${String(best.params.additionalProperty)}"`
      : best.keyword === "enum"
        ? `: ${(best.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`
        : "";
  return `${best.instancePath || "the state"} ${best.message ?? "is invalid"}${extra}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  return typeof value === "string" ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/** Bytes as base64url without padding (RFC 4648 section 5). */
export function toBase64url(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    if (b !== undefined) out += ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    if (c !== undefined) out += ALPHABET[c & 63]!;
  }
  return out;
}

/**
 * Decodes base64url; `=` padding is accepted and ignored.
 * @param what names the text in errors (`the link`, `/extension/bytes`).
 * @throws {ShareError} `not-base64url` naming the first character outside the alphabet and
 *   its position; `truncated` for a length no encoder produces (4n + 1).
 */
export function fromBase64url(text: string, what = "the link"): Uint8Array {
  const body = text.replace(/=+$/, "");
  for (let i = 0; i < body.length; i++) {
    if (!VALUES.has(body[i]!)) {
      throw new ShareError("not-base64url", `${what} holds ${JSON.stringify(body[i])} at position ${i + 1}, outside base64url's A–Z a–z 0–9 - _`);
    }
  }
  if (body.length % 4 === 1) throw new ShareError("truncated", `${what} is cut short: ${body.length} base64url characters cannot end a byte`);
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of body) {
    value = (value << 6) | VALUES.get(char)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}
