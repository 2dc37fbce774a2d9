/**
 * The build and format routes' request and response shapes (`POST /api/build`,
 * `POST /api/format`). Pure types, no code: the page imports them as well as the server.
 *
 * Positions are 1-based lines and columns in the submitted source. A column counts UTF-16
 * code units from the start of its line (JavaScript string indices, what CodeMirror uses),
 * so `line.from + column - 1` is the document position. A diagnostic that has no place in
 * the source (a linker error, a compiler crash) is put at line 1, column 1.
 */

/** A language the server compiles (WAT builds in the browser). */
export type BuildLanguage = "rust" | "c";

/**
 * What the module is: a *reactor* (exports hooks, and `_initialize` for C; Rust's
 * `--crate-type cdylib`, C's `-mexec-model=reactor`) or a WASI *command* (`main`, exports
 * `_start`; Rust's bin crate, C without `-mexec-model=reactor`). The same two forms as the
 * examples (`lib.rs`/`main.rs`, `main.c`/`// build: command`).
 */
export type BuildKind = "reactor" | "command";

/**
 * The optimization flags of a build. `release` is the examples' (rustc `-O`, clang `-O2`);
 * `size` follows FrankenTerm's "Binary size tips" (docs/wasm-extensions.md: `opt-level = "s"`
 * and `lto = true` in the release profile): rustc `-C opt-level=s -C lto=fat -C
 * codegen-units=1`, clang `-Os`. The inspector builds both to say what the flags save.
 */
export type BuildProfile = "release" | "size";

/** `POST /api/build` body. */
export interface BuildRequest {
  language: BuildLanguage;
  /** The one source file (`lib.rs`/`main.rs` for Rust, `main.c` for C), UTF-8. */
  source: string;
  /** Default `"reactor"`. A Rust source with `fn main` is still a reactor unless this says `"command"`. */
  kind?: BuildKind;
  /** Default `"release"`. */
  profile?: BuildProfile;
}

/** How bad a diagnostic is; rustc's `failure-note` is a `note`, an internal compiler error an `error`. */
export type DiagnosticSeverity = "error" | "warning" | "note" | "help";

/** One compiler message, placed in the submitted source. */
export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** The message without its place (rustc's `message`, clang's text after `error: `). */
  message: string;
  /** 1-based line of the start. */
  line: number;
  /** 1-based column of the start, in UTF-16 code units. */
  column: number;
  /** 1-based line of the end (exclusive column), when the compiler gives a range. */
  endLine?: number;
  /** 1-based column just past the end, in UTF-16 code units. */
  endColumn?: number;
  /** rustc's error code or lint (`E0308`, `unused_variables`); clang's warning flag (`-Wunused-variable`). */
  code?: string;
  /** The compiler's own text for this diagnostic, with its source excerpt and carets. */
  rendered?: string;
}

/** A resource limit that stopped a build or a format (see `lib/build/limits.ts`). */
export type LimitName = "cpu" | "memory" | "wall" | "output" | "processes";

/** `POST /api/build` 200 answer when a module was produced (compiled now or taken from the cache). */
export interface BuildSuccess {
  ok: true;
  /** The module bytes, base64. */
  wasm: string;
  /** SHA-256 of the module bytes, lowercase hex. */
  sha256: string;
  /** True when the module came from the build cache (same language, kind, source, flags and toolchain). */
  cached: boolean;
  /** Milliseconds this answer took on the server, not counting the wait in the queue (a cache hit: the lookup). */
  ms: number;
  /** Warnings and notes (a cache hit returns those of the build that produced it). */
  diagnostics: Diagnostic[];
}

/** `POST /api/build` 200 answer when no module was produced. */
export interface BuildFailure {
  ok: false;
  /** One line saying what went wrong: the first error, or the limit that stopped the build and its value. */
  error: string;
  diagnostics: Diagnostic[];
  /** Set when a resource limit stopped the build. */
  limit?: LimitName;
}

/** `POST /api/build` 200 answer. */
export type BuildResponse = BuildSuccess | BuildFailure;

/** `POST /api/format` body. */
export interface FormatRequest {
  language: BuildLanguage;
  source: string;
}

/** `POST /api/format` 200 answer: the formatted source, or the formatter's message (the source was not changed). */
export type FormatResponse =
  | { ok: true; source: string }
  | { ok: false; error: string; limit?: LimitName };

/** Body of a 400 (bad body, names the field), 413 (source or body too large, names the cap) or 503 (queue full). */
export interface RouteError {
  error: string;
}
