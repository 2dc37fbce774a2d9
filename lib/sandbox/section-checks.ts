/**
 * Structural reading of the sections the instrumenter copies but whose indices it must
 * trust (WebAssembly Core Specification 2.0, §5.5.4 type, §5.5.6 function, §5.5.9 global,
 * §5.5.10 export, §5.5.11 start, §5.5.12 element, §5.5.14 data; tag section from the
 * exception-handling proposal). Each reader consumes its section exactly and checks every
 * type, function and global index against the original module (see `index-space.ts`).
 */

import type { BinaryReader } from "./binary-reader";
import { checkIndex, skipConstantExpression, type IndexSpace } from "./index-space";
import { expectEnd, sectionLabel, sectionReader, type RawSection } from "./module-sections";
import { WasmFormatError } from "./wasm-format-error";
import { skipValueType, typedReferencePrefixes } from "./opcodes";

/** GC proposal type forms (rec, sub, sub final, struct, array): recognised, unsupported. */
const gcTypeForms: ReadonlySet<number> = new Set([0x4e, 0x4f, 0x50, 0x5e, 0x5f]);

/** Reads the type section: `vec(0x60 vec(valtype) vec(valtype))`; returns the count. */
export function readTypeSection(bytes: Uint8Array, section: RawSection | undefined): number {
  if (section === undefined) return 0;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const start = reader.position;
    const form = reader.readByte();
    if (gcTypeForms.has(form)) reader.fail("unsupported type: garbage collection types are not supported", start, true);
    if (form !== 0x60) reader.fail(`invalid function type form 0x${form.toString(16)} (expected 0x60)`, start);
    for (let list = 0; list < 2; list++) {
      const length = reader.readU32();
      for (let j = 0; j < length; j++) skipValueType(reader);
    }
  }
  expectEnd(reader);
  return count;
}

/** Reads the function section (`vec(typeidx)`), checking each type index. */
export function readFunctionSection(bytes: Uint8Array, section: RawSection | undefined, space: IndexSpace): void {
  if (section === undefined) return;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) readIndex(reader, space, "types");
  expectEnd(reader);
}

/** Reads the tag section: `vec(0x00 typeidx)`. */
export function readTagSection(bytes: Uint8Array, section: RawSection | undefined, space: IndexSpace): void {
  if (section === undefined) return;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const start = reader.position;
    if (reader.readByte() !== 0x00) reader.fail("invalid tag attribute (expected 0x00)", start);
    readIndex(reader, space, "types");
  }
  expectEnd(reader);
}

/** Reads the global section: `vec(globaltype expr)`. */
export function readGlobalSection(bytes: Uint8Array, section: RawSection | undefined, space: IndexSpace): void {
  if (section === undefined) return;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    skipValueType(reader);
    const start = reader.position;
    if (reader.readByte() > 1) reader.fail("invalid global mutability", start);
    skipConstantExpression(reader, space);
  }
  expectEnd(reader);
}

const exportKinds = { function: 0x00, table: 0x01, memory: 0x02, global: 0x03, tag: 0x04 } as const;

/**
 * Reads the export section (`vec(name exportdesc)`), checking function and global
 * indices; returns the export names.
 */
export function readExportSection(bytes: Uint8Array, section: RawSection | undefined, space: IndexSpace): Set<string> {
  const names = new Set<string>();
  if (section === undefined) return names;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const nameOffset = reader.position;
    const name = reader.readName();
    if (names.has(name)) reader.fail(`duplicate export name "${name}"`, nameOffset);
    names.add(name);
    const kindOffset = reader.position;
    const kind = reader.readByte();
    if (kind === exportKinds.function) readIndex(reader, space, "functions");
    else if (kind === exportKinds.global) readIndex(reader, space, "globals");
    else if (kind <= exportKinds.tag) reader.readU32();
    else reader.fail(`invalid export kind 0x${kind.toString(16)}`, kindOffset);
  }
  expectEnd(reader);
  return names;
}

