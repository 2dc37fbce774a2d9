/**
 * Index checks against the original module's index spaces (WebAssembly Core Specification
 * 2.0, §2.5.1 "Indices", §3 "Validation" for the bounds).
 *
 * The instrumenter appends a type, globals and functions. An index one past the end of the
 * original space is invalid in the input but would name one of ours in the output: a guest
 * could then `global.set` the fuel counter. So every type, function and global index the
 * module uses is checked against the original counts, and an out-of-range index is
 * refused, keeping "the output validates exactly when the input does".
 */

import type { BinaryReader } from "./binary-reader";
import { decodeInstruction, op as opcodeBytes, type Instruction } from "./opcodes";

// A local alias: transpiled ESM turns each `op.x` on an import into a getter call.
const op = opcodeBytes;

/** Sizes of the original module's index spaces, imports included. */
export interface IndexSpace {
  readonly types: number;
  readonly functions: number;
  readonly globals: number;
}

/** The index spaces a check can name. */
export type IndexKind = keyof IndexSpace;

const singular: Readonly<Record<IndexKind, string>> = { types: "type", functions: "function", globals: "global" };

/**
 * Throws unless `index` is within the `kind` index space.
 * @param offset where the index is, for the error.
 */
export function checkIndex(
  reader: BinaryReader,
  space: IndexSpace,
  kind: IndexKind,
  index: number,
  offset: number,
): void {
  if (index >= space[kind]) {
    reader.fail(`${singular[kind]} index ${index} out of range (the module has ${space[kind]} ${kind})`, offset);
  }
}

/** Checks the type, function and global indices an instruction's immediates name. */
export function checkInstructionIndices(reader: BinaryReader, space: IndexSpace, instruction: Instruction): void {
  if (instruction.subOpcode >= 0) return;
  switch (instruction.opcode) {
    case op.call:
    case op.returnCall:
    case op.refFunc:
      checkIndex(reader, space, "functions", instruction.firstIndex, instruction.offset);
      return;
    case op.globalGet:
    case op.globalSet:
      checkIndex(reader, space, "globals", instruction.firstIndex, instruction.offset);
      return;
    case op.callIndirect:
    case op.returnCallIndirect:
      checkIndex(reader, space, "types", instruction.firstIndex, instruction.offset);
      return;
    case op.block:
    case op.loop:
    case op.if:
      if (instruction.firstIndex >= 0) checkIndex(reader, space, "types", instruction.firstIndex, instruction.offset);
      return;
    default:
      return;
  }
}

/**
 * Skips a constant expression (§5.4.9 `expr` in a global, element or data segment): its
 * instructions up to and including the `end`, checking their indices.
 */
export function skipConstantExpression(reader: BinaryReader, space: IndexSpace): void {
  for (;;) {
    const instruction = decodeInstruction(reader);
    if (instruction.opcode === op.end && instruction.subOpcode < 0) return;
    checkInstructionIndices(reader, space, instruction);
  }
}
