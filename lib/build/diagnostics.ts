/**
 * Compiler messages as {@link Diagnostic}s placed in the submitted source: rustc's
 * `--error-format=json` (one JSON object per stderr line, with byte offsets; see rustc's
 * "JSON Output" chapter) and clang's text diagnostics (`file:line:col:{range}: severity:
 * message [flag]`, with `-fdiagnostics-print-source-range-info`). Pure.
 *
 * Each parser also returns the text that is no diagnostic (panics, stack dumps, the driver's
 * messages): the build looks there, and only there, for a limit's traces, since a
 * diagnostic quotes the user's source, which may say anything.
 */

import { SourceIndex } from "./positions";
import type { Diagnostic, DiagnosticSeverity } from "./types";

/** What a parser found in a compiler's stderr. */
export interface ParsedDiagnostics {
  diagnostics: Diagnostic[];
  /** Lines of the output that belong to no diagnostic, joined by `\n`. */
  otherText: string;
}

// ---------------------------------------------------------------------------
// rustc
// ---------------------------------------------------------------------------

/** A span of rustc's JSON diagnostics (the fields used here). */
interface RustcSpan {
  file_name: string;
  byte_start: number;
  byte_end: number;
  is_primary: boolean;
  expansion: { span: RustcSpan } | null;
}

/** One rustc JSON diagnostic (the fields used here). */
interface RustcDiagnostic {
  message: string;
  code: { code: string } | null;
  level: string;
  spans: RustcSpan[];
  children: RustcDiagnostic[];
  rendered: string | null;
}

function isRustcDiagnostic(value: unknown): value is RustcDiagnostic {
  if (typeof value !== "object" || value === null) return false;
  const d = value as Record<string, unknown>;
  return typeof d.message === "string" && typeof d.level === "string" && Array.isArray(d.spans) && Array.isArray(d.children);
}

/** rustc's closing summaries, which say nothing the diagnostics before them do not. */
const RUSTC_SUMMARY = /^(aborting due to|\d+ warnings? emitted|For more information about (this|an) error|Some errors have detailed explanations)/;

function rustcSeverity(level: string): DiagnosticSeverity {
  if (level === "warning") return "warning";
  if (level === "note" || level === "failure-note") return "note";
  if (level === "help") return "help";
  return "error"; // "error", "error: internal compiler error"
}

/**
 * The span to place a diagnostic at: its primary span in `fileName`, else the macro call in
 * `fileName` that the primary span was expanded from, else any span in `fileName`.
 */
function placeSpan(spans: RustcSpan[], fileName: string): RustcSpan | undefined {
  const primary = spans.find((s) => s.is_primary) ?? spans[0];
  for (let span = primary; span !== undefined; span = span.expansion?.span) {
    if (span.file_name === fileName) return span;
  }
  return spans.find((s) => s.file_name === fileName);
}

function spanPlace(span: RustcSpan | undefined, index: SourceIndex): Pick<Diagnostic, "line" | "column" | "endLine" | "endColumn"> {
  if (span === undefined) return { line: 1, column: 1 };
  const start = index.fromByteOffset(span.byte_start);
  const end = index.fromByteOffset(span.byte_end);
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * Parses rustc's stderr under `--error-format=json`.
 * @param fileName the source's name as given to rustc (`lib.rs`).
 */
export function parseRustcDiagnostics(stderr: string, source: string, fileName: string): ParsedDiagnostics {
  const index = new SourceIndex(source);
  const diagnostics: Diagnostic[] = [];
  const other: string[] = [];
  for (const line of stderr.split("\n")) {
    let parsed: unknown;
    try {
      parsed = line.startsWith("{") ? JSON.parse(line) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!isRustcDiagnostic(parsed)) {
      if (line.trim() !== "") other.push(line);
      continue;
    }
    if (parsed.spans.length === 0 && RUSTC_SUMMARY.test(parsed.message)) continue;
    const span = placeSpan(parsed.spans, fileName);
    // Children without a place of their own (`= note: …`, `= help: …`) read as part of the message.
    const unplaced = parsed.children.filter((c) => placeSpan(c.spans, fileName) === undefined);
    const message = [parsed.message, ...unplaced.map((c) => `${rustcSeverity(c.level)}: ${c.message}`)].join("\n");
    diagnostics.push({
      severity: rustcSeverity(parsed.level),
      message,
      ...spanPlace(span, index),
      ...(parsed.code ? { code: parsed.code.code } : {}),
      ...(parsed.rendered ? { rendered: parsed.rendered.trimEnd() } : {}),
    });
    for (const child of parsed.children) {
      const childSpan = placeSpan(child.spans, fileName);
      if (childSpan === undefined) continue;
      diagnostics.push({ severity: rustcSeverity(child.level), message: child.message, ...spanPlace(childSpan, index) });
    }
  }
  return { diagnostics, otherText: other.join("\n") };
}

// ---------------------------------------------------------------------------
// clang
// ---------------------------------------------------------------------------

/** `file:line:col:{l:c-l:c}…: severity: message`. */
const CLANG_HEADER = /^(.+?):(\d+):(\d+):((?:\{\d+:\d+-\d+:\d+\})*):? (fatal error|error|warning|note|remark): (.*)$/;
/** A message of the driver or the linker, with no place: `wasm-ld-14: error: …`. */
const TOOL_HEADER = /^((?:clang|wasm-ld|ld|lld)(?:-\d+)?): (fatal error|error|warning|note): (.*)$/;
/** The caret line under a source excerpt. */
const CARET_LINE = /^[ \t~^]*[\^~][ \t~^]*$/;
/** `[-Wflag]`, `[Parse Issue]`, `[-Wflag,Semantic Issue]` at the end of a message. */
const CLANG_TAGS = /\s\[((?:-W[^\],\s]+)?(?:,?[A-Z][A-Za-z ]* Issue)?)\]$/;
/** The driver's notes and the warnings about its own arguments say nothing about the source. */
const TOOL_NOISE = /^(diagnostic msg:|argument unused during compilation)/;

