/**
 * What a module declares, read for the inspector: every import and export with its kind
 * and type, each defined function's type and body size, the memories, the custom sections
 * and the size of every section (WebAssembly Core Specification 2.0, §5.5 "Modules").
 *
 * It reuses the sandbox's reader (`lib/sandbox/`: section framing, limits, the name
 * section, the type section) and reads only what the sandbox does not keep. The module is
 * expected to have validated already (the engine judges a module before anything else
 * does); a malformed one still fails with a {@link WasmFormatError} naming the byte.
 */

import type { BinaryReader } from "../sandbox/binary-reader";
import { readFunctionTypes } from "../sandbox/import-signatures";
import {
  readLimits,
  sectionId,
  sectionLabel,
  sectionReader,
  splitSections,
  type MemoryLimits,
  type RawSection,
} from "../sandbox/module-sections";
import { readFunctionNames } from "../sandbox/name-section";

export { WasmFormatError } from "../sandbox/wasm-format-error";

/** A function type, value types spelled as in the text format (`i32`, `f64`, …). */
export interface FunctionType {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

/** The kinds of an import or export (§5.5.5, §5.5.10). */
export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

/** One import, in import order. */
export interface ImportEntry {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
  /** The function's type, for a function import. */
  readonly type?: FunctionType;
  /** The limits in pages, for a memory import. */
  readonly limits?: MemoryLimits;
}

/** One export, in export order. */
export interface ExportEntry {
  readonly name: string;
  readonly kind: ExternKind;
  /** Index in the kind's index space (imports first). */
  readonly index: number;
  /** The function's type, for a function export. */
  readonly type?: FunctionType;
}

/** One defined function (not an import). */
export interface FunctionEntry {
  /** Index in the function index space (imports first). */
  readonly index: number;
  /** From the `name` section, when it names the function. */
  readonly name?: string;
  /** The name to show: the `name` section's, else an export's, else `func[N]` (the text format's). */
  readonly label: string;
  readonly type?: FunctionType;
  /** Bytes of its body in the code section, including the body's size field. */
  readonly bodyBytes: number;
}

/** One section as it sits in the binary. */
export interface SectionEntry {
  readonly id: number;
  /** `type`, `code`, … or for a custom section `custom "name"`. */
  readonly label: string;
  /** Bytes of the whole section: id, size field and content. */
  readonly bytes: number;
  /** For a custom section, its name. */
  readonly customName?: string;
}

/** Everything {@link readModuleStructure} reads. */
export interface ModuleStructure {
  /** Size of the module in bytes. */
  readonly byteLength: number;
  readonly types: readonly FunctionType[];
  readonly imports: readonly ImportEntry[];
  readonly exports: readonly ExportEntry[];
  /** Defined functions, in index order. */
  readonly functions: readonly FunctionEntry[];
  /** Memories defined by the module (imported ones are in {@link imports}). */
  readonly memories: readonly MemoryLimits[];
  readonly sections: readonly SectionEntry[];
  /** Function index → name, from the `name` section (imports included). */
  readonly functionNames: ReadonlyMap<number, string>;
}

/**
 * The name to show for function `index`: the `name` section's, else an export's, for an
 * import `module.name`, else `func[N]`.
 */
export function functionLabel(structure: ModuleStructure, index: number): string {
  const importedFunctions = structure.imports.filter((i) => i.kind === "function");
  const imported = importedFunctions[index];
  if (imported) return structure.functionNames.get(index) ?? `${imported.module}.${imported.name}`;
  return structure.functions[index - importedFunctions.length]?.label ?? `func[${index}]`;
}

const kindNames: readonly ExternKind[] = ["function", "table", "memory", "global", "tag"];

/**
 * Reads a module's declarations.
 * @param bytes a core WebAssembly module (version 1); not modified.
 * @throws WasmFormatError when a section the inspector reads is malformed.
 */
export function readModuleStructure(bytes: Uint8Array): ModuleStructure {
  const raw = splitSections(bytes);
  const find = (id: number) => raw.find((s) => s.id === id && s.customName === undefined);
  const typeSection = find(sectionId.type);
  const types = typeSection ? readFunctionTypes(bytes, typeSection) : [];
  const imports = readImportEntries(bytes, find(sectionId.import), types);
  const importedFunctions = imports.filter((i) => i.kind === "function").length;
  const typeIndices = readFunctionTypeIndices(bytes, find(sectionId.function));
  const nameSection = raw.find((s) => s.customName === "name");
  const functionNames = nameSection ? readFunctionNames(bytes, nameSection) : new Map<number, string>();
  const bodies = readBodySizes(bytes, find(sectionId.code));
  const functionImports = imports.filter((i) => i.kind === "function");
  const functionType = (index: number): FunctionType | undefined =>
    index < importedFunctions ? functionImports[index]?.type : types[typeIndices[index - importedFunctions] ?? -1];
  const exports = readExportEntries(bytes, find(sectionId.export), functionType);
  const exportedAs = new Map(exports.filter((e) => e.kind === "function").map((e) => [e.index, e.name]));
  const functions = typeIndices.map((typeIndex, i): FunctionEntry => {
    const index = importedFunctions + i;
    const name = functionNames.get(index);
    const type = types[typeIndex];
    const label = name ?? exportedAs.get(index) ?? `func[${index}]`;
    return { index, label, bodyBytes: bodies[i] ?? 0, ...(name !== undefined ? { name } : {}), ...(type ? { type } : {}) };
  });
  const memorySection = find(sectionId.memory);
  const memories = memorySection ? readVectorOf(bytes, memorySection, readLimits) : [];
  return {
    byteLength: bytes.length,
    types,
    imports,
    exports,
    functions,
    memories,
    sections: raw.map(describeSection),
    functionNames,
  };
}

function describeSection(section: RawSection): SectionEntry {
  const bytes = section.end - section.offset;
  if (section.customName !== undefined) {
    return { id: section.id, label: `custom "${section.customName}"`, bytes, customName: section.customName };
  }
  return { id: section.id, label: sectionLabel(section.id).replace(/^section \d+ \((.*)\)$/, "$1"), bytes };
}

function readVectorOf<T>(bytes: Uint8Array, section: RawSection, readItem: (reader: BinaryReader) => T): T[] {
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push(readItem(reader));
  return items;
}

/** §5.5.5 import section, every kind. */
function readImportEntries(bytes: Uint8Array, section: RawSection | undefined, types: readonly FunctionType[]): ImportEntry[] {
  if (section === undefined) return [];
  return readVectorOf(bytes, section, (reader) => {
    const module = reader.readName();
    const name = reader.readName();
    const kindOffset = reader.position;
    const code = reader.readByte();
    const kind = kindNames[code];
    switch (kind) {
      case "function": {
        const type = types[reader.readU32()];
        return { module, name, kind, ...(type ? { type } : {}) };
      }
      case "table":
        reader.readByte(); // reference type
        readLimits(reader);
        return { module, name, kind };
      case "memory":
        return { module, name, kind, limits: readLimits(reader) };
      case "global":
        reader.readByte(); // value type
        reader.readByte(); // mutability
        return { module, name, kind };
      case "tag":
        reader.readByte(); // attribute
        reader.readU32();
        return { module, name, kind };
      default:
        return reader.fail(`invalid import kind 0x${code.toString(16)}`, kindOffset);
    }
  });
}

/** §5.5.6 function section: the type index of each defined function. */
function readFunctionTypeIndices(bytes: Uint8Array, section: RawSection | undefined): number[] {
  return section ? readVectorOf(bytes, section, (reader) => reader.readU32()) : [];
}

/** §5.5.13 code section: each body's size, counting its own size field. */
function readBodySizes(bytes: Uint8Array, section: RawSection | undefined): number[] {
  if (section === undefined) return [];
  return readVectorOf(bytes, section, (reader) => {
    const start = reader.position;
    const size = reader.readU32();
    reader.skip(size);
    return reader.position - start;
  });
}

/** §5.5.10 export section. */
function readExportEntries(
  bytes: Uint8Array,
  section: RawSection | undefined,
  functionType: (index: number) => FunctionType | undefined,
): ExportEntry[] {
  if (section === undefined) return [];
  return readVectorOf(bytes, section, (reader) => {
    const name = reader.readName();
    const kindOffset = reader.position;
    const code = reader.readByte();
    const kind = kindNames[code];
    if (kind === undefined) return reader.fail(`invalid export kind 0x${code.toString(16)}`, kindOffset);
    const index = reader.readU32();
    const type = kind === "function" ? functionType(index) : undefined;
    return { name, kind, index, ...(type ? { type } : {}) };
  });
}
