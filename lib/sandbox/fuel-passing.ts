/**
 * Fuel passed in calls: a defined function takes the fuel as one more parameter and gives
 * it back as one more result, so a direct call between guest functions keeps the counter in
 * registers instead of writing the global before the call and reading it after.
 *
 * Why: with the counter in a local per function (`fuel.ts`), a call-heavy guest still
 * stores and loads `__ft_fuel` around every call, a dependency chain through memory; and
 * V8's Wasm inliner (on by default in Chromium) turns the plain recursion of `fib` into
 * straight code that the global traffic of the metered one cannot match (2.5× in Chromium
 * 156, about 1× with `--no-wasm-inlining`). wasmtime flushes its fuel to the VMContext at
 * calls (`fuel_before_call` in `crates/cranelift/src/func_environ.rs`): the same cost in
 * native code, where nothing is inlined across the call. The global-counter schemes
 * (wasm-instrument's gas metering, wasmer's metering middleware) pay a load and a store per
 * block. Passing the counter as an argument is our own step past wasmtime's scheme, confined
 * to direct calls between defined functions.
 *
 * **Shape.** A function F of type `[p*] → [r?]` that takes fuel becomes
 * `[p* i64] → [r? i64]` at its own index, so traps, stack traces, the name section and the
 * fuel profile still name F. Its body is wrapped in `block [r?]` so branches to the
 * function's label land before the appended exit, which checks the counter and returns it.
 * A wrapper with F's original type is appended (`local.get`s, `global.get $fuel`,
 * `call F`, `global.set $fuel`); everything that reaches F without a direct call names the
 * wrapper instead: exports (and `__ft_start`), element segments, `ref.func` in code and in
 * global initializers. So `call_indirect`, the host and the start function read the global
 * as before.
 *
 * **Which functions.** Every defined function whose type allows one more parameter and
 * result within the engine's limits and returns at most one value (a block type with
 * several results would need a new type), in a module without tail calls (`return_call F`
 * would need its caller to return the fuel too, `return_call_indirect` cannot), whose
 * function and type counts stay within the engine's limits with the wrappers and the new
 * types. Otherwise the module keeps the local-per-function scheme alone.
 *
 * **Counts.** Unchanged: charges, checks and their places are the same; what changes is how
 * the counter travels. The trap paths write the global before `unreachable`, so a trap with
 * `__ft_fuel < 0` is still "out of fuel" with the same value. After a trap that is neither
 * out of fuel nor `unreachable`, `__ft_fuel` holds the value last written back, which is now
 * at a host call or the export's entry rather than at the last call (see `fuel.ts`).
 */

import { BinaryReader } from "./binary-reader";
import { BinaryWriter } from "./binary-writer";
import { ENGINE_LIMITS } from "./engine-limits";
import { sectionReader, expectEnd, type RawSection } from "./module-sections";
import { decodeInstruction, op, skipValueType } from "./opcodes";
import type { ModuleSignatures } from "./param-counts";

/** The JS API's limit on parameters and on results of a function type. */
const MAX_PARAMS = 1000;
const MAX_RESULTS = 1000;
const I64 = 0x7e;

/** Which functions take fuel, and where the additions go. */
export interface FuelPassing {
  /** By function index (imports included): 1 when the function takes fuel. */
  readonly takesFuel: Uint8Array;
  /** By defined-function index: the block type of its results (0x40 when none). */
  readonly resultBlockTypes: Uint8Array;
  /** Defined-function indices of the functions that take fuel, in order (= wrapper order). */
  readonly passing: readonly number[];
  /** The new types, encoded (`0x60 …`), in order; one per original type used by {@link passing}. */
  readonly newTypes: readonly Uint8Array[];
  /** Original type index → index among {@link newTypes}. */
  readonly newTypeOf: ReadonlyMap<number, number>;
}

/**
 * Chooses the functions that take fuel (see the module comment); `undefined` when none can.
 * @param importedFunctions number of imported functions (the first defined function's index).
 * @param counts the output's counts without this scheme (types, functions), for the engine limits.
 */
export function planFuelPassing(
  signatures: ModuleSignatures,
  importedFunctions: number,
  counts: { types: number; functions: number },
): FuelPassing | undefined {
  const defined = signatures.functionTypes.length;
  const takesFuel = new Uint8Array(importedFunctions + defined);
  const resultBlockTypes = new Uint8Array(defined).fill(0x40);
  const passing: number[] = [];
  const newTypes: Uint8Array[] = [];
  const newTypeOf = new Map<number, number>();
  for (let i = 0; i < defined; i++) {
    const typeIndex = signatures.functionTypes[i] ?? -1;
    const type = signatures.types[typeIndex];
    if (!type || type.results.length > 1 || type.params.length + 1 > MAX_PARAMS || type.results.length + 1 > MAX_RESULTS) continue;
    takesFuel[importedFunctions + i] = 1;
    resultBlockTypes[i] = type.results[0] ?? 0x40;
    passing.push(i);
    if (!newTypeOf.has(typeIndex)) {
      newTypeOf.set(typeIndex, newTypes.length);
      const encoded = new BinaryWriter(type.params.length + type.results.length + 8);
      encoded.byte(0x60).u32(type.params.length + 1).bytes(type.params).byte(I64);
      encoded.u32(type.results.length + 1).bytes(type.results).byte(I64);
      newTypes.push(encoded.finish());
    }
  }
  if (passing.length === 0) return undefined;
  if (counts.functions + passing.length > ENGINE_LIMITS.functions || counts.types + newTypes.length > ENGINE_LIMITS.types) return undefined;
  return { takesFuel, resultBlockTypes, passing, newTypes, newTypeOf };
}

