/**
 * The toolchains and their flags: the one definition shared by the examples' build
 * (`scripts/build-extensions.ts`) and the build route (`lib/build/build.ts`), so a source
 * edited on the page compiles exactly as its example did. Server only (spawns processes).
 *
 * | language | compiler | reactor | command |
 * |---|---|---|---|
 * | rust | Debian's `/usr/bin/rustc --target wasm32-wasi` (rustup's rustc has no wasm32 std here) | `--crate-type cdylib` | `--crate-type bin` |
 * | c | `clang-14 --target=wasm32-wasi` with wasi-libc | `-mexec-model=reactor` | without it |
 *
 * The formatters run in the same sandbox: Debian's `/usr/bin/rustfmt` and `clang-format-14`.
 */

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { emptyEnvironment } from "./sandbox";
import type { BuildKind, BuildLanguage, BuildProfile } from "./types";

/** Debian's rustc, the one with the wasm32-wasi standard library (`libstd-rust-dev-wasm32`). */
export const RUSTC = "/usr/bin/rustc";
/** clang with the wasm32 backend; wasi-libc and the wasm32 compiler-rt builtins beside it. */
export const CLANG = "/usr/bin/clang-14";
/** Debian's rustfmt, of the same Rust release as {@link RUSTC} (the rustup one on PATH is another). */
export const RUSTFMT = "/usr/bin/rustfmt";
/** clang-format of the same LLVM release as {@link CLANG}. */
export const CLANG_FORMAT = "/usr/bin/clang-format-14";

/** The Rust edition of every Rust build and format. */
export const RUST_EDITION = "2021";

/**
 * clang-format's style: LLVM's, with the 4-space indent and 100 columns of the examples
 * (`extensions/hello-c/main.c`). Given inline so no `.clang-format` file is looked up.
 */
export const CLANG_FORMAT_STYLE = "{BasedOnStyle: LLVM, IndentWidth: 4, ColumnLimit: 100}";

/** What the compiler argument lists need. */
export interface CompileInput {
  kind: BuildKind;
  /** The source file, as the compiler should name it in diagnostics. */
  source: string;
  /** The module file to write. */
  out: string;
  /** `human` for a terminal (the examples' build), `machine` for the route's parsers. */
  diagnostics: "human" | "machine";
  /** The optimization flags; default `release`. */
  profile?: BuildProfile;
}

/** rustc's optimization flags per profile (see {@link BuildProfile}). */
const RUST_PROFILE_FLAGS: Record<BuildProfile, string[]> = {
  release: ["-O"],
  size: ["-C", "opt-level=s", "-C", "lto=fat", "-C", "codegen-units=1"],
};

/**
 * clang's optimization flags per profile. No `-flto` for size: wasi-libc is not built for
 * LTO, so it cannot drop libc code; and `-Os` rather than `-Oz`, which came out larger than
 * `-O2` on the examples (hello-c: 3,357 bytes against 3,270; `-Os` 3,233).
 */
const CLANG_PROFILE_FLAGS: Record<BuildProfile, string[]> = {
  release: ["-O2"],
  size: ["-Os"],
};

/** Rust's arguments: `--crate-type` is the 5th and 6th (the build script's test checks it). */
export function rustArgs(input: CompileInput & { crateName: string }): string[] {
  return [
    "--edition", RUST_EDITION,
    "--target", "wasm32-wasi",
    "--crate-type", input.kind === "command" ? "bin" : "cdylib",
    "--crate-name", input.crateName.replace(/-/g, "_"),
    ...RUST_PROFILE_FLAGS[input.profile ?? "release"],
    "-C", "strip=symbols",
    // rustc's JSON diagnostics (one object per line on stderr, with byte offsets and `rendered`).
    ...(input.diagnostics === "machine" ? ["--error-format=json"] : []),
    "-o", input.out,
    input.source,
  ];
}

/** C's arguments. */
export function clangArgs(input: CompileInput): string[] {
  return [
    "--target=wasm32-wasi",
    ...(input.kind === "command" ? [] : ["-mexec-model=reactor"]),
    ...CLANG_PROFILE_FLAGS[input.profile ?? "release"],
    "-Wall",
    // No colour codes, and `{l:c-l:c}` ranges after each place, for the route's parser.
    ...(input.diagnostics === "machine" ? ["-fno-color-diagnostics", "-fdiagnostics-print-source-range-info"] : []),
    "-Wl,--strip-all",
    "-o", input.out,
    input.source,
  ];
}

/** The compiler binary and its full argument list for one route build in the sandbox's job folder. */
export function compileCommand(language: BuildLanguage, kind: BuildKind, profile: BuildProfile = "release"): { file: string; command: string[]; output: string } {
  const output = "module.wasm";
  if (language === "rust") {
    const file = kind === "command" ? "main.rs" : "lib.rs";
    return { file, output, command: [RUSTC, ...rustArgs({ kind, profile, source: file, out: output, diagnostics: "machine", crateName: "extension" })] };
  }
  const file = "main.c";
  return { file, output, command: [CLANG, ...clangArgs({ kind, profile, source: file, out: output, diagnostics: "machine" })] };
}

/** The formatter's command line: it reads the source on stdin and writes the result to stdout. */
export function formatCommand(language: BuildLanguage): string[] {
  return language === "rust"
    ? [RUSTFMT, "--edition", RUST_EDITION, "--emit", "stdout"]
    : [CLANG_FORMAT, `--style=${CLANG_FORMAT_STYLE}`, "--assume-filename=main.c"];
}

