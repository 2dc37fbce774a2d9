/**
 * Between the workbench's state and the share state (lib/share/state.ts): what a link holds
 * is what the user edited (sources or an upload's module, manifest, environment, stdin,
 * arguments, file tree, selected event, payload and hook); view details (which tab is in
 * front) and results (builds, diagnostics, the live instance) are not shared.
 */

import { SHARE_STATE_VERSION, fromBase64url, toBase64url, type ShareFile, type ShareState } from "../../../lib/share/state";
import type { FileTree } from "../files/files";
import type { ModuleSource } from "../use-extension-session";
import { initialState, splitArgs, type WorkbenchState } from "../workbench/state";

/** The file name a source tab carries, by language and program kind. */
export function sourceTabName(language: "rust" | "c" | "wat", kind: "reactor" | "command"): string {
  if (language === "rust") return kind === "command" ? "main.rs" : "lib.rs";
  return language === "c" ? "main.c" : "extension.wat";
}

/**
 * The share state of the page.
 * @param module the module the page holds: its bytes are shared when there is no source (an upload).
 * @returns `undefined` when there is nothing to share (no source and no module).
 */
export function toShareState(state: WorkbenchState, module: ModuleSource | undefined): ShareState | undefined {
  const common = {
    version: SHARE_STATE_VERSION,
    manifest: state.buffers.manifest,
    environment: state.env,
    stdin: state.stdin,
    args: splitArgs(state.args),
    files: shareFiles(state.tree),
    selection: { event: state.event, payload: state.payload, ...(state.hook ? { hook: state.hook } : {}) },
  } as const;
  if (state.language !== "none") {
    return {
      ...common,
      extension: {
        kind: "sources",
        language: state.language,
        label: state.label || "extension",
        ...(state.example ? { example: state.example } : {}),
        program: state.kind,
        tabs: [{ name: sourceTabName(state.language, state.kind), text: state.buffers.source }],
      },
    };
  }
  if (!module) return undefined;
  return {
    ...common,
    extension: { kind: "module", name: module.label, fileName: module.fileName, bytes: toBase64url(module.bytes), program: state.kind },
  };
}

/** What a share restores: the workbench state, and the module when the share carries one. */
export interface Restored {
  state: WorkbenchState;
  module?: ModuleSource;
  /** Something the page should tell the user (tabs it has no room for). */
  note?: string;
}

/** The workbench state a share restores (nothing loaded or run). */
export function fromShareState(share: ShareState): Restored {
  const base = initialState();
  const selection = share.selection ?? {};
  const common: WorkbenchState = {
    ...base,
    env: share.environment,
    stdin: share.stdin,
    args: share.args.map(quoteArg).join(" "),
    tree: treeOf(share.files),
    event: selection.event ?? base.event,
    payload: selection.payload ?? base.payload,
    ...(selection.hook ? { hook: selection.hook } : {}),
  };
  const extension = share.extension;
  if (extension.kind === "module") {
    return {
      state: { ...common, label: extension.name, language: "none", kind: extension.program ?? "reactor", buffers: { source: "", manifest: share.manifest }, activeFile: "manifest", build: { state: "uploaded" } },
      module: { label: extension.name, fileName: extension.fileName ?? extension.name, bytes: fromBase64url(extension.bytes, "/extension/bytes") },
    };
  }
  const [first, ...rest] = extension.tabs;
  return {
    state: {
      ...common,
      ...(extension.example ? { example: extension.example } : {}),
      label: extension.label,
      language: extension.language,
      kind: extension.program ?? "reactor",
      buffers: { source: first?.text ?? "", manifest: share.manifest },
      activeFile: "source",
      build: { state: "prebuilt" },
    },
    ...(rest.length > 0 ? { note: `The link has ${extension.tabs.length} source tabs; the workbench shows the first, ${first?.name}, and leaves out ${rest.map((t) => t.name).join(", ")}.` } : {}),
  };
}

/** One argument as the arguments field writes it: quoted when it holds spaces or quotes. */
function quoteArg(word: string): string {
  if (word !== "" && !/[\s"']/.test(word)) return word;
  return word.includes('"') ? `'${word}'` : `"${word}"`;
}

function shareFiles(tree: FileTree): Record<string, ShareFile> {
  return Object.fromEntries(
    Object.entries(tree).map(([path, content]) => [path, content === null ? null : typeof content === "string" ? { text: content } : { bytes: toBase64url(content) }]),
  );
}

function treeOf(files: Record<string, ShareFile>): FileTree {
  return Object.fromEntries(
    Object.entries(files).map(([path, file]) => {
      if (file === null) return [path, null];
      return [path, "text" in file ? file.text : fromBase64url(file.bytes, `/files/${path}`)];
    }),
  );
}
