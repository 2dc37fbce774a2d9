/**
 * Instruments a WebAssembly module before it is compiled, so the sandbox can enforce a fuel
 * budget and a memory cap with nothing but the standard `WebAssembly` API.
 *
 * The rewrite adds no imports, so no function or global index changes: new globals and
 * functions are appended after the existing ones, and the function section, code section,
 * element segments and the `name` section's indices stay valid. Everything the passes do
 * not touch (custom sections, data and element segments, the data count section) is copied
 * byte for byte.
 *
 * What a host gets (names in {@link injectedExports}):
 * - `__ft_fuel` (mutable i64 global, only with `fuel`): fuel left. Starts at 0; set it
 *   before each call, read it after. A trap while it is negative is "out of fuel".
 * - `__ft_max_pages` (mutable i32 global, only with `memoryCap` and a memory): the cap on
 *   memory size in 64 KiB pages, read as unsigned. Starts at the memory's initial size
 *   (no growth) until the host raises it.
 * - `__ft_grow_denied` (mutable i32 global, same condition): count of refused grows.
 * - `__ft_prof_<N>` (mutable i64 globals, only with `profile`): the fuel charged in defined
 *   function N since the host last zeroed it, for the fuel profile. Each region's cost is
 *   added before it is charged, so the region that runs out of fuel is counted too.
 *   Bulk operations' dynamic charges are not attributed.
 * - `__ft_start` (function, only when the module had a start section): the original start
 *   function. The start section is removed so that instantiating runs no guest code; the
 *   host sets the fuel and calls `__ft_start` itself, metering a runaway start function.
 *
 * Binary format references are to the WebAssembly Core Specification 2.0, §5.
 */

import { readFunctionImports, readFunctionTypes, type FunctionImport } from "./import-signatures";
import { BinaryWriter } from "./binary-writer";
import type { CodeEdit } from "./code-edits";
import { planCode, writeCode } from "./code-rewriter";
import { checkBodySizes, checkCounts } from "./engine-limits";
import { writeBulkChargeExpression, writeFuelEdit } from "./fuel";
import {
  planFuelPassing,
  referenceMap,
  remapElements,
  remapExports,
  remapGlobals,
  writeDefinedTypes,
  writeWrapperExpression,
  type FuelPassing,
} from "./fuel-passing";
import { writeGrowExpression } from "./memory-cap";
import { appendToVector, assembleModule } from "./module-assembler";
import type { IndexSpace } from "./index-space";
import {
  checkTables,
  readImports,
  readMemories,
  readVector,
  sectionId,
  sectionLabel,
  splitSections,
  type ImportSummary,
  type MemoryLimits,
  type RawSection,
} from "./module-sections";
import { readFunctionNames } from "./name-section";
import { readSignatures } from "./param-counts";
import { op } from "./opcodes";
import {
  checkStartFunctionType,
  definedFunctionType,
  readDataSection,
  readElementSection,
  readExportSection,
  readFunctionSection,
  readGlobalSection,
  readStartSection,
  readTagSection,
  readTypeSection,
} from "./section-checks";
import { WasmFormatError } from "./wasm-format-error";

export { WasmFormatError } from "./wasm-format-error";

/** Which instrumentation to apply. */
export interface InstrumentOptions {
  /** meter fuel */
  fuel: boolean;
  /** cap memory.grow (pages of 64 KiB) */
  memoryCap: boolean;
  /** attribute fuel to functions (`__ft_prof_<N>` globals); needs `fuel` */
  profile?: boolean;
}

/** What the instrumenter learned about the module, for the host and the UI. */
export interface ModuleFacts {
  /** defined or imported memory limits in pages */
  memory?: { initialPages: number; maximumPages?: number; imported: boolean };
  /** function index → name from the "name" custom section, if any */
  functionNames: Map<number, string>;
  /** index of the original start function, if the module had one */
  startFunction?: number;
  /** every function import with its type, in import order */
  functionImports: FunctionImport[];
  importedFunctionCount: number;
}

/**
 * The version of what `instrument` produces. Bump it whenever the output for the same input
 * changes (cost model, injected code), so caches of instrumented bytes (lib/cache) miss.
 */
export const INSTRUMENTATION_VERSION = 4;

/** Export names the instrumenter adds; a module that already uses one is refused. */
export const injectedExports = {
  /** Mutable i64 global: fuel left. */
  fuel: "__ft_fuel",
  /** Mutable i32 global: memory cap in 64 KiB pages (unsigned). */
  maxPages: "__ft_max_pages",
  /** Mutable i32 global: number of `memory.grow` calls refused by the cap. */
  growDenied: "__ft_grow_denied",
  /** Function: the original start function. */
  start: "__ft_start",
} as const;

