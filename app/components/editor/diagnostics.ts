/**
 * Build diagnostics in the editor, through `@codemirror/lint`: compiler messages at their
 * line and column (1-based, as rustc's JSON and clang report them) become marks in the
 * text and the gutter.
 */

import { lintGutter, setDiagnostics, type Diagnostic as LintDiagnostic } from "@codemirror/lint";
import type { Extension, Text, TransactionSpec } from "@codemirror/state";
import type { EditorState } from "@codemirror/state";
import type { Diagnostic } from "../workbench/state";

/** The lint gutter that shows where diagnostics are. */
export function diagnosticsGutter(): Extension {
  return lintGutter();
}

/** The offset of 1-based `line`:`column` in `doc`, clamped into the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.from + Math.max(0, column - 1), l.to);
}

/** `@codemirror/lint`'s severities: help and note show as info. */
const SEVERITY: Record<Diagnostic["severity"], LintDiagnostic["severity"]> = {
  error: "error",
  warning: "warning",
  note: "info",
  help: "hint",
};

/** Converts build diagnostics into lint diagnostics over `doc`; a one-character mark when there is no end. */
export function toLintDiagnostics(doc: Text, diagnostics: readonly Diagnostic[]): LintDiagnostic[] {
  return diagnostics.map((d) => {
    const from = offsetOf(doc, d.line, d.column);
    const to = d.endLine !== undefined && d.endColumn !== undefined ? offsetOf(doc, d.endLine, d.endColumn) : Math.min(from + 1, doc.length);
    return {
      from,
      to: Math.max(from, to),
      severity: SEVERITY[d.severity],
      message: d.code ? `${d.code}: ${d.message}` : d.message,
      source: "build",
    };
  });
}

/** The transaction that puts `diagnostics` on `state`'s document. */
export function diagnosticsTransaction(state: EditorState, diagnostics: readonly Diagnostic[]): TransactionSpec {
  return setDiagnostics(state, toLintDiagnostics(state.doc, diagnostics));
}
