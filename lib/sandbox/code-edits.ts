/**
 * Edits to a function body, planned while reading it and applied while copying it.
 *
 * The passes (fuel, memory cap) never rewrite code in place: they record what to insert
 * before, or put instead of, an instruction at an absolute offset. The rewriter then copies
 * the body once, splicing the edits in. Indices the edits refer to (the fuel global, the
 * appended helper functions) are resolved only when writing, after every body has been
 * read and it is known which helpers the module needs.
 */

import type { BinaryWriter } from "./binary-writer";

/**
 * One planned fuel change (`fuel.ts`); `local` is the index of the function's fuel local.
 * - `charge`: a region's cost, subtracted before offset `at`; `check` says whether it is
 *   the function entry (loaded from the global) or a loop header (written back and
 *   checked), or neither;
 * - `spill`: write the local back to the global before `at`, then check it when `check`;
 * - `reload`: read the global into the local before `at` (just after a call);
 * - `chargeBulk`: insert `call __ft_charge_bulk` before the bulk instruction at `at` (its
 *   count is on top of the stack), with the local written back before and read after;
 * - `check`: trap before `at` when the local is negative, writing it to the global first;
 * - `pushFuel`: `local.get` before the `return` at `at` (the fuel is the last result of a
 *   function that takes fuel, `fuel-passing.ts`);
 * - `callWithFuel`: replace the `call` occupying [at, end) with one that passes the local
 *   and takes it back (`local.get  call callee  local.set`);
 * - `openBody`: insert `block blockType` at the body's first instruction, so branches to the
 *   function's own label land before the code `closeBody` appends;
 * - `closeBody`: append, after the body's final `end` (at `at`, the body's end), the exit of a
 *   function that takes fuel: `check`, `local.get`, `end`.
 */
export type FuelEdit =
  | { readonly kind: "charge"; readonly at: number; readonly cost: number; readonly local: number; readonly check: "entry" | "loop" | "plain" }
  | { readonly kind: "spill"; readonly at: number; readonly local: number; readonly check: boolean }
  | { readonly kind: "reload"; readonly at: number; readonly local: number }
  | { readonly kind: "chargeBulk"; readonly at: number; readonly local: number }
  | { readonly kind: "check"; readonly at: number; readonly local: number }
  | { readonly kind: "pushFuel"; readonly at: number; readonly local: number }
  | { readonly kind: "callWithFuel"; readonly at: number; readonly end: number; readonly callee: number; readonly local: number }
  | { readonly kind: "openBody"; readonly at: number; readonly blockType: number }
  | { readonly kind: "closeBody"; readonly at: number; readonly local: number };

/** One planned change to a function body. Offsets are absolute into the original module. */
export type CodeEdit =
  | FuelEdit
  /**
   * Replace the locals vector occupying [at, end) with one more group: `groupCount + 1`,
   * the original `groups` bytes, then one `i64` (the fuel local).
   */
  | { readonly kind: "declareFuelLocal"; readonly at: number; readonly end: number; readonly groupCount: number; readonly groups: Uint8Array }
  /** Replace the `memory.grow` instruction occupying [at, end) with `call __ft_grow`. */
  | { readonly kind: "redirectGrow"; readonly at: number; readonly end: number }
  /**
   * Replace the `local.get`/`local.set`/`local.tee` occupying [at, end) with the same
   * opcode naming `index + 1`: in a function that takes fuel, the fuel parameter sits
   * between the parameters and the declared locals.
   */
  | { readonly kind: "renumberLocal"; readonly at: number; readonly end: number; readonly opcode: number; readonly index: number }
  /** Replace the `ref.func` occupying [at, end), naming a function that takes fuel, with one naming its wrapper. */
  | { readonly kind: "refFunc"; readonly at: number; readonly end: number; readonly function: number };

/** Writes the replacement or inserted code of one edit. */
export type EditWriter = (writer: BinaryWriter, edit: CodeEdit) => void;

const kindOrder: Readonly<Record<CodeEdit["kind"], number>> = {
  declareFuelLocal: 0,
  openBody: 1,
  reload: 2,
  charge: 3,
  check: 4,
  spill: 5,
  pushFuel: 6,
  chargeBulk: 7,
  // Replacements of the instruction at `at`, after everything inserted before it.
  redirectGrow: 8,
  renumberLocal: 8,
  callWithFuel: 8,
  refFunc: 8,
  closeBody: 9,
};

/**
 * Sorts edits by offset; at the same offset, the body's opening block comes first, then
 * the reload after a call, then a region's charge, then what goes before the region's first
 * instruction (a check, a spill, the fuel pushed before a `return`, the bulk charge), then
 * the replacement of that instruction (grow redirection, renumbered local, call with fuel,
 * remapped `ref.func`); the body's closing code is at the body's end.
 */
export function sortEdits(edits: CodeEdit[]): CodeEdit[] {
  return edits.sort((a, b) => a.at - b.at || kindOrder[a.kind] - kindOrder[b.kind]);
}

/**
 * Copies `bytes[start, end)` into `writer` with the (sorted) edits applied.
 * @throws RangeError when edits overlap or fall outside the range (a bug, not bad input).
 */
export function applyEdits(
  bytes: Uint8Array,
  start: number,
  end: number,
  edits: readonly CodeEdit[],
  writer: BinaryWriter,
  write: EditWriter,
): void {
  let copied = start;
  for (const edit of edits) {
    if (edit.at < copied || edit.at > end) throw new RangeError(`code edit at ${edit.at} outside [${copied}, ${end}]`);
    writer.bytes(bytes.subarray(copied, edit.at));
    copied = edit.at;
    write(writer, edit);
    if ("end" in edit) copied = edit.end;
  }
  writer.bytes(bytes.subarray(copied, end));
}
