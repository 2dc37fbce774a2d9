/**
 * The module inspector's report: what a module declares, read against its manifest and
 * against what the playground's host does with each import (the same rules as
 * `lib/link.ts` and `lib/load-checks.ts`, stated for display instead of enforced).
 *
 * Pure: bytes and a parsed manifest in, data out; the page draws it.
 */

import { HOST_FUNCTION_NAMES } from "../abi/host-functions";
import { formatSignature, signatureMismatch } from "../abi/signatures";
import { isHostNamespace } from "../link";
import type { Hook, Manifest } from "../manifest/types";
import { pageBytes } from "../sandbox/instrument";
import type { MemoryLimits } from "../sandbox/module-sections";
import { isImplemented, PREVIEW1_MODULE } from "../wasi/preview1";
import {
  readModuleStructure,
  type ExportEntry,
  type ExternKind,
  type FunctionEntry,
  type FunctionType,
  type ImportEntry,
  type ModuleStructure,
  type SectionEntry,
} from "./module-structure";

/** What the host does with one import. */
export type ImportFate =
  /** A host function of the ABI (`ft_log`, `ft_get_env`, `ft_return_buffer_read`). */
  | "host function"
  /** `ft_command`: the playground's addition; `[permissions] commands` decides what runs. */
  | "playground host function"
  /** A WASI preview1 function the playground implements. */
  | "WASI"
  /** A preview1 name the playground does not implement: the guest gets ENOSYS. */
  | "WASI, ENOSYS"
  /** The host refuses the module at link time. */
  | "refused";

/** One import as the inspector shows it. */
export interface InspectedImport {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind;
  /** `(i32, i32) -> i32` for a function; the limits for a memory; `""` otherwise. */
  readonly signature: string;
  readonly fate: ImportFate;
  /** One sentence: why, and what that means for the guest. */
  readonly note: string;
}

/** Imports of one namespace. */
export interface ImportGroup {
  readonly namespace: string;
  /**
   * `env`: the documentation's namespace; `frankenterm`: the host code's;
   * `wasi_snapshot_preview1`; anything else the host does not provide.
   */
  readonly role: "documented host namespace" | "host code's namespace" | "WASI preview1" | "not provided";
  readonly imports: readonly InspectedImport[];
}

/** What an export is to the host. */
export type ExportRole =
  | "hook"
  | "reactor initializer"
  | "command entry"
  | "linear memory"
  | "other";

/** One export as the inspector shows it. */
export interface InspectedExport {
  readonly name: string;
  readonly kind: ExternKind;
  readonly signature: string;
  readonly role: ExportRole;
  /** For a hook: the manifest events whose handler it is. */
  readonly events: readonly string[];
}

/** The module's memory against `[limits] max_memory_bytes`. */
export interface MemoryReport {
  /** Where the memory comes from; `none` when the module has no memory. */
  readonly source: "defined" | "imported" | "none";
  readonly initialPages: number;
  /** The declared maximum, when there is one. */
  readonly maximumPages?: number;
  /** `[limits] max_memory_bytes`. */
  readonly capBytes: number;
  /** The cap in whole pages (what `memory.grow` can reach). */
  readonly capPages: number;
  /** True when the module exports its memory as `memory` (the host reads guest bytes through it). */
  readonly exported: boolean;
  /** The outcome in one sentence. */
  readonly verdict: string;
  /** True when loading refuses the module (initial size over the cap). */
  readonly refused: boolean;
}

/** The inspector's whole report on one module. */
export interface ModuleReport {
  readonly byteLength: number;
  readonly importGroups: readonly ImportGroup[];
  readonly exports: readonly InspectedExport[];
  /** Manifest hooks whose handler the module does not export as a function (loading refuses them). */
  readonly missingHandlers: readonly Hook[];
  readonly memory: MemoryReport;
  /** Custom sections, in module order. */
  readonly customSections: readonly { name: string; bytes: number }[];
  /** Every section, in module order. */
  readonly sections: readonly SectionEntry[];
  /** Defined functions, largest body first. */
  readonly functionsBySize: readonly FunctionEntry[];
  /** The structure the report was made from. */
  readonly structure: ModuleStructure;
}

/**
 * Inspects a module against its manifest.
 * @throws WasmFormatError when the module is malformed.
 */
export function inspectModule(bytes: Uint8Array, manifest: Manifest): ModuleReport {
  const structure = readModuleStructure(bytes);
  const customSections = structure.sections
    .filter((s) => s.customName !== undefined)
    .map((s) => ({ name: s.customName ?? "", bytes: s.bytes }));
  const functionExports = new Set(structure.exports.filter((e) => e.kind === "function").map((e) => e.name));
  return {
    byteLength: structure.byteLength,
    importGroups: groupImports(structure.imports),
    exports: structure.exports.map((e) => inspectExport(e, manifest.hooks)),
    missingHandlers: manifest.hooks.filter((h) => !functionExports.has(h.handler)),
    memory: memoryReport(structure, manifest.limits.maxMemoryBytes),
    customSections,
    sections: structure.sections,
    functionsBySize: [...structure.functions].sort((a, b) => b.bodyBytes - a.bodyBytes || a.index - b.index),
    structure,
  };
}

/** `(i32, i32) -> i32`, or `""` without a type. */
function signatureOf(type: FunctionType | undefined): string {
  return type ? formatSignature(type) : "";
}