function clangSeverity(severity: string): DiagnosticSeverity {
  if (severity === "warning") return "warning";
  if (severity === "note" || severity === "remark") return "note";
  return "error";
}

/** Splits clang's trailing tags off a message. */
function clangTags(message: string): { message: string; code?: string; category?: string } {
  const tags = CLANG_TAGS.exec(message);
  if (!tags?.[1]) return { message };
  const parts = tags[1].split(",");
  const code = parts.find((p) => p.startsWith("-W"));
  const category = parts.find((p) => p.endsWith(" Issue"));
  return { message: message.slice(0, tags.index), ...(code ? { code } : {}), ...(category ? { category } : {}) };
}

/** A clang diagnostic, with the category clang gives under `-fdiagnostics-show-category=name`. */
export interface ClangDiagnostic extends Diagnostic {
  category?: string;
}

/**
 * Parses clang's (and its linker's) stderr.
 * @param fileName the source's name as given to clang (`main.c`); a diagnostic in another
 *   file (a header) is put at 1:1 with that file's place in front of its message.
 */
export function parseClangDiagnostics(stderr: string, source: string, fileName: string): { diagnostics: ClangDiagnostic[]; otherText: string } {
  const index = new SourceIndex(source);
  const diagnostics: ClangDiagnostic[] = [];
  const other: string[] = [];
  const lines = stderr.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = CLANG_HEADER.exec(line);
    if (header) {
      const [, file = "", lineText = "1", columnText = "1", ranges = "", severity = "error", rest = ""] = header;
      const rendered = [line];
      const next = lines[i + 1];
      const caret = lines[i + 2];
      if (next !== undefined && caret !== undefined && !CLANG_HEADER.test(next) && CARET_LINE.test(caret)) {
        rendered.push(next, caret);
        i += 2;
      }
      const tags = clangTags(rest);
      const base = { severity: clangSeverity(severity), rendered: rendered.join("\n"), ...(tags.code ? { code: tags.code } : {}), ...(tags.category ? { category: tags.category } : {}) };
      if (file !== fileName) {
        diagnostics.push({ ...base, message: `${file}:${lineText}:${columnText}: ${tags.message}`, line: 1, column: 1 });
        continue;
      }
      const lineNumber = Number(lineText);
      const byteColumn = Number(columnText);
      diagnostics.push({ ...base, message: tags.message, line: lineNumber, column: index.utf16Column(lineNumber, byteColumn), ...clangRange(ranges, lineNumber, byteColumn, index) });
      continue;
    }
    const tool = TOOL_HEADER.exec(line);
    if (tool) {
      other.push(line);
      const [, name = "", severity = "error", message = ""] = tool;
      if (severity !== "note" && !TOOL_NOISE.test(message)) {
        diagnostics.push({ severity: clangSeverity(severity), message: `${name}: ${message}`, line: 1, column: 1, rendered: line });
      }
      continue;
    }
    if (line.trim() !== "" && !/^\d+ (warnings?|errors?)( and \d+ (warnings?|errors?))? generated\.$/.test(line) && !line.startsWith("In file included from")) {
      other.push(line);
    }
  }
  return { diagnostics, otherText: other.join("\n") };
}

/** The first `{l:c-l:c}` range that holds the caret, as an exclusive UTF-16 end. */
function clangRange(ranges: string, line: number, byteColumn: number, index: SourceIndex): Pick<Diagnostic, "endLine" | "endColumn"> {
  for (const range of ranges.matchAll(/\{(\d+):(\d+)-(\d+):(\d+)\}/g)) {
    const [startLine, startColumn, endLine, endColumn] = range.slice(1).map(Number) as [number, number, number, number];
    const startsBefore = startLine < line || (startLine === line && startColumn <= byteColumn);
    const endsAfter = endLine > line || (endLine === line && endColumn > byteColumn);
    if (startsBefore && endsAfter) return { endLine, endColumn: index.utf16Column(endLine, endColumn) };
  }
  return {};
}
