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
import { sectionId, sectionLabel } from "./module-sections";
import { op, type Instruction } from "./opcodes";
import { WasmFormatError } from "./wasm-format-error";

/**
 * True for `memory.grow` of memory 0, the instruction this pass redirects.
 *
 * The redirect drops the instruction's encoding, so it must not accept one the engine
 * refuses: engines with multi-memory read the memory index as a `u32` LEB (`0x80 0x00` is
 * a padded 0, valid: Chromium), older ones read the MVP's single reserved byte `0x00` and
 * refuse anything else (Node 20's V8: "expected memory index 0, found 128"). Which one runs
 * here is asked of the engine itself, once.
 * @throws WasmFormatError for a padded index the engine would refuse.
 */
export function isMemoryGrow(instruction: Instruction): boolean {
  if (instruction.opcode !== op.memoryGrow || instruction.firstIndex !== 0) return false;
  const indexBytes = instruction.end - instruction.offset - 1;
  if (indexBytes > 1 && !engineReadsMemoryIndexAsLeb()) {
    throw new WasmFormatError(
      sectionLabel(sectionId.code),
      instruction.offset,
      `memory.grow's memory index takes ${indexBytes} bytes (a padded LEB); this engine accepts only the single byte 0x00 there`,
    );
  }
  return true;
}

let lebMemoryIndex: boolean | undefined;

/** Whether the engine validates `memory.size` with its memory index padded to `0x80 0x00`. */
export function engineReadsMemoryIndexAsLeb(): boolean {
  lebMemoryIndex ??= WebAssembly.validate(
    // (module (memory 1) (func (result i32) memory.size 0x80 0x00))
    Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 5, 3, 1, 0, 1, 10, 7, 1, 5, 0, 0x3f, 0x80, 0x00, 0x0b]),
  );
  return lebMemoryIndex;
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
