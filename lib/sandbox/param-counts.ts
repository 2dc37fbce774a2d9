/**
 * The signature of each defined function: the type section's function types (§5.5.2,
 * `0x60 vec(valtype) vec(valtype)`) looked up through the function section's type indices
 * (§5.5.6). The fuel pass puts its local after parameters and declared locals, or passes the
 * fuel as one more parameter and result (`fuel-passing.ts`). Runs after `readModule` has
 * checked both sections (indices in range, types well-formed; typed references, whose value
 * types are longer than a byte, are refused before this, so every value type is one byte).
 */

import { expectEnd, sectionReader, type RawSection } from "./module-sections";

/** A function type as its raw value-type bytes (one byte each). */
export interface FunctionSignature {
  readonly params: Uint8Array;
  readonly results: Uint8Array;
}

/** The module's function types, and the type index of each defined function. */
export interface ModuleSignatures {
  /** By type index. */
  readonly types: readonly FunctionSignature[];
  /** By defined-function index (function-section order): its type index. */
  readonly functionTypes: readonly number[];
}

/** Reads every function type and each defined function's type index. */
export function readSignatures(bytes: Uint8Array, typeSection: RawSection | undefined, functionSection: RawSection | undefined): ModuleSignatures {
  const types: FunctionSignature[] = [];
  if (typeSection) {
    const reader = sectionReader(bytes, typeSection);
    const count = reader.readU32();
    for (let i = 0; i < count; i++) {
      reader.readByte(); // 0x60
      const params = reader.readBytes(reader.readU32());
      const results = reader.readBytes(reader.readU32());
      types.push({ params, results });
    }
    expectEnd(reader);
  }
  const functionTypes: number[] = [];
  if (functionSection) {
    const functions = sectionReader(bytes, functionSection);
    const count = functions.readU32();
    for (let i = 0; i < count; i++) {
      const type = functions.readU32();
      if (types[type] === undefined) functions.fail(`function ${i} names type ${type}, which does not exist`);
      functionTypes.push(type);
    }
    expectEnd(functions);
  }
  return { types, functionTypes };
}

/** Parameter count of each defined function, in function-section order. */
export function readParamCounts(bytes: Uint8Array, typeSection: RawSection | undefined, functionSection: RawSection | undefined): number[] {
  const { types, functionTypes } = readSignatures(bytes, typeSection, functionSection);
  return functionTypes.map((type) => types[type]?.params.length ?? 0);
}
