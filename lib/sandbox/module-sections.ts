/**
 * The module's outer structure: header, section framing and order (WebAssembly Core
 * Specification 2.0, §5.5 "Modules"), and the few facts the instrumenter needs from the
 * type, import, function, memory, global, export, start and code sections. Everything
 * else is kept as raw bytes and copied through untouched.
 */

import { BinaryReader } from "./binary-reader";
import { skipValueType, typedReferencePrefixes } from "./opcodes";
import { WasmFormatError } from "./wasm-format-error";

/** §5.5.2 section ids. 13 is the exception-handling tag section. */
export const sectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
  tag: 13,
} as const;

const sectionNames: ReadonlyMap<number, string> = new Map([
  [0, "custom"],
  [1, "type"],
  [2, "import"],
  [3, "function"],
  [4, "table"],
  [5, "memory"],
  [6, "global"],
  [7, "export"],
  [8, "start"],
  [9, "element"],
  [10, "code"],
  [11, "data"],
  [12, "data count"],
  [13, "tag"],
]);

/**
 * Position of each non-custom section in the required order (§5.5.2): the data count
 * section sits between element and code, the tag section between memory and global.
 */
const sectionRank: ReadonlyMap<number, number> = new Map([
  [1, 1],
  [2, 2],
  [3, 3],
  [4, 4],
  [5, 5],
  [13, 6],
  [6, 7],
  [7, 8],
  [8, 9],
  [9, 10],
  [12, 11],
  [10, 12],
  [11, 13],
]);

/** The required position of a non-custom section; custom sections have none. */
export function rankOf(id: number): number | undefined {
  return sectionRank.get(id);
}

/** `"section 10 (code)"`: how errors name a section. */
export function sectionLabel(id: number): string {
  return `section ${id} (${sectionNames.get(id) ?? "unknown"})`;
}

/** One section as found in the binary. Offsets are absolute. */
export interface RawSection {
  readonly id: number;
  /** Offset of the section id byte. */
  readonly offset: number;
  /** Offset of the first content byte (after the size). */
  readonly contentStart: number;
  /** Offset one past the last content byte. */
  readonly end: number;
  /** For custom sections, the section's name. */
  readonly customName?: string;
}

const magic = [0x00, 0x61, 0x73, 0x6d];

/**
 * Checks the header (§5.5.16: magic `\0asm`, version 1) and splits the module into
 * sections, checking each size against the module's end and the order of non-custom
 * sections (each at most once, in the order of §5.5.2).
 * @throws WasmFormatError naming the offending byte.
 */
export function splitSections(bytes: Uint8Array): RawSection[] {
  const header = new BinaryReader(bytes, 0, bytes.length, "module header", "module");
  for (let i = 0; i < Math.min(4, bytes.length); i++) {
    if (bytes[i] !== magic[i]) {
      const found = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
      header.fail(`bad magic number ${found} (a WebAssembly module starts with 00 61 73 6d, "\\0asm")`, 0);
    }
  }
  if (bytes.length < 8) {
    const reason = `unexpected end of module: ${bytes.length} bytes, a module has at least 8 (magic and version)`;
    header.fail(reason, bytes.length);
  }
  const version = (bytes[4] as number) | ((bytes[5] as number) << 8);
  const layer = (bytes[6] as number) | ((bytes[7] as number) << 8);
  if (layer === 1) header.fail("this is a WebAssembly component, not a core module", 4, true);
  if (version !== 1 || layer !== 0) {
    header.fail(`unsupported version ${version + layer * 0x10000} (expected 1)`, 4);
  }

  const sections: RawSection[] = [];
  const reader = new BinaryReader(bytes, 8, bytes.length, "module", "module");
  let lastRank = 0;
  let lastId = -1;
  while (!reader.atEnd()) {
    const offset = reader.position;
    const id = reader.readByte();
    const where = sectionLabel(id);
    if (!sectionNames.has(id)) {
      throw new WasmFormatError(`section ${id}`, offset, `unknown section id ${id}`);
    }
    const sizeReader = new BinaryReader(bytes, reader.position, bytes.length, where, "module");
    const size = sizeReader.readU32();
    const contentStart = sizeReader.position;
    if (size > bytes.length - contentStart) {
      throw new WasmFormatError(
        where,
        offset,
        `section size ${size} runs past the end of the module (${bytes.length - contentStart} bytes left)`,
      );
    }
    const end = contentStart + size;
    reader.position = end;
    const rank = sectionRank.get(id);
    if (rank !== undefined) {
      if (rank === lastRank) throw new WasmFormatError(where, offset, "duplicate section");
      if (rank < lastRank) {
        throw new WasmFormatError(where, offset, `section out of order (it must come before ${sectionLabel(lastId)})`);
      }
      lastRank = rank;
      lastId = id;
      sections.push({ id, offset, contentStart, end });
    } else {
      const content = new BinaryReader(bytes, contentStart, end, where);
      sections.push({ id, offset, contentStart, end, customName: content.readName() });
    }
  }
  return sections;
}

/** A reader over a section's content, located for errors. */
export function sectionReader(bytes: Uint8Array, section: RawSection): BinaryReader {
  return new BinaryReader(bytes, section.contentStart, section.end, sectionLabel(section.id));
}

