/**
 * Memory cap: every `memory.grow` of memory 0 becomes `call __ft_grow`, an appended
 * function that refuses growth beyond a limit the host sets at run time.
 *
 * The module gets two mutable `i32` globals, exported as `__ft_max_pages` (the cap, in
 * 64 KiB pages, read as unsigned) and `__ft_grow_denied` (how many grows were refused), and
 *
 *     (func $__ft_grow (param $delta i32) (result i32)
 *       ;; 64-bit arithmetic: size + delta cannot overflow, the cap is unsigned
 *       (if (i64.gt_u (i64.add (i64.extend_i32_u (memory.size))
 *                              (i64.extend_i32_u (local.get $delta)))
 *                     (i64.extend_i32_u (global.get $max_pages)))
 *         (then (global.set $denied (i32.add (global.get $denied) (i32.const 1)))
 *               (return (i32.const -1))))
 *       (memory.grow (local.get $delta)))
 *
 * A refused grow returns -1, exactly what `memory.grow` returns when the engine refuses,
 * so guests (allocators) take their ordinary out-of-memory path. `memory.grow` has the same
 * type `[i32] -> [i32]` as the call, so the replacement is stack-neutral.
 */

import type { BinaryWriter } from "./binary-writer";
import { op, type Instruction } from "./opcodes";

/** True for `memory.grow` of memory 0, the instruction this pass redirects. */
export function isMemoryGrow(instruction: Instruction): boolean {
  return instruction.opcode === op.memoryGrow && instruction.firstIndex === 0;
}

/** Globals `__ft_grow` reads and writes. */
export interface GrowGlobals {
  /** Index of the `__ft_max_pages` global. */
  readonly maxPages: number;
  /** Index of the `__ft_grow_denied` global. */
  readonly denied: number;
}

/** Writes the expression of `__ft_grow` (see the module comment). */
export function writeGrowExpression(writer: BinaryWriter, globals: GrowGlobals): void {
  writer.byte(op.memorySize).byte(0x00);
  writer.byte(op.i64ExtendI32U);
  writer.byte(op.localGet).u32(0);
  writer.byte(op.i64ExtendI32U);
  writer.byte(op.i64Add);
  writer.byte(op.globalGet).u32(globals.maxPages);
  writer.byte(op.i64ExtendI32U);
  writer.byte(op.i64GtU);
  writer.byte(op.if).byte(0x40);
  writer.byte(op.globalGet).u32(globals.denied);
  writer.byte(op.i32Const).s32(1);
  writer.byte(op.i32Add);
  writer.byte(op.globalSet).u32(globals.denied);
  writer.byte(op.i32Const).s32(-1);
  writer.byte(op.return);
  writer.byte(op.end);
  writer.byte(op.localGet).u32(0);
  writer.byte(op.memoryGrow).byte(0x00);
  writer.byte(op.end);
}
