/**
 * Builds the editor's source into a module: WAT in the browser (the wabt Worker), Rust and C
 * on the server (`POST /api/build`, see lib/build/types.ts), and formats Rust and C
 * (`POST /api/format`). Every failure comes back as a value naming what went wrong.
 */

import { wrap, type Remote } from "comlink";
import type { BuildProfile, BuildResponse, FormatResponse } from "../../../lib/build/types";
import { sha256Hex } from "../../../lib/cache/sha256";
import type { WatBuildApi } from "../../../workers/wat-build.worker";
import type { BuildLimit, Diagnostic, SourceLanguage } from "../workbench/state";

/** A finished build. */
export type BuildOutcome =
  | { ok: true; wasm: Uint8Array; sha256: string; cached: boolean; ms: number; diagnostics: Diagnostic[]; where: "browser" | "server" }
  | { ok: false; error: string; diagnostics: Diagnostic[]; limit?: BuildLimit };


let watWorker: Remote<WatBuildApi> | undefined;

/**
 * Builds `source`; `kind` tells the server a WASI command from a reactor. `profile` picks
 * the server's optimization flags (lib/build/types.ts `BuildProfile`; WAT has none).
 */
export async function buildSource(language: SourceLanguage, source: string, kind: "reactor" | "command", profile: BuildProfile = "release"): Promise<BuildOutcome> {
  if (language === "wat") return buildWat(source);
  if (language === "none") return { ok: false, error: "this module was uploaded without source: there is nothing to build", diagnostics: [] };
  return buildOnServer(language, source, kind, profile);
}

async function buildWat(source: string): Promise<BuildOutcome> {
  watWorker ??= wrap<WatBuildApi>(new Worker(new URL("../../../workers/wat-build.worker.ts", import.meta.url), { type: "module", name: "wat-build" }));
  const response = await watWorker.build(source);
  if (!response.ok) return { ok: false, error: response.error, diagnostics: response.diagnostics };
  return { ok: true, wasm: response.wasm, sha256: await sha256Hex(response.wasm), cached: false, ms: response.ms, diagnostics: [], where: "browser" };
}

async function buildOnServer(language: "rust" | "c", source: string, kind: "reactor" | "command", profile: BuildProfile): Promise<BuildOutcome> {
  let response: Response;
  try {
    response = await fetch("/api/build", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ language, source, kind, ...(profile === "release" ? {} : { profile }) }),
    });
  } catch (error) {
    return { ok: false, error: `POST /api/build failed: ${error instanceof Error ? error.message : String(error)}`, diagnostics: [] };
  }
  const body = await readJson(response);
  if (!response.ok || body === undefined) {
    return { ok: false, error: `POST /api/build: ${response.status} ${errorText(body) ?? response.statusText}`, diagnostics: [] };
  }
  const answer = body as BuildResponse;
  if (!answer.ok) return { ok: false, error: answer.error, diagnostics: answer.diagnostics ?? [], ...(answer.limit ? { limit: answer.limit } : {}) };
  const wasm = Uint8Array.from(atob(answer.wasm), (c) => c.charCodeAt(0));
  return { ok: true, wasm, sha256: answer.sha256, cached: answer.cached, ms: answer.ms, diagnostics: answer.diagnostics ?? [], where: "server" };
}

/** The formatter's answer: the formatted source, or its error (the buffer is then left alone). */
export type FormatOutcome = FormatResponse;

/** Formats Rust (rustfmt) or C (clang-format) on the server. */
export async function formatSource(language: "rust" | "c", source: string): Promise<FormatOutcome> {
  let response: Response;
  try {
    response = await fetch("/api/format", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ language, source }) });
  } catch (error) {
    return { ok: false, error: `POST /api/format failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  const body = await readJson(response);
  if (!response.ok || body === undefined) return { ok: false, error: `POST /api/format: ${response.status} ${errorText(body) ?? response.statusText}` };
  return body as FormatOutcome;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** The `error` of an error body, which may be a string or `{ message }`. */
function errorText(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null && "message" in error) return String((error as { message: unknown }).message);
  return undefined;
}