/**
 * A section that is a vector (type, import, function, global, export, code, …): its
 * element count and where the elements start.
 */
export interface VectorSection {
  readonly count: number;
  /** Offset of the first element (after the count). */
  readonly itemsStart: number;
  readonly end: number;
}

/** Reads the count of a vector-shaped section (§5.5.3: `section_N(vec(B))`). */
export function readVector(bytes: Uint8Array, section: RawSection): VectorSection {
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  return { count, itemsStart: reader.position, end: section.end };
}

/** Memory limits in 64 KiB pages (§5.3.7, §5.3.8). */
export interface MemoryLimits {
  readonly initialPages: number;
  readonly maximumPages?: number;
  readonly shared: boolean;
  /** memory64: the memory is indexed by i64. */
  readonly is64: boolean;
}

/**
 * §5.3.7 limits, with the threads (`shared`, flag bit 1) and memory64 (flag bit 2)
 * extensions.
 */
export function readLimits(reader: BinaryReader): MemoryLimits {
  const start = reader.position;
  const flags = reader.readByte();
  if (flags > 0x07) reader.fail(`invalid limits flags 0x${flags.toString(16)}`, start);
  const is64 = (flags & 0x04) !== 0;
  const readSize = () => (is64 ? reader.readU64AsNumber() : reader.readU32());
  const initialPages = readSize();
  const shared = (flags & 0x02) !== 0;
  if ((flags & 0x01) === 0) return { initialPages, shared, is64 };
  return { initialPages, maximumPages: readSize(), shared, is64 };
}

/** §5.3.9 reference type of a table: funcref or externref. */
function skipReferenceType(reader: BinaryReader): void {
  const start = reader.position;
  const code = reader.readByte();
  if (code === 0x70 || code === 0x6f) return;
  if (typedReferencePrefixes.has(code)) {
    reader.fail("unsupported table type: typed function references are not supported", start, true);
  }
  reader.fail(`invalid reference type 0x${code.toString(16)}`, start);
}

/** What the instrumenter needs from the import section (§5.5.5). */
export interface ImportSummary {
  readonly functions: number;
  readonly tables: number;
  readonly memories: MemoryLimits[];
  readonly globals: number;
}

/**
 * Counts imports by kind and reads imported memory limits.
 * @param typeCount size of the type section, to check imported functions' type indices.
 */
export function readImports(bytes: Uint8Array, section: RawSection | undefined, typeCount: number): ImportSummary {
  const summary = { functions: 0, tables: 0, memories: [] as MemoryLimits[], globals: 0 };
  if (section === undefined) return summary;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    reader.readName(); // module
    reader.readName(); // field
    const kindOffset = reader.position;
    const kind = reader.readByte();
    switch (kind) {
      case 0x00: {
        const typeOffset = reader.position;
        const typeIndex = reader.readU32();
        if (typeIndex >= typeCount) {
          reader.fail(`type index ${typeIndex} out of range (the module has ${typeCount} types)`, typeOffset);
        }
        summary.functions++;
        break;
      }
      case 0x01:
        skipReferenceType(reader);
        checkTableLimits(reader);
        summary.tables++;
        break;
      case 0x02:
        summary.memories.push(readLimits(reader));
        break;
      case 0x03:
        skipGlobalType(reader);
        summary.globals++;
        break;
      case 0x04:
        reader.fail("unsupported import of a tag: exception handling is not supported", kindOffset, true);
        break;
      default:
        reader.fail(`invalid import kind 0x${kind.toString(16)}`, kindOffset);
    }
  }
  expectEnd(reader);
  return summary;
}

function checkTableLimits(reader: BinaryReader): void {
  const start = reader.position;
  const limits = readLimits(reader);
  if (limits.is64) reader.fail("unsupported table: 64-bit tables (memory64) are not supported", start, true);
}

/** §5.3.10 global type: value type then mutability (0 const, 1 var). */
function skipGlobalType(reader: BinaryReader): void {
  skipValueType(reader);
  const start = reader.position;
  const mutability = reader.readByte();
  if (mutability > 1) reader.fail(`invalid global mutability 0x${mutability.toString(16)}`, start);
}

/** Reads the memory section (§5.5.8): the limits of each defined memory. */
export function readMemories(bytes: Uint8Array, section: RawSection | undefined): MemoryLimits[] {
  if (section === undefined) return [];
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  const memories: MemoryLimits[] = [];
  for (let i = 0; i < count; i++) memories.push(readLimits(reader));
  expectEnd(reader);
  return memories;
}

/** Checks the table section (§5.5.7) for types and limits this instrumenter cannot copy safely. */
export function checkTables(bytes: Uint8Array, section: RawSection | undefined): void {
  if (section === undefined) return;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    if (reader.peekByte() === 0x40) {
      const reason = "unsupported table with an initialiser: typed function references are not supported";
      reader.fail(reason, reader.position, true);
    }
    skipReferenceType(reader);
    checkTableLimits(reader);
  }
  expectEnd(reader);
}

/** Checks that a section's content was consumed exactly (§5.5.2: size must match). */
export function expectEnd(reader: BinaryReader): void {
  if (!reader.atEnd()) reader.fail(`section size mismatch: ${reader.remaining} unread bytes at the end`);
}
