/**
 * The WAT build Worker: compiles WebAssembly text to a module with `wabt`, off the page's
 * thread (wabt's first use compiles its own module, and a big text takes a while).
 */

import { expose } from "comlink";
import wabtInit from "wabt";
import { parseWabtErrors, type WatDiagnostic } from "../lib/wat-diagnostics";

/** The answer to `build`: the module bytes, or wabt's error with its diagnostics. */
export type WatBuildResponse =
  | { ok: true; wasm: Uint8Array; ms: number; diagnostics: WatDiagnostic[] }
  | { ok: false; error: string; diagnostics: WatDiagnostic[] };

let wabt: ReturnType<typeof wabtInit> | undefined;

const api = {
  /** Parses, resolves names, validates and encodes `source` (with debug names, as the examples are built). */
  async build(source: string, fileName = "source.wat"): Promise<WatBuildResponse> {
    const started = performance.now();
    wabt ??= wabtInit();
    const tools = await wabt;
    let mod: ReturnType<typeof tools.parseWat> | undefined;
    try {
      mod = tools.parseWat(fileName, source);
      mod.resolveNames();
      mod.validate();
      const wasm = new Uint8Array(mod.toBinary({ write_debug_names: true }).buffer);
      return { ok: true, wasm, ms: performance.now() - started, diagnostics: [] };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: message.trim(), diagnostics: parseWabtErrors(message) };
    } finally {
      mod?.destroy();
    }
  },
};

/** The API the page sees through comlink. */
export type WatBuildApi = typeof api;

expose(api);
