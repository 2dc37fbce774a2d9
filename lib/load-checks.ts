/**
 * What loading checks before anything of the guest runs: the manifest, the module's
 * validity and instrumentation (through the module cache), its initial memory against
 * `[limits]`, host-function and WASI import signatures, and the hooks against the exports.
 */

import { signatureMismatch } from "./abi/signatures";
import { prepareModule, type CompiledModule, type ModuleStore } from "./cache/module-cache";
import { isHostNamespace } from "./link";
import { LoadError } from "./load-error";
import { ManifestError, parseManifest } from "./manifest/parse";
import type { Manifest } from "./manifest/types";
import { instrument, pageBytes, WasmFormatError, type ModuleFacts } from "./sandbox/instrument";
import { wasiSignatureMismatch } from "./wasi/signatures";

/** Parses the manifest. @throws {LoadError} (stage `manifest`) naming the key and line. */
export function readManifest(source: string): Manifest {
  try {
    return parseManifest(source);
  } catch (error) {
    if (error instanceof ManifestError) throw new LoadError("manifest", error.message, error.line);
    throw error;
  }
}

/** The compiled, instrumented module, from a cache layer or built now (see lib/cache). */
export async function prepare(bytes: Uint8Array, fromPage?: CompiledModule, disk?: ModuleStore) {
  try {
    return await prepareModule(bytes, validateAndInstrument, fromPage, disk);
  } catch (error) {
    if (error instanceof LoadError) throw error;
    throw new LoadError("compile", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Validates and instruments (fuel, memory cap) a module. Invalid bytes are judged by the
 * engine first, so the user reads the engine's message about their module rather than the
 * instrumenter's (or one about the rewritten bytes).
 * @throws {LoadError} for a module that does not validate or cannot be instrumented.
 */
export function validateAndInstrument(bytes: Uint8Array): ReturnType<typeof instrument> {
  const original = bytes as Uint8Array<ArrayBuffer>;
  if (!WebAssembly.validate(original)) {
    let message = "it does not validate";
    try {
      new WebAssembly.Module(original);
    } catch (error) {
      message = error instanceof Error ? error.message.replace(/^WebAssembly\.Module\(\): /, "") : String(error);
    }
    throw new LoadError("compile", `not a valid WebAssembly module (${bytes.length} bytes): ${message}`);
  }
  try {
    return instrument(bytes, { fuel: true, memoryCap: true });
  } catch (error) {
    if (error instanceof WasmFormatError) throw new LoadError("compile", `the sandbox cannot instrument this module: ${error.message}`);
    throw error;
  }
}

/** A module whose initial memory is over `[limits] max_memory_bytes` is refused before it runs. */
export function checkMemory(facts: ModuleFacts, manifest: Manifest): void {
  const initial = facts.memory?.initialPages ?? 0;
  const cap = manifest.limits.maxMemoryBytes;
  if (initial * pageBytes > cap) {
    throw new LoadError(
      "limits",
      `the module's initial memory is ${initial} pages (${(initial * pageBytes).toLocaleString("en")} bytes), ` +
        `more than max_memory_bytes = ${cap.toLocaleString("en")} (${Math.floor(cap / pageBytes)} pages)`,
    );
  }
}

/**
 * Host functions and WASI preview1 functions imported with another type than the ABI's or
 * the witx's are refused before anything runs, naming the import and both types.
 */
export function checkSignatures(facts: ModuleFacts): void {
  for (const imported of facts.functionImports) {
    if (isHostNamespace(imported.module)) {
      const problem = signatureMismatch(imported);
      if (problem) throw new LoadError("link", `${problem} (seeds/wasm-extensions.md, wasm_host.rs)`);
    } else {
      const problem = wasiSignatureMismatch(imported);
      if (problem) throw new LoadError("link", `${problem} (wasi_snapshot_preview1.witx)`);
    }
  }
}

/** Every hook's handler must be an exported function, checked before anything runs. */
export function checkHooks(manifest: Manifest, module: WebAssembly.Module): void {
  const functions = WebAssembly.Module.exports(module)
    .filter((e) => e.kind === "function")
    .map((e) => e.name);
  manifest.hooks.forEach((hook, index) => {
    if (functions.includes(hook.handler)) return;
    const key = manifest.hookForm === "documented" ? `hooks[${index}].handler` : `hooks."${hook.event}"`;
    const error = new ManifestError(
      key,
      hook.line,
      `the module does not export a function "${hook.handler}" (its function exports: ${functions.join(", ") || "none"})`,
    );
    throw new LoadError("manifest", error.message, hook.line);
  });
}
