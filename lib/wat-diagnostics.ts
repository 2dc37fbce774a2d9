/**
 * wabt's error text as diagnostics. wabt (`parseWat`, `resolveNames`, `validate`) throws one
 * Error whose message is a heading line (`parseWat failed:`) then, per problem,
 * `FILE:LINE:COLUMN: error: MESSAGE` followed by the source line and a caret line.
 */

/** One wabt problem at a 1-based line and column (the shape of `/api/build`'s diagnostics). */
export interface WatDiagnostic {
  severity: "error" | "warning";
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  rendered: string;
}

const LOCATED = /^[^:\n]+:(\d+):(\d+): (error|warning): (.*)$/;

/**
 * Parses wabt's message; the caret line, when present, gives the end column.
 * @returns the diagnostics found, in order (empty when none has a location).
 */
export function parseWabtErrors(text: string): WatDiagnostic[] {
  const lines = text.split("\n");
  const found: WatDiagnostic[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = LOCATED.exec(lines[i] ?? "");
    if (!match) continue;
    const line = Number(match[1]);
    const column = Number(match[2]);
    const carets = /^\s*(\^+)/.exec(lines[i + 2] ?? "");
    const rendered = lines.slice(i, carets ? i + 3 : i + 1).join("\n");
    found.push({
      severity: match[3] === "warning" ? "warning" : "error",
      message: match[4] ?? "",
      line,
      column,
      ...(carets?.[1] ? { endLine: line, endColumn: column + carets[1].length } : {}),
      rendered,
    });
  }
  return found;
}
