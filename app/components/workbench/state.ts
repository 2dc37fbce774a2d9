/**
 * The workbench's state: every buffer and setting the page edits, as one plain,
 * serialisable object changed only through {@link update}. Panels are views of it; a share
 * link will serialise exactly this object (the module bytes and the live instance are not
 * part of it: they are rebuilt from it).
 */

import type { Diagnostic, LimitName } from "../../../lib/build/types";
import { KNOWN_EVENTS } from "../../../lib/manifest/events";
import { samplePayload } from "../../../lib/manifest/payloads";
import { DEFAULT_ENVIRONMENT } from "../environment/environment";
import { defaultFiles, mergeSnapshot, type FileTree } from "../files/files";

/** Source languages the workbench builds. `none`: an uploaded module without source. */
export type SourceLanguage = "rust" | "c" | "wat" | "none";

/** The editor's files: the extension's source and its manifest. */
export type FileId = "source" | "manifest";

/** The side panel's tabs. */
export type SideTab = "output" | "audit" | "events" | "files" | "environment";

/** A compiler message at a place in the source (1-based lines and columns), as `/api/build` returns it. */
export type { Diagnostic } from "../../../lib/build/types";

/** Which build limit ended a build. */
export type BuildLimit = LimitName;

/** Where the module being run came from, and how its last build went. */
export type BuildStatus =
  | { state: "prebuilt" }
  | { state: "uploaded" }
  | { state: "building" }
  | { state: "built"; sha256: string; cached: boolean; ms: number; where: "browser" | "server" }
  | { state: "failed"; error: string; limit?: BuildLimit };

/** Everything the user edits on the page. */
export interface WorkbenchState {
  /** The example the buffers came from (`group/name` or `name`), or `undefined` for an upload. */
  example?: string;
  /** The name shown for the extension (example name or uploaded file name). */
  label: string;
  language: SourceLanguage;
  /** A WASI command (`_start`, run once) or a reactor (hooks on a live instance). */
  kind: "reactor" | "command";
  /** The editor's buffers. */
  buffers: { source: string; manifest: string };
  /** The file shown in the editor. */
  activeFile: FileId;
  build: BuildStatus;
  /** Diagnostics of the last build, for the source buffer. */
  diagnostics: Diagnostic[];
  /** `KEY=VALUE` lines: what `ft_get_env` and WASI's environ see (before permissions filter them). */
  env: string;
  /** What the guest reads on fd 0, then end-of-file. */
  stdin: string;
  /** A command's arguments after `argv[0]`, separated by spaces (quotes group words). */
  args: string;
  /**
   * The files an extension may see (absolute path → contents, `null` = folder). The one
   * field that is not JSON as it is: a file that is not UTF-8 is held as bytes.
   */
  tree: FileTree;
  /** The event the Events panel fires, and its payload (JSON text). */
  event: string;
  payload: string;
  /** The hook Ctrl/Cmd+Enter calls after a build (a reactor's handler). */
  hook?: string;
  sideTab: SideTab;
}

/** The state before anything is picked. */
export function initialState(): WorkbenchState {
  const event = KNOWN_EVENTS[0];
  return {
    label: "",
    language: "none",
    kind: "reactor",
    buffers: { source: "", manifest: "" },
    activeFile: "source",
    build: { state: "prebuilt" },
    diagnostics: [],
    env: DEFAULT_ENVIRONMENT,
    stdin: "",
    args: "",
    tree: defaultFiles(),
    event,
    payload: prettyPayload(event),
    sideTab: "output",
  };
}

/** What an example brings: its source, manifest and (for commands that read it) stdin. */
export interface OpenedExample {
  example: string;
  label: string;
  language: SourceLanguage;
  kind: "reactor" | "command";
  source: string;
  manifest: string;
  stdin?: string;
  args?: string;
}

/** Every change the page makes to its state. */
export type Action =
  | { type: "open-example"; opened: OpenedExample }
  | { type: "open-upload"; label: string; manifest: string }
  | { type: "edit"; file: FileId; text: string }
  | { type: "show-file"; file: FileId }
  | { type: "build-started" }
  | { type: "build-finished"; build: BuildStatus; diagnostics: Diagnostic[] }
  | { type: "set-env"; text: string }
  | { type: "set-stdin"; text: string }
  | { type: "set-args"; text: string }
  | { type: "set-tree"; tree: FileTree }
  /** The preopened trees after a call (from the worker): they replace those folders in the tree. */
  | { type: "merge-files"; snapshot: Record<string, Uint8Array | null>; preopens: readonly string[] }
  | { type: "choose-event"; event: string }
  | { type: "set-payload"; text: string }
  | { type: "choose-hook"; hook: string | undefined }
  | { type: "show-tab"; tab: SideTab }
  /** A share link's state replaces the whole state (app/components/share/convert.ts). */
  | { type: "restore"; state: WorkbenchState };

/** The one way the state changes: returns the next state (never mutates `state`). */
export function update(state: WorkbenchState, action: Action): WorkbenchState {
  switch (action.type) {
    case "open-example": {
      const { opened } = action;
      const { hook: _hook, ...rest } = state;
      return {
        ...rest,
        example: opened.example,
        label: opened.label,
        language: opened.language,
        kind: opened.kind,
        buffers: { source: opened.source, manifest: opened.manifest },
        activeFile: "source",
        build: { state: "prebuilt" },
        diagnostics: [],
        // An example that reads stdin or takes arguments ships them; others keep the user's.
        ...(opened.stdin !== undefined ? { stdin: opened.stdin } : {}),
        ...(opened.args !== undefined ? { args: opened.args } : {}),
      };
    }
    case "open-upload": {
      const { example: _example, hook: _hook, ...rest } = state;
      return {
        ...rest,
        label: action.label,
        language: "none",
        buffers: { source: "", manifest: action.manifest },
        activeFile: "manifest",
        build: { state: "uploaded" },
        diagnostics: [],
      };
    }
    case "edit":
      return { ...state, buffers: { ...state.buffers, [action.file]: action.text } };
    case "show-file":
      return { ...state, activeFile: action.file };
    case "build-started":
      return { ...state, build: { state: "building" } };
    case "build-finished":
      return { ...state, build: action.build, diagnostics: action.diagnostics };
    case "set-env":
      return { ...state, env: action.text };
    case "set-stdin":
      return { ...state, stdin: action.text };
    case "set-args":
      return { ...state, args: action.text };
    case "set-tree":
      return { ...state, tree: action.tree };
    case "merge-files":
      return { ...state, tree: mergeSnapshot(state.tree, action.snapshot, action.preopens) };
    case "choose-event":
      return { ...state, event: action.event, payload: prettyPayload(action.event) };
    case "set-payload":
      return { ...state, payload: action.text };
    case "choose-hook":
      return action.hook === undefined ? (({ hook: _h, ...rest }) => rest)(state) : { ...state, hook: action.hook };
    case "show-tab":
      return { ...state, sideTab: action.tab };
    case "restore":
      return action.state;
  }
}

/** An event's documented example payload, indented for the editor. */
export function prettyPayload(event: string): string {
  return JSON.stringify(JSON.parse(samplePayload(event)), null, 2);
}

/**
 * Splits the arguments field into argv words: spaces separate, double or single quotes
 * group (`a "b c"` → `a`, `b c`). No escapes beyond quotes.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? "");
  return words;
}