/** Reads the start section (`funcidx`); returns the start function's index. */
export function readStartSection(bytes: Uint8Array, section: RawSection, space: IndexSpace): number {
  const reader = sectionReader(bytes, section);
  const index = readIndex(reader, space, "functions");
  expectEnd(reader);
  return index;
}

/** Reads the element section: `vec(elem)` in any of its eight encodings (§5.5.12). */
export function readElementSection(bytes: Uint8Array, section: RawSection | undefined, space: IndexSpace): void {
  if (section === undefined) return;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const flagsOffset = reader.position;
    const flags = reader.readU32();
    if (flags > 7) reader.fail(`invalid element segment flags ${flags}`, flagsOffset);
    const passiveOrDeclarative = (flags & 0x01) !== 0;
    const explicitTable = (flags & 0x02) !== 0;
    const usesExpressions = (flags & 0x04) !== 0;
    if (!passiveOrDeclarative) {
      if (explicitTable) reader.readU32(); // table index
      skipConstantExpression(reader, space); // offset
    }
    if (passiveOrDeclarative || explicitTable) {
      if (usesExpressions) skipReferenceType(reader);
      else {
        const kindOffset = reader.position;
        if (reader.readByte() !== 0x00) reader.fail("invalid element kind (expected 0x00, funcref)", kindOffset);
      }
    }
    const items = reader.readU32();
    for (let j = 0; j < items; j++) {
      if (usesExpressions) skipConstantExpression(reader, space);
      else readIndex(reader, space, "functions");
    }
  }
  expectEnd(reader);
}

/** Reads the data section: `vec(data)` in its three encodings (§5.5.14). */
export function readDataSection(bytes: Uint8Array, section: RawSection | undefined, space: IndexSpace): void {
  if (section === undefined) return;
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  for (let i = 0; i < count; i++) {
    const flagsOffset = reader.position;
    const flags = reader.readU32();
    if (flags > 2) reader.fail(`invalid data segment flags ${flags}`, flagsOffset);
    if (flags === 2) reader.readU32(); // memory index
    if (flags !== 1) skipConstantExpression(reader, space); // offset of an active segment
    reader.skip(reader.readU32());
  }
  expectEnd(reader);
}

function readIndex(reader: BinaryReader, space: IndexSpace, kind: keyof IndexSpace): number {
  const offset = reader.position;
  const index = reader.readU32();
  checkIndex(reader, space, kind, index, offset);
  return index;
}

function skipReferenceType(reader: BinaryReader): void {
  const start = reader.position;
  const code = reader.readByte();
  if (code === 0x70 || code === 0x6f) return;
  if (typedReferencePrefixes.has(code)) {
    reader.fail("unsupported reference type: typed function references are not supported", start, true);
  }
  reader.fail(`invalid reference type 0x${code.toString(16)}`, start);
}

/**
 * A start function must have type `[] -> []` (§2.5.9 / validation §3.4.10): the engine
 * refuses any other, so the instrumenter, which turns the start section into an export,
 * must refuse it too rather than hoist it into a valid module.
 * @param type the start function's parameters and results.
 */
export function checkStartFunctionType(section: RawSection, index: number, type: { params: string[]; results: string[] }): void {
  if (type.params.length === 0 && type.results.length === 0) return;
  const shown = `(${type.params.join(", ")}) -> ${type.results.length === 0 ? "()" : type.results.join(", ")}`;
  throw new WasmFormatError(sectionLabel(section.id), section.offset, `the start function #${index} has type ${shown}, but a start function must take and return nothing`);
}

/** The type index of defined function `definedIndex` (0 = the first defined function). */
export function definedFunctionType(bytes: Uint8Array, section: RawSection, definedIndex: number): number {
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  let type = -1;
  for (let i = 0; i < count && i <= definedIndex; i++) type = reader.readU32();
  return type;
}
