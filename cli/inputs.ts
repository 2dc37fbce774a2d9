/**
 * Reading what a run needs from the local disk: the module, its manifest, an env file,
 * `--file` mappings and stdin. Every failure is an {@link InputError} naming the file.
 */

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { FtxError, readFtx } from "../lib/share/ftx";
import type { InitialFiles } from "../lib/wasi/context";
import { InputError } from "./errors";

/** Reads a file whole. @throws {InputError} naming `what` and the path. */
export function readInput(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read the ${what} ${file}: ${reason(error)}`);
  }
}

/** Reads a UTF-8 text file whole. @throws {InputError} */
export function readText(file: string, what: string): string {
  return new TextDecoder().decode(readInput(file, what));
}

/**
 * The manifest beside a module when `--manifest` is not given: `extension.toml` in the
 * module's folder (an extension's own layout), else `<name>.toml` beside `<name>.wasm`
 * (the layout of `public/extensions/`).
 * @throws {InputError} when neither exists.
 */
export function findManifest(modulePath: string): string {
  const dir = path.dirname(modulePath);
  const candidates = [path.join(dir, "extension.toml"), path.join(dir, `${path.basename(modulePath, path.extname(modulePath))}.toml`)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new InputError(`no manifest for ${modulePath}: pass --manifest FILE (looked for ${candidates.join(" and ")})`);
  return found;
}

/** A module to load and its manifest, from a `.wasm` and its manifest file or from a `.ftx` package. */
export interface ModuleInput {
  bytes: Uint8Array;
  /** `argv[0]`: the module's file name (a package's `[engine] entry`). */
  fileName: string;
  manifestSource: string;
  /** Where the manifest came from, for messages (`pkg.ftx!extension.toml` inside a package). */
  manifestPath: string;
}

/**
 * Reads the module and its manifest. A `.ftx` package (lib/share/ftx.ts) holds both: its
 * `extension.toml` and the module `[engine] entry` names; `manifestPath`, when given,
 * replaces the package's manifest. A `.wasm` takes `manifestPath` or the one beside it
 * ({@link findManifest}).
 * @throws {InputError} for a file that cannot be read or a package that cannot be used.
 */
export function readModuleInput(modulePath: string, manifestPath?: string): ModuleInput {
  const bytes = readInput(modulePath, "module");
  if (modulePath.endsWith(".ftx")) {
    let pkg;
    try {
      pkg = readFtx(bytes, modulePath);
    } catch (error) {
      if (error instanceof FtxError) throw new InputError(`the package ${error.message}`);
      throw error;
    }
    const own = manifestPath === undefined;
    return {
      bytes: pkg.module,
      fileName: path.basename(pkg.entry),
      manifestSource: own ? pkg.manifestText : readText(manifestPath, "manifest"),
      manifestPath: own ? `${modulePath}!extension.toml` : manifestPath,
    };
  }
  const manifest = manifestPath ?? findManifest(modulePath);
  return { bytes, fileName: path.basename(modulePath), manifestSource: readText(manifest, "manifest"), manifestPath: manifest };
}

/**
 * Parses `KEY=VALUE` lines (an env file); blank lines and `#` comments are skipped, and a
 * value may be wrapped in single or double quotes.
 * @throws {InputError} naming the file and line of a line without `=` or with an empty key.
 */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const [key, value] = splitAssignment(line.replace(/^export\s+/, ""));
    if (key === undefined) throw new InputError(`${file} line ${index + 1}: expected KEY=VALUE, found "${line}"`);
    vars[key] = unquote(value);
  });
  return vars;
}

/** `KEY=VALUE` → `[KEY, VALUE]`, or `[undefined, ""]` when there is no `=` or the key is empty. */
export function splitAssignment(text: string): [string | undefined, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) return [undefined, ""];
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed.at(-1) === trimmed[0];
  return quoted ? trimmed.slice(1, -1) : trimmed;
}

/**
 * The initial files for `--file /guest/path=local` mappings: a local file becomes one guest
 * file; a local folder becomes a guest folder with everything under it.
 * @throws {InputError} for a guest path that is not absolute or a local path that cannot be read.
 */
export function readFileMappings(mappings: readonly string[]): Record<string, string | Uint8Array | null> {
  const files: Record<string, Uint8Array | null> = {};
  for (const mapping of mappings) {
    const [guest, local] = splitAssignment(mapping);
    if (guest === undefined || local === "") throw new InputError(`--file ${mapping}: expected /guest/path=local/path`);
    if (!guest.startsWith("/")) throw new InputError(`--file ${mapping}: the guest path "${guest}" must be absolute`);
    addLocal(files, guest.replace(/\/+$/, "") || "/", local);
  }
  return files;
}

function addLocal(files: Record<string, Uint8Array | null>, guest: string, local: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(local).isDirectory();
  } catch (error) {
    throw new InputError(`--file ${guest}=${local}: cannot read ${local}: ${reason(error)}`);
  }
  if (!isDirectory) {
    files[guest] = readInput(local, "file");
    return;
  }
  files[guest] = null;
  for (const name of readdirSync(local).sort()) addLocal(files, `${guest === "/" ? "" : guest}/${name}`, path.join(local, name));
}

/** The reason of a Node file error, without its stack: `no such file or directory`. */
export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}

export type { InitialFiles };
