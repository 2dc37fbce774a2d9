/**
 * Reading and checking the build and format routes' bodies. Server only. Every refusal
 * names the field (400) or the cap (413) it is about.
 */

import { readCappedBody } from "../http/read-body";
import type { BuildJob } from "./builder";
import { formatBytes, type BuildLimits } from "./limits";
import type { BuildLanguage, BuildProfile, RouteError } from "./types";

/** A refused body: the HTTP status and the answer's `{ error }`. */
export interface Refusal {
  status: 400 | 413;
  body: RouteError;
}

const LANGUAGES: readonly BuildLanguage[] = ["rust", "c"];
const KINDS = ["reactor", "command"] as const;
const PROFILES = ["release", "size"] as const;

/** Reads the body, refusing it as soon as it passes `limits.maxRequestBytes` (declared or streamed). */
export async function readBody(request: Request, limits: BuildLimits): Promise<Uint8Array | Refusal> {
  const body = await readCappedBody(request, limits.maxRequestBytes);
  if (body !== "too large") return body;
  return { status: 413, body: { error: `the request body is over the cap of ${formatBytes(limits.maxRequestBytes)} (maxRequestBytes)` } };
}

function refuse(error: string): Refusal {
  return { status: 400, body: { error } };
}

/** Checks `{ language, source }`, the fields both routes share. */
function checkSource(body: Uint8Array, limits: BuildLimits): { document: Record<string, unknown>; language: BuildLanguage; source: string } | Refusal {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body));
  } catch (error) {
    return refuse(`the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return refuse(`the body must be a JSON object { "language", "source" }`);
  }
  const fields = document as Record<string, unknown>;
  const language = fields.language;
  if (!LANGUAGES.includes(language as BuildLanguage)) {
    return refuse(`"language" must be "rust" or "c", got ${language === undefined ? "nothing" : JSON.stringify(language)}`);
  }
  const source = fields.source;
  if (typeof source !== "string") return refuse(`"source" must be a string, got ${source === undefined ? "nothing" : typeof source}`);
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > limits.maxSourceBytes) {
    return { status: 413, body: { error: `"source" is ${bytes} bytes, over the cap of ${formatBytes(limits.maxSourceBytes)} (maxSourceBytes)` } };
  }
  return { document: fields, language: language as BuildLanguage, source };
}

/** Parses `POST /api/build`'s body: `{ language, source, kind?, profile? }`. */
export function parseBuildBody(body: Uint8Array, limits: BuildLimits): BuildJob | Refusal {
  const checked = checkSource(body, limits);
  if ("status" in checked) return checked;
  const kind = checked.document.kind ?? "reactor";
  if (!KINDS.includes(kind as (typeof KINDS)[number])) {
    return refuse(`"kind" must be "reactor" or "command" (or left out: "reactor"), got ${JSON.stringify(kind)}`);
  }
  const profile = checked.document.profile ?? "release";
  if (!PROFILES.includes(profile as (typeof PROFILES)[number])) {
    return refuse(`"profile" must be "release" or "size" (or left out: "release"), got ${JSON.stringify(profile)}`);
  }
  return { language: checked.language, source: checked.source, kind: kind as BuildJob["kind"], profile: profile as BuildProfile };
}

/** Parses `POST /api/format`'s body: `{ language, source }`. */
export function parseFormatBody(body: Uint8Array, limits: BuildLimits): { language: BuildLanguage; source: string } | Refusal {
  const checked = checkSource(body, limits);
  if ("status" in checked) return checked;
  return { language: checked.language, source: checked.source };
}

/** True for a {@link Refusal}. */
export function isRefusal(value: unknown): value is Refusal {
  return typeof value === "object" && value !== null && "status" in value && "body" in value;
}