/** Prefix of the profile globals' export names: `__ft_prof_<function index>`. */
export const PROFILE_EXPORT_PREFIX = "__ft_prof_";

/** Size of a WebAssembly page in bytes. */
export const pageBytes = 65536;

const exportKind = { function: 0x00, global: 0x03 } as const;
const valueType = { i32: 0x7f, i64: 0x7e } as const;
/** `(func (param i32) (result i32))`, the type of both helpers. */
const helperType = [0x60, 0x01, valueType.i32, 0x01, valueType.i32];

/**
 * Rewrites `bytes` for metering and returns the new module with facts about the original.
 *
 * @param bytes a core WebAssembly module (version 1). Not modified.
 * @param options which passes to apply; the start section is hoisted into `__ft_start` in
 *   every case, so a host has one protocol.
 * @returns `bytes`: the instrumented module (a fresh buffer, ready for `WebAssembly.compile`);
 *   `facts`: what the module declares.
 * @throws WasmFormatError when the module is malformed (message names the section and
 *   offset), or uses something this instrumenter does not support (`unsupported: true`):
 *   exception handling, typed function references/GC, memory64, several memories with
 *   `memoryCap`, an export name the instrumenter needs, or an output past the engine's
 *   limits (`engine-limits.ts`: too many types, functions, globals or exports once the
 *   sandbox's are added, a function body grown past 7,654,321 bytes).
 */
