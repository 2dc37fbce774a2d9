/**
 * FrankenTerm's extension package, `.ftx`: a zip archive with `extension.toml` at its root
 * and the module the manifest's `[engine] entry` names (default `main.wasm`). FrankenTerm's
 * `docs/extensions/getting-started.md` builds one with `zip NAME.ftx extension.toml main.wasm`
 * and installs it with `frankenterm extension install NAME.ftx`.
 *
 * The reader distrusts the archive: sizes are counted while inflating (never taken from the
 * zip's headers), the input is fed to fflate's streaming `Unzip` in small slices so one slice
 * can inflate to at most about a thousand times its size before the cap is checked, and
 * entry counts, absolute paths and `..` segments are refused. Pure (fflate and smol-toml
 * only): runs on the page, in the CLI and on the server.
 */

import { Unzip, UnzipInflate, strToU8, zipSync, type UnzipFile } from "fflate";
import { parse as parseToml } from "smol-toml";

/** What a package may hold; every limit is checked while reading, before anything is kept. */
export interface FtxLimits {
  /** Bytes of the `.ftx` file itself. Default 32 MiB. */
  maxPackageBytes: number;
  /** Entries in the archive, directories included. Default 256. */
  maxEntries: number;
  /** Inflated bytes of one entry. Default 16 MiB. */
  maxEntryBytes: number;
  /** Inflated bytes of all entries together. Default 64 MiB. */
  maxTotalBytes: number;
}

/** The default {@link FtxLimits}. */
export function defaultFtxLimits(): FtxLimits {
  return { maxPackageBytes: 32 * 1024 * 1024, maxEntries: 256, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 64 * 1024 * 1024 };
}

/** A package that cannot be used; the message names the package and, where one is at fault, the file inside it. */
export class FtxError extends Error {
  /**
   * @param packageName the `.ftx` file's name.
   * @param file the entry at fault (`extension.toml`, `main.wasm`, `../x`), if one is.
   * @param detail what is wrong.
   */
  constructor(
    readonly packageName: string,
    readonly file: string | undefined,
    readonly detail: string,
  ) {
    super(`${packageName}${file !== undefined ? `: ${file}` : ""}: ${detail}`);
    this.name = "FtxError";
  }
}

/** A file of the package other than the manifest and the module, by its path inside the archive. */
export interface FtxAsset {
  /** Relative path, `/`-separated, without `.` or `..` segments (`icons/logo.png`). */
  path: string;
  bytes: Uint8Array;
}

/** A package's contents. */
export interface FtxPackage {
  /** `extension.toml` as text (UTF-8). */
  manifestText: string;
  /** The path `[engine] entry` names (default `main.wasm`). */
  entry: string;
  /** The entry module's bytes. */
  module: Uint8Array;
  /** Every other file, in archive order. */
  assets: FtxAsset[];
}

/** The manifest's file name, at the package root. */
export const MANIFEST_FILE = "extension.toml";
/** `[engine] entry` when the manifest gives none (FrankenTerm's `src/manifest.rs`). */
export const DEFAULT_ENTRY = "main.wasm";
/** Compressed bytes fed to the inflater at a time: bounds what one step can expand to (deflate's ratio is at most ~1032:1). */
const SLICE_BYTES = 4096;
/** The time stamp written on every entry, so the same extension always gives the same `.ftx` bytes (zip's earliest date). */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Checks a path inside the package and returns it without `.` segments.
 * @throws {FtxError} for an absolute path, a drive letter, a backslash, an empty segment or `..`.
 */
export function checkPackagePath(packageName: string, path: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) throw new FtxError(packageName, path, "absolute paths are refused: every path must be relative to the package root");
  if (path.includes("\\")) throw new FtxError(packageName, path, "backslashes are refused: paths in a package are /-separated");
  const segments = path.replace(/\/$/, "").split("/");
  if (segments.includes("..")) throw new FtxError(packageName, path, "paths with .. are refused: a package may not reach outside its own folder");
  if (segments.includes("")) throw new FtxError(packageName, path, "empty path segments are refused");
  const kept = segments.filter((s) => s !== ".");
  if (kept.length === 0) throw new FtxError(packageName, path, "the path names no file");
  return kept.join("/") + (path.endsWith("/") ? "/" : "");
}

/**
 * The module path a manifest names in `[engine] entry`, default `main.wasm`.
 * @throws {FtxError} when the manifest is not TOML, or `entry` is not a string or not a safe relative path.
 */
export function entryOf(manifestText: string, packageName = "package"): string {
  let root: Record<string, unknown>;
  try {
    root = parseToml(manifestText) as Record<string, unknown>;
  } catch (error) {
    throw new FtxError(packageName, MANIFEST_FILE, `cannot find [engine] entry: ${(error as Error).message.split("\n")[0]}`);
  }
  const engine = root.engine;
  const entry = typeof engine === "object" && engine !== null ? (engine as Record<string, unknown>).entry : undefined;
  if (entry === undefined) return DEFAULT_ENTRY;
  if (typeof entry !== "string") throw new FtxError(packageName, MANIFEST_FILE, "[engine] entry must be a string");
  const path = checkPackagePath(packageName, entry);
  if (path.endsWith("/")) throw new FtxError(packageName, MANIFEST_FILE, `[engine] entry "${entry}" names a folder, not a module`);
  return path;
}

