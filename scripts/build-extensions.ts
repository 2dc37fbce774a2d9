/**
 * Builds the example extensions in `extensions/` into `public/extensions/`.
 *
 * Every folder under `extensions/` that holds an `extension.toml` is one
 * extension; folders without one are groups and are searched further
 * (`extensions/hostile/loop/extension.toml` is extension `loop` in group
 * `hostile`). The compiler is chosen by the source file the folder holds (the
 * toolchains and their flags are `lib/build/toolchains.ts`'s, shared with the build route):
 *
 * | source    | language | compiler                                                  |
 * |-----------|----------|-----------------------------------------------------------|
 * | `lib.rs`  | rust     | Debian's `/usr/bin/rustc` (the rustup one has no wasm32 std), `--crate-type cdylib` |
 * | `main.rs` | rust     | the same rustc, as a bin: a WASI command (`fn main`, exports `_start`) |
 * | `main.c`  | c        | `clang-14 --target=wasm32-wasi -mexec-model=reactor`      |
 * | `*.wat`   | wat      | the `wabt` npm package (`parseWat` + `toBinary`)          |
 *
 * Commands: a WASI *command* has `main`, exports `_start` and runs once, top to bottom
 * (the conformance programs in `extensions/conformance/`). For Rust the file name says it
 * (`main.rs`, as Cargo's bin convention); a C file asks for it with a line of its own
 * reading `// build: command`, which drops `-mexec-model=reactor`. Index entries of
 * commands carry `"command": true`.
 *
 * For extension NAME in group G (empty for top-level ones) it writes
 * `public/extensions/[G/]NAME.wasm`, `NAME.toml` (the manifest) and
 * `NAME.{rs,c,wat}` (the source, for the page to show), then
 * `public/extensions/index.json`, one entry per extension; entries of nested
 * extensions carry `"group"`, and those whose folder holds a `stdin.txt` carry its text
 * as `"stdin"` (what the example reads on fd 0).
 *
 * Outputs newer than their inputs (and than this script) are left alone, so
 * running it twice does nothing the second time; `--force` rebuilds all.
 * A missing toolchain fails with the tool and the package that provides it;
 * a compile error fails with the compiler's own output. Toolchains are only
 * checked when something actually needs compiling.
 *
 * Usage: `npx tsx scripts/build-extensions.ts [--force]`
 * Environment overrides: `EXTENSIONS_RUSTC`, `EXTENSIONS_CLANG` (compilers),
 * `EXTENSIONS_SRC_DIR`, `EXTENSIONS_OUT_DIR` (folders; used by the tests).
 */

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseToml, type TomlTable } from "smol-toml";
import { checkClang, checkRust, CLANG, clangArgs as clangToolchainArgs, RUSTC, rustArgs as rustToolchainArgs, ToolchainMissingError } from "../lib/build/toolchains";

export { ToolchainMissingError };

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/** Where things are and which compilers to run. */
export interface BuildConfig {
  /** Folder searched for `extension.toml` files. */
  extensionsDir: string;
  /** Folder the outputs are written to (served as `/extensions/`). */
  outDir: string;
  /** URL prefix under which `outDir` is served. */
  urlPrefix: string;
  /**
   * Absolute path of a rustc that has the `wasm32-wasi` standard library.
   * Debian's `rustc` + `libstd-rust-dev-wasm32`; never the rustup shim on PATH.
   */
  rustc: string;
  /** clang with the wasm32 backend, wasi-libc and compiler-rt builtins. */
  clang: string;
  /** Rebuild even when outputs are newer than inputs. */
  force: boolean;
  /**
   * Extra files whose modification makes every compiled output stale
   * (by default this script and `lib/build/toolchains.ts`, which holds the compiler flags).
   */
  extraInputs: string[];
  /** Progress messages (one line each). */
  log: (line: string) => void;
}

const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(scriptPath), "..");

