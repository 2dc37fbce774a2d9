/**
 * Function names from the `name` custom section (WebAssembly Core Specification 2.0,
 * Appendix 7.4 "Custom Sections": name section, subsection id 1, function names).
 *
 * > Errors in custom sections … do not invalidate a module.
 *
 * Engines ignore a malformed name section, so this reader does too: it returns the names
 * it could read before the first malformed byte instead of throwing.
 */

import { BinaryReader } from "./binary-reader";
import type { RawSection } from "./module-sections";
import { WasmFormatError } from "./wasm-format-error";

const functionNamesSubsection = 1;

/**
 * Reads the function-name map (function index → name) of a `name` custom section.
 * Never throws: stops at the first malformed subsection and returns what it has.
 */
export function readFunctionNames(bytes: Uint8Array, section: RawSection): Map<number, string> {
  const names = new Map<number, string>();
  const reader = new BinaryReader(bytes, section.contentStart, section.end, "custom section \"name\"");
  try {
    reader.readName(); // "name"
    while (!reader.atEnd()) {
      const id = reader.readByte();
      const size = reader.readU32();
      const subsection = reader.slice(size, reader.where, "subsection");
      if (id !== functionNamesSubsection) continue;
      const count = subsection.readU32();
      for (let i = 0; i < count; i++) {
        const index = subsection.readU32();
        names.set(index, subsection.readName());
      }
    }
  } catch (error) {
    if (!(error instanceof WasmFormatError)) throw error;
  }
  return names;
}