export function instrument(
  bytes: Uint8Array,
  options: InstrumentOptions,
): { bytes: Uint8Array<ArrayBuffer>; facts: ModuleFacts } {
  const sections = splitSections(bytes);
  const layout = readModule(bytes, sections);
  const { find, typeCount, imports, definedFunctionCount, definedGlobalCount, facts } = layout;
  const typeSection = find(sectionId.type);
  const functionSection = find(sectionId.function);
  const globalSection = find(sectionId.global);
  const exportSection = find(sectionId.export);
  const codeSection = find(sectionId.code);
  const startFunction = facts.startFunction;
  const firstMemory = layout.memories[0];

  const capMemory = options.memoryCap && firstMemory !== undefined;
  checkSupported(layout, options, capMemory);

  const signatures = options.fuel ? readSignatures(bytes, typeSection, functionSection) : undefined;
  const paramCounts = signatures ? signatures.functionTypes.map((type) => signatures.types[type]?.params.length ?? 0) : [];
  // Counts with both helpers and their type, so the wrappers never push a module past a limit.
  const withHelpers = { types: typeCount + 1, functions: imports.functions + definedFunctionCount + 2 };
  let passing = signatures ? planFuelPassing(signatures, imports.functions, withHelpers) : undefined;
  const planWith = (fuelPassing: FuelPassing | undefined) =>
    planCode(bytes, codeSection, imports.functions, layout.space, {
      fuel: options.fuel,
      memoryCap: capMemory,
      paramCounts,
      ...(fuelPassing ? { takesFuel: fuelPassing.takesFuel, resultBlockTypes: fuelPassing.resultBlockTypes } : {}),
    });
  let plan = planWith(passing);
  if (passing && plan.tailCalls) {
    // `return_call F` would need its caller to return the fuel as well: see fuel-passing.ts.
    passing = undefined;
    plan = planWith(undefined);
  }
  if (plan.bodies.length !== definedFunctionCount) {
    const where = codeSection ?? functionSection;
    throw new WasmFormatError(
      where ? sectionLabel(where.id) : "module",
      where ? where.offset : 8,
      `the function section declares ${definedFunctionCount} functions ` +
        `but the code section has ${plan.bodies.length} bodies`,
    );
  }

  // Appended globals, in order: fuel, max pages, grows denied.
  let nextGlobal = imports.globals + definedGlobalCount;
  const fuelGlobal = options.fuel ? nextGlobal++ : -1;
  const maxPagesGlobal = capMemory ? nextGlobal++ : -1;
  const deniedGlobal = capMemory ? nextGlobal++ : -1;
  const profile = options.fuel && options.profile === true;
  /** The profile global of each defined function's charges, by edit. */
  const profileGlobalOf = new Map<CodeEdit, number>();
  const profileGlobalBase = nextGlobal;
  if (profile) {
    plan.bodies.forEach((body, i) => {
      for (const edit of body.edits) profileGlobalOf.set(edit, profileGlobalBase + i);
    });
    nextGlobal += plan.bodies.length;
  }

  // Appended functions, in order: __ft_grow, __ft_charge_bulk, the wrappers (fuel-passing.ts).
  let nextFunction = imports.functions + definedFunctionCount;
  const growFunction = capMemory ? nextFunction++ : -1;
  const bulkFunction = options.fuel && plan.usesBulkCharge ? nextFunction++ : -1;
  const helpers: ((writer: BinaryWriter) => void)[] = [];
  if (growFunction >= 0) {
    helpers.push((writer) => writeGrowExpression(writer, { maxPages: maxPagesGlobal, denied: deniedGlobal }));
  }
  if (bulkFunction >= 0) helpers.push((writer) => writeBulkChargeExpression(writer, fuelGlobal));
  const helperCount = helpers.length;
  const reference = passing ? referenceMap(passing, imports.functions, nextFunction) : (index: number) => index;
  for (const definedIndex of passing?.passing ?? []) {
    const params = paramCounts[definedIndex] ?? 0;
    helpers.push((writer) => writeWrapperExpression(writer, params, imports.functions + definedIndex, fuelGlobal));
  }

  const content = new Map<number, Uint8Array>();
  const removed = new Set<number>();

  // Appended types, in order: the helpers' type, the types of the functions that take fuel.
  const addedTypes: Uint8Array[] = helperCount > 0 ? [Uint8Array.from(helperType)] : [];
  addedTypes.push(...(passing?.newTypes ?? []));
  if (addedTypes.length > 0) {
    const types = new BinaryWriter(64);
    for (const type of addedTypes) types.bytes(type);
    content.set(sectionId.type, appendToVector(bytes, typeSection, addedTypes.length, types.finish()));
  }
  if (passing && signatures) {
    const typeIndices = new BinaryWriter(definedFunctionCount * 2 + 16);
    typeIndices.u32(definedFunctionCount + helpers.length);
    writeDefinedTypes(signatures, passing, imports.functions, typeCount + (helperCount > 0 ? 1 : 0), typeIndices);
    for (let i = 0; i < helperCount; i++) typeIndices.u32(typeCount);
    for (const definedIndex of passing.passing) typeIndices.u32(signatures.functionTypes[definedIndex] ?? 0);
    content.set(sectionId.function, typeIndices.finish());
    const elementSection = find(sectionId.element);
    if (elementSection) content.set(sectionId.element, remapElements(bytes, elementSection, reference));
  } else if (helperCount > 0) {
    const typeIndices = new BinaryWriter(8);
    for (let i = 0; i < helperCount; i++) typeIndices.u32(typeCount);
    content.set(sectionId.function, appendToVector(bytes, functionSection, helperCount, typeIndices.finish()));
  }

  const globals = new BinaryWriter(32);
  const exports = new BinaryWriter(64);
  let globalCount = 0;
  let exportCount = 0;
  if (options.fuel) {
    globals.byte(valueType.i64).byte(1).byte(op.i64Const).s64(0n).byte(op.end);
    globalCount++;
    exports.name(injectedExports.fuel).byte(exportKind.global).u32(fuelGlobal);
    exportCount++;
  }
  if (capMemory) {
    globals.byte(valueType.i32).byte(1).byte(op.i32Const).s32(initialCap(firstMemory)).byte(op.end);
    globals.byte(valueType.i32).byte(1).byte(op.i32Const).s32(0).byte(op.end);
    globalCount += 2;
    exports.name(injectedExports.maxPages).byte(exportKind.global).u32(maxPagesGlobal);
    exports.name(injectedExports.growDenied).byte(exportKind.global).u32(deniedGlobal);
    exportCount += 2;
  }
  if (profile) {
    plan.bodies.forEach((body, i) => {
      globals.byte(valueType.i64).byte(1).byte(op.i64Const).s64(0n).byte(op.end);
      exports.name(`${PROFILE_EXPORT_PREFIX}${body.functionIndex}`).byte(exportKind.global).u32(profileGlobalBase + i);
    });
    globalCount += plan.bodies.length;
    exportCount += plan.bodies.length;
  }
  if (startFunction !== undefined) {
    exports.name(injectedExports.start).byte(exportKind.function).u32(reference(startFunction));
    exportCount++;
    removed.add(sectionId.start);
  }
  if (passing && globalSection) {
    const original = remapGlobals(bytes, globalSection, reference);
    content.set(sectionId.global, new BinaryWriter().u32(original.count + globalCount).bytes(original.entries).bytes(globals.finish()).finish());
  } else if (globalCount > 0) {
    content.set(sectionId.global, appendToVector(bytes, globalSection, globalCount, globals.finish()));
  }
  if (passing && exportSection) {
    const original = remapExports(bytes, exportSection, reference);
    content.set(sectionId.export, new BinaryWriter().u32(original.count + exportCount).bytes(original.entries).bytes(exports.finish()).finish());
  } else if (exportCount > 0) {
    content.set(sectionId.export, appendToVector(bytes, exportSection, exportCount, exports.finish()));
  }

  const originalCounts = {
    types: typeCount,
    functions: imports.functions + definedFunctionCount,
    globals: imports.globals + definedGlobalCount,
    exports: layout.exportNames.size,
  };
  checkCounts(originalCounts, {
    types: typeCount + addedTypes.length,
    functions: originalCounts.functions + helpers.length,
    globals: originalCounts.globals + globalCount,
    exports: originalCounts.exports + exportCount,
  });

  const codeChanged = helpers.length > 0 || plan.bodies.some((body) => body.edits.length > 0);
  if (codeChanged) {
    const writeEdit = (writer: BinaryWriter, edit: CodeEdit): void => {
      switch (edit.kind) {
        case "charge": {
          // Stack-neutral, before the charge: the region that runs out of fuel is counted too.
          const profileGlobal = profileGlobalOf.get(edit);
          if (profileGlobal !== undefined && edit.cost > 0) writeProfileAdd(writer, profileGlobal, edit.cost);
          writeFuelEdit(writer, edit, fuelGlobal, bulkFunction);
          return;
        }
        case "spill":
        case "reload":
        case "chargeBulk":
        case "check":
        case "pushFuel":
        case "callWithFuel":
        case "openBody":
        case "closeBody":
          writeFuelEdit(writer, edit, fuelGlobal, bulkFunction);
          return;
        case "renumberLocal":
          writer.byte(edit.opcode).u32(edit.index + 1);
          return;
        case "refFunc":
          writer.byte(op.refFunc).u32(reference(edit.function));
          return;
        case "declareFuelLocal":
          writer.u32(edit.groupCount + 1).bytes(edit.groups).u32(1).byte(valueType.i64);
          return;
        case "redirectGrow":
          writer.byte(op.call).u32(growFunction);
          return;
        default: {
          const unhandled: never = edit;
          throw new Error(`unhandled code edit ${JSON.stringify(unhandled)}`);
        }
      }
    };
    const code = writeCode(bytes, plan, helpers, writeEdit);
    if (codeSection) checkBodySizes(bytes, codeSection, code, imports.functions);
    content.set(sectionId.code, code);
  }

  return { bytes: assembleModule(bytes, sections, { content, removed }), facts };
}

