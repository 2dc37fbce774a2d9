/**
 * The signatures of a module's function imports, so the host can refuse a module that
 * imports a host function with the wrong type at link time (as wasmtime does) instead of
 * failing at the first call. WebAssembly Core Specification 2.0, §5.5.4 (type section),
 * §5.5.5 (import section). Runs after `readModule` has checked the sections' structure.
 */

import { expectEnd, sectionReader, type RawSection } from "./module-sections";

/** One function import and its type, value types spelled as in the text format. */
export interface FunctionImport {
  module: string;
  name: string;
  params: string[];
  results: string[];
}

const VALUE_TYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

/** The function imports of a module, in import order. */
export function readFunctionImports(bytes: Uint8Array, typeSection: RawSection | undefined, importSection: RawSection | undefined): FunctionImport[] {
  if (!importSection) return [];
  const types = typeSection ? readFunctionTypes(bytes, typeSection) : [];
  const reader = sectionReader(bytes, importSection);
  const imports: FunctionImport[] = [];
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const module = reader.readName();
    const name = reader.readName();
    const kind = reader.readByte();
    if (kind === 0x00) {
      const type = types[reader.readU32()] ?? { params: [], results: [] };
      imports.push({ module, name, ...type });
    } else if (kind === 0x01) {
      reader.readByte(); // reference type
      skipLimits(reader);
    } else if (kind === 0x02) {
      skipLimits(reader);
    } else {
      reader.readByte(); // global: value type
      reader.readByte(); // mutability
    }
  }
  expectEnd(reader);
  return imports;
}

/** Every function type of the type section, in order (value types spelled as in the text format). */
export function readFunctionTypes(bytes: Uint8Array, section: RawSection): { params: string[]; results: string[] }[] {
  const reader = sectionReader(bytes, section);
  const types: { params: string[]; results: string[] }[] = [];
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    reader.readByte(); // 0x60, checked by readTypeSection
    const lists: string[][] = [];
    for (let list = 0; list < 2; list++) {
      const length = reader.readU32();
      const values: string[] = [];
      for (let j = 0; j < length; j++) {
        const code = reader.readByte();
        values.push(VALUE_TYPES[code] ?? `0x${code.toString(16)}`);
      }
      lists.push(values);
    }
    types.push({ params: lists[0] ?? [], results: lists[1] ?? [] });
  }
  return types;
}

/** `limits`: a flags byte, the minimum, and the maximum when flag bit 0 is set. */
function skipLimits(reader: ReturnType<typeof sectionReader>): void {
  const flags = reader.readByte();
  reader.readU32();
  if (flags & 1) reader.readU32();
}
