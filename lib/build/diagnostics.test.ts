/**
 * The diagnostics parsers and source positions on fixed compiler output (the shapes rustc
 * 1.63 and clang 14 print; the real compilers' output is checked in builder.test.ts).
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseClangDiagnostics, parseRustcDiagnostics } from "./diagnostics";
import { SourceIndex } from "./positions";

describe("SourceIndex", () => {
  const index = new SourceIndex("ab\né😀x\n\nz");
  it("turns byte offsets into 1-based lines and UTF-16 columns", () => {
    assert.deepEqual(index.fromByteOffset(0), { line: 1, column: 1 });
    assert.deepEqual(index.fromByteOffset(3), { line: 2, column: 1 });
    // é is 2 bytes and 1 unit; 😀 4 bytes and 2 units.
    assert.deepEqual(index.fromByteOffset(3 + 2 + 4), { line: 2, column: 4 });
    assert.deepEqual(index.fromByteOffset(12), { line: 4, column: 1 });
    assert.deepEqual(index.fromByteOffset(999), { line: 4, column: 2 });
  });
  it("turns clang's byte columns into UTF-16 columns", () => {
    assert.equal(index.utf16Column(2, 1), 1);
    assert.equal(index.utf16Column(2, 3), 2);
    assert.equal(index.utf16Column(2, 7), 4);
    assert.equal(index.utf16Column(9, 5), 1);
  });
});

function rustc(diagnostic: object): string {
  return JSON.stringify(diagnostic);
}

const span = (start: number, end: number, extra: object = {}) => ({ file_name: "lib.rs", byte_start: start, byte_end: end, is_primary: true, expansion: null, ...extra });

describe("rustc JSON", () => {
  const source = 'fn f() {\n    let s = "é"; g!();\n}\n';
  it("places the primary span, keeps codes and rendering, drops the summaries", () => {
    const stderr = [
      rustc({ message: "mismatched types", code: { code: "E0308" }, level: "error", spans: [span(9, 12, { is_primary: false }), span(27, 30)], children: [], rendered: "error[E0308]: mismatched types\n" }),
      rustc({ message: "aborting due to previous error", code: null, level: "error", spans: [], children: [], rendered: "" }),
      rustc({ message: "For more information about this error, try `rustc --explain E0308`.", code: null, level: "failure-note", spans: [], children: [], rendered: "" }),
      "",
    ].join("\n");
    const { diagnostics, otherText } = parseRustcDiagnostics(stderr, source, "lib.rs");
    // Byte 27 is the `g` after `"é"; ` (é is two bytes): UTF-16 column 18.
    assert.deepEqual(diagnostics, [{ severity: "error", message: "mismatched types", line: 2, column: 18, endLine: 2, endColumn: 21, code: "E0308", rendered: "error[E0308]: mismatched types" }]);
    assert.equal(otherText, "");
  });

  it("follows a span in another file back to the macro call in the source", () => {
    const inStd = span(100, 120, { file_name: "/usr/src/rustc/library/core/src/macros/mod.rs", expansion: { span: span(27, 31) } });
    const { diagnostics } = parseRustcDiagnostics(rustc({ message: "boom", code: null, level: "warning", spans: [inStd], children: [], rendered: null }), source, "lib.rs");
    assert.deepEqual(diagnostics, [{ severity: "warning", message: "boom", line: 2, column: 18, endLine: 2, endColumn: 22 }]);
  });

  it("keeps placed children as their own diagnostics and unplaced ones in the message", () => {
    const children = [
      { message: "consider borrowing", code: null, level: "help", spans: [span(13, 14)], children: [], rendered: null },
      { message: "`#[warn(unused)]` on by default", code: null, level: "note", spans: [], children: [], rendered: null },
    ];
    const { diagnostics } = parseRustcDiagnostics(rustc({ message: "unused variable: `s`", code: { code: "unused_variables" }, level: "warning", spans: [span(17, 18)], children, rendered: null }), source, "lib.rs");
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.message, d.line, d.column]), [
      ["warning", "unused variable: `s`\nnote: `#[warn(unused)]` on by default", 2, 9],
      ["help", "consider borrowing", 2, 5],
    ]);
  });

  it("returns what is not JSON (a panic) as other text, and a spanless error at 1:1", () => {
    const stderr = `thread 'rustc' panicked at 'boom'\n${rustc({ message: "linking with `rust-lld` failed", code: null, level: "error", spans: [], children: [], rendered: "x" })}\n`;
    const { diagnostics, otherText } = parseRustcDiagnostics(stderr, source, "lib.rs");
    assert.deepEqual(diagnostics.map((d) => [d.message, d.line, d.column]), [["linking with `rust-lld` failed", 1, 1]]);
    assert.equal(otherText, "thread 'rustc' panicked at 'boom'");
  });
});

describe("clang text", () => {
  const source = 'int f(void) {\n    const char *s = "é"; return y + 1;\n}\n';
  it("parses places, ranges, flags, categories and excerpts; skips the summary", () => {
    const stderr = [
      "main.c:2:34:{2:34-2:35}: error: use of undeclared identifier 'y' [Semantic Issue]",
      '     const char *s = "é"; return y + 1;',
      "                                  ^",
      "main.c:2:17: warning: unused variable 's' [-Wunused-variable,Unused Entity Issue]",
      "main.c:1:5: note: to match this '('",
      "1 warning and 1 error generated.",
      "",
    ].join("\n");
    const { diagnostics, otherText } = parseClangDiagnostics(stderr, source, "main.c");
    assert.deepEqual(diagnostics[0], {
      severity: "error",
      message: "use of undeclared identifier 'y'",
      line: 2,
      column: 33, // byte column 34, é is two bytes
      endLine: 2,
      endColumn: 34,
      category: "Semantic Issue",
      rendered: stderr.split("\n").slice(0, 3).join("\n"),
    });
    assert.deepEqual(diagnostics.slice(1).map((d) => [d.severity, d.message, d.code, d.line, d.column]), [
      ["warning", "unused variable 's'", "-Wunused-variable", 2, 17],
      ["note", "to match this '('", undefined, 1, 5],
    ]);
    assert.equal(otherText, "");
  });

  it("puts a header's diagnostic and the linker's at 1:1, and keeps the driver's text as other text", () => {
    const stderr = [
      "In file included from main.c:1:",
      "/usr/include/wasm32-wasi/stdio.h:3:1: error: unknown type name 'x'",
      "wasm-ld-14: error: /tmp/main-1.o: undefined symbol: foo",
      "clang: error: linker command failed with exit code 1 (use -v to see invocation)",
      "clang: warning: argument unused during compilation: '-mexec-model=reactor' [-Wunused-command-line-argument]",
      "Stack dump:",
      "",
    ].join("\n");
    const { diagnostics, otherText } = parseClangDiagnostics(stderr, source, "main.c");
    assert.deepEqual(diagnostics.map((d) => [d.severity, d.message, d.line, d.column]), [
      ["error", "/usr/include/wasm32-wasi/stdio.h:3:1: unknown type name 'x'", 1, 1],
      ["error", "wasm-ld-14: /tmp/main-1.o: undefined symbol: foo", 1, 1],
      ["error", "clang: linker command failed with exit code 1 (use -v to see invocation)", 1, 1],
    ]);
    assert.equal(otherText.split("\n").at(-1), "Stack dump:");
  });
});