/** `global.get $prof  i64.const cost  i64.add  global.set $prof`: a region's cost, counted for its function. */
function writeProfileAdd(writer: BinaryWriter, global: number, cost: number): void {
  writer.byte(op.globalGet).u32(global);
  writer.byte(op.i64Const).s64(BigInt(cost));
  writer.byte(op.i64Add);
  writer.byte(op.globalSet).u32(global);
}

/** What {@link readModule} learns; every section it covers has been read in full. */
interface ModuleLayout {
  /** The (unique) non-custom section with this id, if present. */
  readonly find: (id: number) => RawSection | undefined;
  readonly typeCount: number;
  readonly imports: ImportSummary;
  readonly definedFunctionCount: number;
  readonly definedGlobalCount: number;
  readonly space: IndexSpace;
  /** Imported memories first, then defined ones: memory index order. */
  readonly memories: readonly MemoryLimits[];
  readonly exportNames: ReadonlySet<string>;
  readonly facts: ModuleFacts;
}

/**
 * Reads every section the output depends on, in order, checking indices against the
 * original index spaces (see `index-space.ts` for why). The code section is read later,
 * by `planCode`.
 */
function readModule(bytes: Uint8Array, sections: readonly RawSection[]): ModuleLayout {
  const find = (id: number): RawSection | undefined => sections.find((section) => section.id === id);
  const functionSection = find(sectionId.function);
  const globalSection = find(sectionId.global);
  const startSection = find(sectionId.start);

  const typeCount = readTypeSection(bytes, find(sectionId.type));
  const imports = readImports(bytes, find(sectionId.import), typeCount);
  const definedFunctionCount = functionSection ? readVector(bytes, functionSection).count : 0;
  const definedGlobalCount = globalSection ? readVector(bytes, globalSection).count : 0;
  const space: IndexSpace = {
    types: typeCount,
    functions: imports.functions + definedFunctionCount,
    globals: imports.globals + definedGlobalCount,
  };
  readFunctionSection(bytes, functionSection, space);
  checkTables(bytes, find(sectionId.table));
  const memories = [...imports.memories, ...readMemories(bytes, find(sectionId.memory))];
  readTagSection(bytes, find(sectionId.tag), space);
  readGlobalSection(bytes, globalSection, space);
  const exportNames = readExportSection(bytes, find(sectionId.export), space);
  const startFunction = startSection ? readStartSection(bytes, startSection, space) : undefined;
  const functionImports = readFunctionImports(bytes, find(sectionId.type), find(sectionId.import));
  if (startSection && startFunction !== undefined) {
    checkStartFunctionType(startSection, startFunction, startFunctionType(bytes, find(sectionId.type), functionSection, functionImports, startFunction));
  }
  readElementSection(bytes, find(sectionId.element), space);
  readDataSection(bytes, find(sectionId.data), space);

  const nameSection = sections.find((section) => section.customName === "name");
  const facts: ModuleFacts = {
    functionNames: nameSection ? readFunctionNames(bytes, nameSection) : new Map(),
    importedFunctionCount: imports.functions,
    functionImports,
  };
  const firstMemory = memories[0];
  if (firstMemory !== undefined) {
    facts.memory = { initialPages: firstMemory.initialPages, imported: imports.memories.length > 0 };
    if (firstMemory.maximumPages !== undefined) facts.memory.maximumPages = firstMemory.maximumPages;
  }
  if (startFunction !== undefined) facts.startFunction = startFunction;
  return { find, typeCount, imports, definedFunctionCount, definedGlobalCount, space, memories, exportNames, facts };
}