/**
 * Reads a `.ftx` package.
 * @param bytes the archive.
 * @param packageName its file name, for messages.
 * @throws {FtxError} when the archive is too large, damaged, holds too many entries or
 *   bytes, has an unsafe or duplicate path, or lacks `extension.toml` or the entry module.
 */
export function readFtx(bytes: Uint8Array, packageName = "package.ftx", limits: FtxLimits = defaultFtxLimits()): FtxPackage {
  if (bytes.length > limits.maxPackageBytes) {
    throw new FtxError(packageName, undefined, `the package is ${bytes.length} bytes; at most ${limits.maxPackageBytes} are read`);
  }
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5))) {
    throw new FtxError(packageName, undefined, "not a zip archive (a .ftx is a zip: `zip NAME.ftx extension.toml main.wasm`)");
  }
  const files = inflateEntries(bytes, packageName, limits);
  const manifestBytes = files.get(MANIFEST_FILE);
  if (!manifestBytes) {
    const nested = [...files.keys()].find((p) => p.endsWith(`/${MANIFEST_FILE}`));
    const hint = nested ? ` (found ${nested}: zip the files themselves, not the folder holding them)` : "";
    throw new FtxError(packageName, MANIFEST_FILE, `missing: a package needs its manifest at the root${hint}`);
  }
  let manifestText: string;
  try {
    manifestText = utf8.decode(manifestBytes);
  } catch {
    throw new FtxError(packageName, MANIFEST_FILE, "is not UTF-8 text");
  }
  const entry = entryOf(manifestText, packageName);
  const module = files.get(entry);
  if (!module) {
    const named = entry === DEFAULT_ENTRY ? "the default [engine] entry" : "[engine] entry";
    throw new FtxError(packageName, entry, `missing: ${named} names ${entry}, which is not in the package`);
  }
  const assets = [...files]
    .filter(([path]) => path !== MANIFEST_FILE && path !== entry)
    .map(([path, content]) => ({ path, bytes: content }));
  return { manifestText, entry, module, assets };
}

/** Inflates every file entry (directories skipped), counting bytes as they come. */
function inflateEntries(bytes: Uint8Array, packageName: string, limits: FtxLimits): Map<string, Uint8Array> {
  const chunks = new Map<string, Uint8Array[]>();
  const finished = new Set<string>();
  let entries = 0;
  let total = 0;
  let failure: FtxError | undefined;
  const fail = (file: string | undefined, detail: string, zipped?: UnzipFile) => {
    failure ??= new FtxError(packageName, file, detail);
    zipped?.terminate();
  };

  const unzip = new Unzip((zipped) => {
    if (failure) return;
    if (++entries > limits.maxEntries) return fail(undefined, `more than ${limits.maxEntries} entries`, zipped);
    let path: string;
    try {
      path = checkPackagePath(packageName, zipped.name);
    } catch (error) {
      return fail((error as FtxError).file, (error as FtxError).detail, zipped);
    }
    if (path.endsWith("/")) return; // a folder: nothing to keep
    if (chunks.has(path)) return fail(path, "appears twice in the archive", zipped);
    const parts: Uint8Array[] = [];
    chunks.set(path, parts);
    let size = 0;
    zipped.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) return fail(path, `cannot be inflated (${error.message})`, zipped);
      size += chunk.length;
      total += chunk.length;
      if (size > limits.maxEntryBytes) return fail(path, `inflates past ${limits.maxEntryBytes} bytes (a zip bomb?)`, zipped);
      if (total > limits.maxTotalBytes) return fail(path, `the package inflates past ${limits.maxTotalBytes} bytes in all (a zip bomb?)`, zipped);
      parts.push(chunk);
      if (final) finished.add(path);
    };
    zipped.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !failure; at += SLICE_BYTES) {
      unzip.push(bytes.subarray(at, at + SLICE_BYTES), at + SLICE_BYTES >= bytes.length);
    }
  } catch (error) {
    fail(undefined, `the archive is truncated or damaged (${(error as Error).message})`);
  }
  if (failure) throw failure;
  const unfinished = [...chunks.keys()].find((path) => !finished.has(path));
  if (unfinished !== undefined) throw new FtxError(packageName, unfinished, "is cut short: the archive is truncated or damaged");
  return new Map([...chunks].map(([path, parts]) => [path, concat(parts)]));
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** What {@link writeFtx} packs. */
export interface FtxContents {
  /** `extension.toml`; its `[engine] entry` (default `main.wasm`) names where the module goes. */
  manifestText: string;
  /** The module's bytes. */
  module: Uint8Array;
}

/**
 * Packs an extension as FrankenTerm's docs build it: exactly two entries, `extension.toml`
 * and the entry module, at the root (or at the entry's own relative path), deflated, with a
 * fixed time stamp so the same inputs give the same bytes.
 * @throws {FtxError} when the manifest's `[engine] entry` cannot be read or is not a safe relative path.
 */
export function writeFtx({ manifestText, module }: FtxContents, packageName = "package.ftx"): Uint8Array {
  const entry = entryOf(manifestText, packageName);
  if (entry === MANIFEST_FILE) throw new FtxError(packageName, MANIFEST_FILE, "[engine] entry may not name the manifest itself");
  return zipSync({ [MANIFEST_FILE]: strToU8(manifestText), [entry]: module }, { level: 9, mtime: FIXED_MTIME });
}

/** Decodes an asset as UTF-8 text, or `undefined` when it is not text. */
export function assetText(asset: FtxAsset): string | undefined {
  try {
    return utf8.decode(asset.bytes);
  } catch {
    return undefined;
  }
}