/**
 * clang parsing C without compiling it, with each diagnostic's category (`[Parse Issue]`):
 * clang-format formats any token stream, so Format asks the parser whether the source parses.
 */
export function parseCheckCommand(file: string): string[] {
  return [CLANG, "--target=wasm32-wasi", "-fsyntax-only", "-fno-color-diagnostics", "-fdiagnostics-show-category=name", file];
}

// ---------------------------------------------------------------------------
// Versions (part of the build cache key)
// ---------------------------------------------------------------------------

const versions = new Map<BuildLanguage, Promise<string>>();

/**
 * The toolchain's version text (`rustc -vV`; `clang-14 --version`): a new compiler release
 * gives new cache keys. Computed once per process.
 * @throws {ToolchainMissingError} when the compiler cannot be run.
 */
export function toolchainVersion(language: BuildLanguage): Promise<string> {
  let version = versions.get(language);
  if (version === undefined) {
    const [command, args] = language === "rust" ? [RUSTC, ["-vV"]] : [CLANG, ["--version"]];
    version = new Promise<string>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ["ignore", "pipe", "ignore"], env: { ...emptyEnvironment(), PATH: "/usr/bin:/bin" } });
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
      child.on("error", (error) => reject(new ToolchainMissingError(`${command} cannot be run: ${error.message}. Install: ${packagesFor(language)}`)));
      child.on("close", (code) =>
        code === 0 ? resolve(out.trim()) : reject(new ToolchainMissingError(`${command} ${args.join(" ")} exited with ${code}. Install: ${packagesFor(language)}`)),
      );
    });
    version.catch(() => versions.delete(language));
    versions.set(language, version);
  }
  return version;
}

// ---------------------------------------------------------------------------
// Installation checks (the build script's; the route's sandbox needs the same packages)
// ---------------------------------------------------------------------------

/** A compiler, linker or library needed for a build is not installed. */
export class ToolchainMissingError extends Error {
  override name = "ToolchainMissingError";
}

/** The Debian packages of each toolchain (also in `scripts/setup.sh`). */
export const RUST_PACKAGES = "apt-get install rustc libstd-rust-dev-wasm32 lld-14";
export const C_PACKAGES = "apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32";

function packagesFor(language: BuildLanguage): string {
  return language === "rust" ? RUST_PACKAGES : C_PACKAGES;
}

function probe(command: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(command, args, { encoding: "utf8" });
  return { ok: r.error === undefined && r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/**
 * Checks a rustc, its wasm32-wasi standard library and its linker.
 * @throws {ToolchainMissingError} naming what is missing and the package that provides it.
 */
export function checkRust(rustc: string): void {
  const sysrootProbe = probe(rustc, ["--print", "sysroot"]);
  if (!sysrootProbe.ok) {
    throw new ToolchainMissingError(
      `rustc not found at ${rustc} (needed for lib.rs). Install Debian's Rust: ${RUST_PACKAGES}. ` +
        `(rustup's rustc has no wasm32-wasi target here; set EXTENSIONS_RUSTC to use another rustc.)`,
    );
  }
  const sysroot = sysrootProbe.output.trim();
  const std = path.join(sysroot, "lib", "rustlib", "wasm32-wasi", "lib");
  if (!fs.existsSync(std)) {
    throw new ToolchainMissingError(
      `${rustc} has no wasm32-wasi standard library (${std} is missing). Install: apt-get install libstd-rust-dev-wasm32`,
    );
  }
  // rustc links wasm32-wasi with `rust-lld`, which Debian's rustc package
  // ships as a symlink to lld-14's binary; existsSync follows the link.
  const rustLld = path.join(sysroot, "bin", "rust-lld");
  if (!fs.existsSync(rustLld)) {
    throw new ToolchainMissingError(
      `rust-lld (${rustLld}, the wasm linker rustc uses) is missing or a dangling link. Install: apt-get install lld-14`,
    );
  }
}

/**
 * Checks a clang, wasm-ld, wasi-libc and the wasm32 compiler-rt builtins.
 * @throws {ToolchainMissingError} naming what is missing and the package that provides it.
 */
export function checkClang(clang: string): void {
  if (!probe(clang, ["--version"]).ok) {
    throw new ToolchainMissingError(
      `${clang} not found (needed for main.c). Install: ${C_PACKAGES}. (Set EXTENSIONS_CLANG to use another clang.)`,
    );
  }
  if (spawnSync("wasm-ld-14", ["--version"]).error !== undefined) {
    throw new ToolchainMissingError(`wasm-ld-14 (clang's wasm linker) not found. Install: apt-get install lld-14`);
  }
  const libc = probe(clang, ["--target=wasm32-wasi", "-print-file-name=libc.a"]).output.trim();
  if (!path.isAbsolute(libc) || !fs.existsSync(libc)) {
    throw new ToolchainMissingError(`wasi-libc (libc.a for wasm32-wasi) not found. Install: apt-get install wasi-libc`);
  }
  const builtins = probe(clang, ["--target=wasm32-wasi", "-print-libgcc-file-name"]).output.trim();
  if (!fs.existsSync(builtins)) {
    throw new ToolchainMissingError(
      `compiler-rt builtins for wasm32 not found (${builtins}). Install: apt-get install libclang-rt-14-dev-wasm32`,
    );
  }
}