/** The configuration used when the script is run from the command line. */
export function defaultBuildConfig(): BuildConfig {
  return {
    extensionsDir: process.env.EXTENSIONS_SRC_DIR ?? path.join(repoRoot, "extensions"),
    outDir: process.env.EXTENSIONS_OUT_DIR ?? path.join(repoRoot, "public", "extensions"),
    urlPrefix: "/extensions",
    rustc: process.env.EXTENSIONS_RUSTC ?? RUSTC,
    clang: process.env.EXTENSIONS_CLANG ?? CLANG,
    force: false,
    extraInputs: [scriptPath, path.join(repoRoot, "lib", "build", "toolchains.ts")],
    log: (line) => console.log(line),
  };
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** The compiler rejected a source file; `output` is what it printed. */
export class CompileError extends Error {
  override name = "CompileError";
  constructor(
    message: string,
    readonly command: string,
    readonly output: string,
  ) {
    super(`${message}\n$ ${command}\n${output.trimEnd()}`);
  }
}

/** An extension folder or its manifest is not usable. */
export class ExtensionLayoutError extends Error {
  override name = "ExtensionLayoutError";
}

// ---------------------------------------------------------------------------
// Discovery and manifests
// ---------------------------------------------------------------------------

export type Language = "rust" | "c" | "wat";

/** File extension of each language's source, as published next to the wasm. */
export const sourceExtension: Record<Language, string> = {
  rust: "rs",
  c: "c",
  wat: "wat",
};

/** One extension folder, as found on disk. */
export interface ExtensionSource {
  /** Folder name; also the base name of every output file. */
  name: string;
  /** Parent folders below `extensions/`, joined by `/`; `""` at top level. */
  group: string;
  /** The folder. */
  dir: string;
  manifestPath: string;
  sourcePath: string;
  language: Language;
  /** True for a WASI command (`main.rs`, or `main.c` marked `// build: command`). */
  command: boolean;
}

/** The line that makes a `main.c` a command. */
export const C_COMMAND_MARKER = /^[ \t]*\/\/[ \t]*build:[ \t]*command[ \t]*$/m;

const MANIFEST = "extension.toml";
/** Folders never searched for extensions. */
const SKIPPED_DIRS = new Set(["node_modules", "target"]);

/**
 * Finds every extension below `extensionsDir`, sorted by group then name.
 * A folder with `extension.toml` is an extension (its subfolders are not
 * searched); any other folder is a group.
 */
export function discoverExtensions(extensionsDir: string): ExtensionSource[] {
  const found: ExtensionSource[] = [];
  const walk = (dir: string, group: string): void => {
    const entries = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith(".") && !SKIPPED_DIRS.has(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of entries) {
      const sub = path.join(dir, name);
      const manifestPath = path.join(sub, MANIFEST);
      if (fs.existsSync(manifestPath)) {
        const { sourcePath, language, command } = findSource(sub);
        found.push({ name, group, dir: sub, manifestPath, sourcePath, language, command });
      } else {
        walk(sub, group === "" ? name : `${group}/${name}`);
      }
    }
  };
  walk(extensionsDir, "");
  return found.sort((a, b) =>
    a.group === b.group ? a.name.localeCompare(b.name) : a.group.localeCompare(b.group),
  );
}

/** Picks the one source file of an extension folder. */
function findSource(dir: string): { sourcePath: string; language: Language; command: boolean } {
  const files = fs.readdirSync(dir);
  const candidates: Array<{ sourcePath: string; language: Language; command: boolean }> = [];
  for (const file of files) {
    const sourcePath = path.join(dir, file);
    if (file === "lib.rs") candidates.push({ sourcePath, language: "rust", command: false });
    else if (file === "main.rs") candidates.push({ sourcePath, language: "rust", command: true });
    else if (file === "main.c") {
      candidates.push({ sourcePath, language: "c", command: C_COMMAND_MARKER.test(fs.readFileSync(sourcePath, "utf8")) });
    } else if (file.endsWith(".wat")) candidates.push({ sourcePath, language: "wat", command: false });
  }
  const [only, ...rest] = candidates;
  if (only === undefined || rest.length > 0) {
    throw new ExtensionLayoutError(
      `${dir}: expected exactly one source file (lib.rs, main.rs, main.c or *.wat), found ` +
        (candidates.length === 0 ? "none" : candidates.map((c) => path.basename(c.sourcePath)).join(", ")),
    );
  }
  return only;
}

/** The manifest fields the build needs. */
export interface ManifestSummary {
  name: string;
  description: string;
  /** `[engine] entry`, when given. */
  entry: string | undefined;
  /** Hook handlers, in either accepted form. */
  hooks: ManifestHook[];
  /**
   * `array`: the documented `[[hooks]] event = … handler = …`;
   * `table`: FrankenTerm's code's `[hooks] "event" = "handler"`;
   * `none`: no hooks at all.
   */
  hookForm: "array" | "table" | "none";
  /** `[permissions] environment`. */
  environment: string[];
}

export interface ManifestHook {
  event: string;
  handler: string;
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/**
 * Reads what the build needs from `extension.toml` text. Throws
 * `ExtensionLayoutError` (prefixed with `where`) on invalid TOML or fields.
 */
export function readManifest(text: string, where: string): ManifestSummary {
  let doc: TomlTable;
  try {
    doc = parseToml(text);
  } catch (err) {
    throw new ExtensionLayoutError(`${where}: invalid TOML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ext = doc.extension;
  if (!isTable(ext) || typeof ext.name !== "string" || ext.name === "") {
    throw new ExtensionLayoutError(`${where}: [extension] name is required`);
  }
  const description = typeof ext.description === "string" ? ext.description : "";
  const engine = doc.engine;
  const entry = isTable(engine) && typeof engine.entry === "string" ? engine.entry : undefined;

  const hooks: ManifestHook[] = [];
  let hookForm: ManifestSummary["hookForm"] = "none";
  const rawHooks = doc.hooks;
  if (Array.isArray(rawHooks)) {
    hookForm = "array";
    for (const h of rawHooks) {
      if (!isTable(h) || typeof h.event !== "string" || typeof h.handler !== "string") {
        throw new ExtensionLayoutError(`${where}: each [[hooks]] entry needs string fields event and handler`);
      }
      hooks.push({ event: h.event, handler: h.handler });
    }
  } else if (isTable(rawHooks)) {
    hookForm = "table";
    for (const [event, handler] of Object.entries(rawHooks)) {
      if (typeof handler !== "string") {
        throw new ExtensionLayoutError(`${where}: [hooks] "${event}" must name a handler (a string)`);
      }
      hooks.push({ event, handler });
    }
  } else if (rawHooks !== undefined) {
    throw new ExtensionLayoutError(`${where}: hooks must be [[hooks]] entries or a [hooks] table`);
  }

  const perms = doc.permissions;
  const rawEnv = isTable(perms) ? perms.environment : undefined;
  const environment = Array.isArray(rawEnv) ? rawEnv.filter((v): v is string => typeof v === "string") : [];

  return { name: ext.name, description, entry, hooks, hookForm, environment };
}

// ---------------------------------------------------------------------------
// Toolchains
// ---------------------------------------------------------------------------

interface RunResult {
  status: number | null;
  output: string;
  /** Set when the program could not be started at all. */
  spawnError: NodeJS.ErrnoException | undefined;
}

function run(command: string, args: string[], cwd?: string): RunResult {
  const r = spawnSync(command, args, { cwd, encoding: "utf8" });
  return {
    status: r.status,
    output: `${r.stdout ?? ""}${r.stderr ?? ""}`,
    spawnError: r.error as NodeJS.ErrnoException | undefined,
  };
}

function commandLine(command: string, args: string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

type WabtModule = Awaited<ReturnType<typeof import("wabt")>>;
let wabtPromise: Promise<WabtModule> | undefined;

async function loadWabt(): Promise<WabtModule> {
  wabtPromise ??= import("wabt").then(
    (mod) => mod.default(),
    (err: unknown) => {
      throw new ToolchainMissingError(
        `the wabt npm package (needed for *.wat) cannot be loaded: ${err instanceof Error ? err.message : String(err)}. ` +
          `It is a devDependency: run npm install.`,
      );
    },
  );
  return wabtPromise;
}

// ---------------------------------------------------------------------------
// Compilers
// ---------------------------------------------------------------------------

/**
 * The exact argument list used for Rust; `out` is the .wasm to write. The flags are
 * `lib/build/toolchains.ts`'s, shared with the build route.
 */
export function rustArgs(ext: ExtensionSource, out: string): string[] {
  return rustToolchainArgs({ kind: ext.command ? "command" : "reactor", crateName: ext.name, source: ext.sourcePath, out, diagnostics: "human" });
}

/** The exact argument list used for C; `out` is the .wasm to write (flags from `lib/build/toolchains.ts`). */
export function clangArgs(ext: ExtensionSource, out: string): string[] {
  return clangToolchainArgs({ kind: ext.command ? "command" : "reactor", source: ext.sourcePath, out, diagnostics: "human" });
}

function compileNative(command: string, args: string[], ext: ExtensionSource, out: string): Uint8Array<ArrayBuffer> {
  const r = run(command, args, ext.dir);
  if (r.spawnError !== undefined) {
    throw new ToolchainMissingError(`${command} could not be started: ${r.spawnError.message}`);
  }
  if (r.status !== 0 || !fs.existsSync(out)) {
    throw new CompileError(`${ext.sourcePath}: compilation failed (exit ${String(r.status)})`, commandLine(command, args), r.output);
  }
  if (r.output.trim() !== "") {
    // Warnings: show them, they are part of the teaching material.
    process.stderr.write(r.output);
  }
  return fs.readFileSync(out);
}

async function compileWat(ext: ExtensionSource): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await loadWabt();
  const text = fs.readFileSync(ext.sourcePath, "utf8");
  const command = `wabt.parseWat(${JSON.stringify(path.relative(process.cwd(), ext.sourcePath))}).toBinary()`;
  let mod: ReturnType<WabtModule["parseWat"]> | undefined;
  try {
    mod = wabt.parseWat(path.basename(ext.sourcePath), text);
    mod.resolveNames();
    mod.validate();
    // Debug names keep `$ft_log` etc. readable in traps and disassembly.
    // wabt already returns a copy of its heap; wrapping again only narrows
    // its typed `ArrayBufferLike` to the `ArrayBuffer` WebAssembly.validate wants.
    return new Uint8Array(mod.toBinary({ write_debug_names: true }).buffer);
  } catch (err) {
    throw new CompileError(`${ext.sourcePath}: compilation failed`, command, err instanceof Error ? err.message : String(err));
  } finally {
    mod?.destroy();
  }
}

/** Compiles one extension; returns the module bytes. */
async function compile(ext: ExtensionSource, config: BuildConfig, checked: Set<Language>): Promise<Uint8Array<ArrayBuffer>> {
  if (ext.language === "wat") return compileWat(ext);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "build-extensions-"));
  try {
    const out = path.join(tmp, `${ext.name}.wasm`);
    if (ext.language === "rust") {
      if (!checked.has("rust")) checkRust(config.rustc);
      checked.add("rust");
      return compileNative(config.rustc, rustArgs(ext, out), ext, out);
    }
    if (!checked.has("c")) checkClang(config.clang);
    checked.add("c");
    return compileNative(config.clang, clangArgs(ext, out), ext, out);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------

/** An example's stdin, beside its manifest; the page fills the stdin editor with it. */
export const STDIN_FILE = "stdin.txt";

/** One entry of `index.json`. */
export interface IndexEntry {
  name: string;
  description: string;
  language: Language;
  wasm: string;
  manifest: string;
  source: string;
  /** Present only for nested extensions, e.g. `"hostile"`. */
  group?: string;
  /** Present only for WASI commands (run `_start` once; no hooks). */
  command?: true;
  /** What the example reads on stdin: the folder's `stdin.txt`, when it has one. */
  stdin?: string;
}

/** What a build did, per extension. */
export interface BuildReport {
  entries: IndexEntry[];
  compiled: string[];
  upToDate: string[];
  indexPath: string;
}

function mtimeMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when `output` exists and is at least as new as every input. */
export function isUpToDate(output: string, inputs: string[]): boolean {
  const out = mtimeMs(output);
  if (out === undefined) return false;
  return inputs.every((input) => (mtimeMs(input) ?? Infinity) <= out);
}

/** Writes `data` to `file` unless the file already holds exactly that. */
function writeIfChanged(file: string, data: string): boolean {
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === data) return false;
  fs.writeFileSync(file, data);
  return true;
}

/** Copies `from` to `to` unless `to` is already newer. */
function copyIfNewer(from: string, to: string, force: boolean): void {
  if (!force && isUpToDate(to, [from])) return;
  fs.copyFileSync(from, to);
}

/** Builds every extension; throws on the first failure. */
export async function buildAll(config: BuildConfig): Promise<BuildReport> {
  const extensions = discoverExtensions(config.extensionsDir);
  const checked = new Set<Language>();
  const report: BuildReport = { entries: [], compiled: [], upToDate: [], indexPath: path.join(config.outDir, "index.json") };
  const extraInputs = config.extraInputs.filter((f) => fs.existsSync(f));

  for (const ext of extensions) {
    const label = ext.group === "" ? ext.name : `${ext.group}/${ext.name}`;
    const where = path.relative(process.cwd(), ext.manifestPath);
    const manifest = readManifest(fs.readFileSync(ext.manifestPath, "utf8"), where);
    if (manifest.name !== ext.name) {
      throw new ExtensionLayoutError(
        `${where}: [extension] name is "${manifest.name}" but the folder is "${ext.name}"; they must match (outputs are named after the folder)`,
      );
    }
    const wasmName = `${ext.name}.wasm`;
    if (manifest.entry !== undefined && manifest.entry !== wasmName) {
      throw new ExtensionLayoutError(`${where}: [engine] entry is "${manifest.entry}"; it must be "${wasmName}"`);
    }

    const outDir = path.join(config.outDir, ...ext.group.split("/").filter((p) => p !== ""));
    fs.mkdirSync(outDir, { recursive: true });
    const srcExt = sourceExtension[ext.language];
    const wasmOut = path.join(outDir, wasmName);

    if (!config.force && isUpToDate(wasmOut, [ext.sourcePath, ...extraInputs])) {
      report.upToDate.push(label);
      config.log(`${label}: up to date`);
    } else {
      const bytes = await compile(ext, config, checked);
      if (!WebAssembly.validate(bytes)) {
        throw new CompileError(`${ext.sourcePath}: the compiler produced an invalid module`, ext.language, "");
      }
      const tmpOut = `${wasmOut}.tmp-${process.pid}`;
      fs.writeFileSync(tmpOut, bytes);
      fs.renameSync(tmpOut, wasmOut);
      report.compiled.push(label);
      config.log(`${label}: compiled ${ext.language} -> ${path.relative(process.cwd(), wasmOut)} (${bytes.byteLength} bytes)`);
    }
    copyIfNewer(ext.manifestPath, path.join(outDir, `${ext.name}.toml`), config.force);
    copyIfNewer(ext.sourcePath, path.join(outDir, `${ext.name}.${srcExt}`), config.force);

    const url = [config.urlPrefix, ...ext.group.split("/").filter((p) => p !== ""), ext.name].join("/");
    const entry: IndexEntry = {
      name: ext.name,
      description: manifest.description,
      language: ext.language,
      wasm: `${url}.wasm`,
      manifest: `${url}.toml`,
      source: `${url}.${srcExt}`,
    };
    if (ext.group !== "") entry.group = ext.group;
    if (ext.command) entry.command = true;
    const stdinFile = path.join(ext.dir, STDIN_FILE);
    if (fs.existsSync(stdinFile)) entry.stdin = fs.readFileSync(stdinFile, "utf8");
    report.entries.push(entry);
  }

  fs.mkdirSync(config.outDir, { recursive: true });
  const changed = writeIfChanged(report.indexPath, `${JSON.stringify(report.entries, null, 2)}\n`);
  config.log(`index.json: ${report.entries.length} extensions${changed ? "" : " (unchanged)"}`);
  return report;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--force");
  if (unknown.length > 0) {
    console.error(`usage: npx tsx scripts/build-extensions.ts [--force]  (unknown: ${unknown.join(" ")})`);
    process.exit(2);
  }
  const config = { ...defaultBuildConfig(), force: args.includes("--force") };
  try {
    await buildAll(config);
  } catch (err) {
    if (err instanceof ToolchainMissingError || err instanceof CompileError || err instanceof ExtensionLayoutError) {
      console.error(`build-extensions: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === scriptPath) {
  void main();
}
