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

/** One planned change to a function body. Offsets are absolute into the original module. */
export type CodeEdit =
  /** Insert the fuel check for a straight-line region of `cost` fuel before offset `at`. */
  | { readonly kind: "charge"; readonly at: number; readonly cost: number }
  /** Insert `call __ft_charge_bulk` before the bulk instruction at `at` (its count is on top of the stack). */
  | { readonly kind: "chargeBulk"; readonly at: number }
  /** Replace the `memory.grow` instruction occupying [at, end) with `call __ft_grow`. */
  | { readonly kind: "redirectGrow"; readonly at: number; readonly end: number };

/** Writes the replacement or inserted code of one edit. */
export type EditWriter = (writer: BinaryWriter, edit: CodeEdit) => void;

const kindOrder: Readonly<Record<CodeEdit["kind"], number>> = { charge: 0, chargeBulk: 1, redirectGrow: 2 };

/**
 * Sorts edits by offset; at the same offset, a region's charge comes before an edit of the
 * region's first instruction.
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
    if (edit.kind === "redirectGrow") copied = edit.end;
  }
  writer.bytes(bytes.subarray(copied, end));
}
