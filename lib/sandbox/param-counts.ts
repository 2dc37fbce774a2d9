/**
 * How many parameters each defined function takes: the type section's function types
 * (§5.5.2, `0x60 vec(valtype) vec(valtype)`) looked up through the function section's type
 * indices (§5.5.6). The fuel pass appends its local after parameters and declared locals.
 * Runs after `readModule` has checked both sections (indices in range, types well-formed;
 * typed references, whose value types are longer than a byte, are refused before this).
 */

import { expectEnd, sectionReader, type RawSection } from "./module-sections";

/** Parameter count of each defined function, in function-section order. */
export function readParamCounts(bytes: Uint8Array, typeSection: RawSection | undefined, functionSection: RawSection | undefined): number[] {
  if (!functionSection) return [];
  const params: number[] = [];
  if (typeSection) {
    const types = sectionReader(bytes, typeSection);
    const count = types.readU32();
    for (let i = 0; i < count; i++) {
      types.readByte(); // 0x60
      const paramCount = types.readU32();
      types.skip(paramCount);
      types.skip(types.readU32());
      params.push(paramCount);
    }
    expectEnd(types);
  }
  const functions = sectionReader(bytes, functionSection);
  const count = functions.readU32();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const type = functions.readU32();
    const paramCount = params[type];
    out.push(paramCount ?? functions.fail(`function ${i} names type ${type}, which does not exist`));
  }
  expectEnd(functions);
  return out;
}