/** The type of function `index`: an import's from the import section, a defined one's from the function section. */
function startFunctionType(
  bytes: Uint8Array,
  typeSection: RawSection | undefined,
  functionSection: RawSection | undefined,
  functionImports: readonly FunctionImport[],
  index: number,
): { params: string[]; results: string[] } {
  const imported = functionImports[index];
  if (imported) return imported;
  const typeIndex = functionSection ? definedFunctionType(bytes, functionSection, index - functionImports.length) : -1;
  return (typeSection ? readFunctionTypes(bytes, typeSection)[typeIndex] : undefined) ?? { params: [], results: [] };
}

/**
 * The initial value of `__ft_max_pages`: the memory's initial size, so that a host that
 * forgets to set the cap gets no growth rather than unlimited growth.
 */
function initialCap(memory: MemoryLimits | undefined): number {
  const pages = memory?.initialPages ?? 0;
  return pages > 0x7fff_ffff ? -1 : pages; // stored as i32, read as unsigned
}

/** Refuses modules the passes cannot rewrite correctly. */
function checkSupported(layout: ModuleLayout, options: InstrumentOptions, capMemory: boolean): void {
  const memorySection = layout.find(sectionId.memory) ?? layout.find(sectionId.import);
  const memoryWhere = memorySection ? sectionLabel(memorySection.id) : "module";
  const memoryOffset = memorySection?.offset ?? 8;
  if ((options.fuel || capMemory) && layout.memories.some((memory) => memory.is64)) {
    throw new WasmFormatError(memoryWhere, memoryOffset, "64-bit memories (memory64) are not supported", true);
  }
  if (capMemory && layout.memories.length > 1) {
    throw new WasmFormatError(
      memoryWhere,
      memoryOffset,
      `${layout.memories.length} memories (multi-memory) cannot be capped; only one memory is supported`,
      true,
    );
  }
  const needed: string[] = [];
  if (options.fuel) needed.push(injectedExports.fuel);
  if (capMemory) needed.push(injectedExports.maxPages, injectedExports.growDenied);
  if (layout.facts.startFunction !== undefined) needed.push(injectedExports.start);
  const taken = needed.find((name) => layout.exportNames.has(name));
  if (taken !== undefined) {
    throw new WasmFormatError(
      sectionLabel(sectionId.export),
      layout.find(sectionId.export)?.offset ?? 8,
      `the module already exports "${taken}", a name the sandbox needs for its own export`,
      true,
    );
  }
}