/** `pages 17..256` or `pages 17..` (no maximum). */
export function formatLimits(limits: MemoryLimits): string {
  return `pages ${limits.initialPages}..${limits.maximumPages ?? ""}${limits.shared ? " shared" : ""}`;
}

function groupImports(imports: readonly ImportEntry[]): ImportGroup[] {
  const groups = new Map<string, InspectedImport[]>();
  for (const entry of imports) {
    const list = groups.get(entry.module) ?? [];
    list.push(inspectImport(entry));
    groups.set(entry.module, list);
  }
  return [...groups].map(([namespace, list]) => ({ namespace, role: roleOf(namespace), imports: list }));
}

function roleOf(namespace: string): ImportGroup["role"] {
  if (namespace === "env") return "documented host namespace";
  if (namespace === "frankenterm") return "host code's namespace";
  if (namespace === PREVIEW1_MODULE) return "WASI preview1";
  return "not provided";
}

const hostFunctionNames: readonly string[] = HOST_FUNCTION_NAMES;

/** The fate of one import, by the rules of `lib/link.ts`. */
export function inspectImport(entry: ImportEntry): InspectedImport {
  const signature = entry.type ? signatureOf(entry.type) : entry.limits ? formatLimits(entry.limits) : "";
  const base = { module: entry.module, name: entry.name, kind: entry.kind, signature };
  const refused = (note: string): InspectedImport => ({ ...base, fate: "refused", note });
  if (entry.kind !== "function") {
    return refused(`the host provides functions only: a ${entry.kind} import is refused at link time`);
  }
  if (isHostNamespace(entry.module)) {
    const isHost = hostFunctionNames.includes(entry.name);
    if (!isHost && entry.name !== "ft_command") {
      return refused(`"${entry.module}" has no function "${entry.name}" (host functions: ${[...hostFunctionNames, "ft_command"].join(", ")})`);
    }
    const mismatch = entry.type ? signatureMismatch({ module: entry.module, name: entry.name, params: [...entry.type.params], results: [...entry.type.results] }) : undefined;
    if (mismatch) return refused(`${mismatch}: refused at link time`);
    if (!isHost) {
      return { ...base, fate: "playground host function", note: "the playground's addition: runs native commands that [permissions] commands allows" };
    }
    return { ...base, fate: "host function", note: `provided by the host (${entry.module === "env" ? "documented" : "host code's"} namespace)` };
  }
  if (entry.module === PREVIEW1_MODULE) {
    return isImplemented(entry.name)
      ? { ...base, fate: "WASI", note: "WASI preview1, implemented by the playground (lib/wasi)" }
      : { ...base, fate: "WASI, ENOSYS", note: "not a preview1 function the playground implements: the call returns ENOSYS (52)" };
  }
  return refused(`the host provides no namespace "${entry.module}" (only env, frankenterm, ${PREVIEW1_MODULE}): refused at link time`);
}

function inspectExport(entry: ExportEntry, hooks: readonly Hook[]): InspectedExport {
  const events = entry.kind === "function" ? hooks.filter((h) => h.handler === entry.name).map((h) => h.event) : [];
  let role: ExportRole = "other";
  if (events.length > 0) role = "hook";
  else if (entry.kind === "function" && entry.name === "_initialize") role = "reactor initializer";
  else if (entry.kind === "function" && entry.name === "_start") role = "command entry";
  else if (entry.kind === "memory" && entry.name === "memory") role = "linear memory";
  return { name: entry.name, kind: entry.kind, signature: signatureOf(entry.type), role, events };
}

function memoryReport(structure: ModuleStructure, capBytes: number): MemoryReport {
  const capPages = Math.floor(capBytes / pageBytes);
  const exported = structure.exports.some((e) => e.kind === "memory" && e.name === "memory");
  const imported = structure.imports.find((i) => i.kind === "memory")?.limits;
  const limits = imported ?? structure.memories[0];
  const common = { capBytes, capPages, exported };
  if (!limits) {
    const verdict = "no linear memory: host functions that read or write guest memory return an error";
    return { ...common, source: "none", initialPages: 0, verdict, refused: false };
  }
  const source = imported ? "imported" : "defined";
  const initialBytes = limits.initialPages * pageBytes;
  const range = { initialPages: limits.initialPages, ...(limits.maximumPages !== undefined ? { maximumPages: limits.maximumPages } : {}) };
  if (initialBytes > capBytes) {
    const verdict = `refused at load: the initial ${limits.initialPages} pages (${bytesText(initialBytes)}) are more than max_memory_bytes = ${bytesText(capBytes)} (${capPages} pages)`;
    return { ...common, source, ...range, verdict, refused: true };
  }
  const limit = limits.maximumPages !== undefined && limits.maximumPages < capPages
    ? `its declared maximum of ${limits.maximumPages} pages (${bytesText(limits.maximumPages * pageBytes)}), below max_memory_bytes`
    : `max_memory_bytes = ${bytesText(capBytes)} (${capPages} pages); memory.grow past it returns -1`;
  const verdict = `starts at ${limits.initialPages} pages (${bytesText(initialBytes)}) and can grow to ${limit}`;
  return { ...common, source, ...range, verdict, refused: false };
}

/** `1,114,112 bytes` */
function bytesText(bytes: number): string {
  return `${bytes.toLocaleString("en")} bytes`;
}