/**
 * Maps a function index to what a reference to it must name: its wrapper when it takes
 * fuel, itself otherwise.
 * @param wrapperBase index of the first wrapper (after the sandbox's helpers).
 */
export function referenceMap(passing: FuelPassing, importedFunctions: number, wrapperBase: number): (index: number) => number {
  const wrapperOf = new Map<number, number>();
  passing.passing.forEach((definedIndex, k) => wrapperOf.set(importedFunctions + definedIndex, wrapperBase + k));
  return (index) => wrapperOf.get(index) ?? index;
}

/**
 * The function section's type indices for the defined functions: a function that takes fuel
 * gets its new type (at `newTypeBase` + its index among the new types).
 */
export function writeDefinedTypes(signatures: ModuleSignatures, passing: FuelPassing, importedFunctions: number, newTypeBase: number, writer: BinaryWriter): void {
  signatures.functionTypes.forEach((typeIndex, i) => {
    const k = passing.takesFuel[importedFunctions + i] === 1 ? passing.newTypeOf.get(typeIndex) : undefined;
    writer.u32(k === undefined ? typeIndex : newTypeBase + k);
  });
}

/**
 * The body expression of F's wrapper: `local.get 0 … local.get p-1  global.get $fuel
 * call F  global.set $fuel  end` (no locals). F checks the fuel itself.
 */
export function writeWrapperExpression(writer: BinaryWriter, params: number, callee: number, fuelGlobal: number): void {
  for (let i = 0; i < params; i++) writer.byte(op.localGet).u32(i);
  writer.byte(op.globalGet).u32(fuelGlobal);
  writer.byte(op.call).u32(callee);
  writer.byte(op.globalSet).u32(fuelGlobal);
  writer.byte(op.end);
}

/** The export section's entries with function indices mapped (§5.5.10); returns the entries' bytes and count. */
export function remapExports(bytes: Uint8Array, section: RawSection, map: (index: number) => number): { count: number; entries: Uint8Array } {
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  const out = new BinaryWriter(section.end - section.contentStart + 16);
  for (let i = 0; i < count; i++) {
    const nameStart = reader.position;
    reader.readName();
    out.bytes(bytes.subarray(nameStart, reader.position));
    const kind = reader.readByte();
    const index = reader.readU32();
    out.byte(kind).u32(kind === 0x00 ? map(index) : index);
  }
  expectEnd(reader);
  return { count, entries: out.finish() };
}

/** The global section's entries with `ref.func` in initializers mapped (§5.5.9). */
export function remapGlobals(bytes: Uint8Array, section: RawSection, map: (index: number) => number): { count: number; entries: Uint8Array } {
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  const out = new BinaryWriter(section.end - section.contentStart + 16);
  for (let i = 0; i < count; i++) {
    const start = reader.position;
    skipValueType(reader);
    reader.readByte(); // mutability
    out.bytes(bytes.subarray(start, reader.position));
    copyConstantExpression(reader, out, map);
  }
  expectEnd(reader);
  return { count, entries: out.finish() };
}

/** The element section's content with function indices and `ref.func` mapped (§5.5.12, flags 0–7). */
export function remapElements(bytes: Uint8Array, section: RawSection, map: (index: number) => number): Uint8Array {
  const reader = sectionReader(bytes, section);
  const count = reader.readU32();
  const out = new BinaryWriter(section.end - section.contentStart + 16);
  out.u32(count);
  for (let i = 0; i < count; i++) {
    const flags = reader.readU32();
    out.u32(flags);
    const passiveOrDeclarative = (flags & 0x01) !== 0;
    const explicitTable = (flags & 0x02) !== 0;
    const usesExpressions = (flags & 0x04) !== 0;
    if (!passiveOrDeclarative) {
      if (explicitTable) out.u32(reader.readU32()); // table index
      copyConstantExpression(reader, out, map); // offset
    }
    if (passiveOrDeclarative || explicitTable) {
      const start = reader.position;
      if (usesExpressions) skipValueType(reader);
      else reader.readByte(); // elemkind 0x00
      out.bytes(bytes.subarray(start, reader.position));
    }
    const items = reader.readU32();
    out.u32(items);
    for (let j = 0; j < items; j++) {
      if (usesExpressions) copyConstantExpression(reader, out, map);
      else out.u32(map(reader.readU32()));
    }
  }
  expectEnd(reader);
  return out.finish();
}

/** Copies one constant expression up to its `end`, mapping `ref.func`'s index. */
function copyConstantExpression(reader: BinaryReader, out: BinaryWriter, map: (index: number) => number): void {
  for (;;) {
    const instruction = decodeInstruction(reader);
    if (instruction.opcode === op.refFunc) out.byte(op.refFunc).u32(map(instruction.firstIndex));
    else out.bytes(reader.bytes.subarray(instruction.offset, instruction.end));
    if (instruction.opcode === op.end && instruction.subOpcode < 0) return;
  }
}
