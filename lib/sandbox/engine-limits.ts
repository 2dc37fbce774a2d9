/**
 * The engine's limits on a module, checked on what the instrumenter produces.
 *
 * The WebAssembly JavaScript Interface fixes the limits every engine enforces ("Limits",
 * WebAssembly JS API §5, which V8 implements as written). The loader validates the user's
 * module first, so the original is within them; instrumenting adds a type, functions,
 * globals and exports, and grows function bodies (a fuel charge per region: a dense `br_if`
 * body grows about three times), so the output can pass a limit the original respects. The
 * instrumenter refuses such a module with an error naming the limit and the size, instead
 * of handing the engine a module it will not compile.
 */

import { BinaryReader } from "./binary-reader";
import { sectionId, sectionLabel, type RawSection } from "./module-sections";
import { WasmFormatError } from "./wasm-format-error";

/** The JS API's limits the instrumentation can reach (counts, and bytes for a body). */
export const ENGINE_LIMITS = {
  types: 1_000_000,
  functions: 1_000_000,
  globals: 1_000_000,
  exports: 100_000,
  functionBodyBytes: 7_654_321,
} as const;

/** What the instrumented module declares, by index space. */
export interface ModuleCounts {
  types: number;
  /** Imported and defined functions. */
  functions: number;
  /** Imported and defined globals. */
  globals: number;
  exports: number;
}

const NOUNS: Record<keyof ModuleCounts, string> = { types: "types", functions: "functions", globals: "globals", exports: "exports" };

/**
 * Refuses an instrumented module past a count limit.
 * @param original the counts of the user's module; `instrumented` those of the output.
 * @throws WasmFormatError (`unsupported`) naming the limit, both counts and what was added.
 */
export function checkCounts(original: ModuleCounts, instrumented: ModuleCounts): void {
  for (const key of Object.keys(NOUNS) as (keyof ModuleCounts)[]) {
    const limit = ENGINE_LIMITS[key];
    if (instrumented[key] <= limit) continue;
    const added = instrumented[key] - original[key];
    throw new WasmFormatError(
      "module",
      8,
      `the module has ${count(original[key])} ${NOUNS[key]}; the sandbox adds ${added}, which passes the engine's limit of ` +
        `${count(limit)} ${NOUNS[key]} (WebAssembly JS API limits)`,
      true,
    );
  }
}

/**
 * Refuses an instrumented code section with a function body past the engine's limit.
 * @param bytes the original module; `original` its code section.
 * @param rewritten the instrumented code section's content (`vec(code)`).
 * @param firstIndex the function index of the first body (the number of imported functions).
 * @throws WasmFormatError (`unsupported`) naming the function, both sizes and the limit.
 */
export function checkBodySizes(bytes: Uint8Array, original: RawSection, rewritten: Uint8Array, firstIndex: number): void {
  const where = sectionLabel(sectionId.code);
  const output = new BinaryReader(rewritten, 0, rewritten.length, where);
  const input = new BinaryReader(bytes, original.contentStart, original.end, where);
  const bodies = output.readU32();
  const originalBodies = input.readU32();
  for (let i = 0; i < bodies; i++) {
    const size = output.readU32();
    output.skip(size);
    const bodyOffset = input.position;
    const originalSize = i < originalBodies ? input.readU32() : 0;
    if (i < originalBodies) input.skip(originalSize);
    if (size <= ENGINE_LIMITS.functionBodyBytes) continue;
    throw new WasmFormatError(
      `${where}, function ${firstIndex + i}`,
      bodyOffset,
      `instrumented, this function's body would be ${count(size)} bytes (${count(originalSize)} before), more than the ` +
        `engine's limit of ${count(ENGINE_LIMITS.functionBodyBytes)} bytes per function body (WebAssembly JS API limits)`,
      true,
    );
  }
}

function count(n: number): string {
  return n.toLocaleString("en");
}
