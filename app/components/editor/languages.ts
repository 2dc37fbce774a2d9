/**
 * The editor's language modes: Rust, C, WAT (CodeMirror's own packages) and TOML for
 * `extension.toml` (the legacy TOML mode, CodeMirror's port of CodeMirror 5's).
 */

import { cpp } from "@codemirror/lang-cpp";
import { rust } from "@codemirror/lang-rust";
import { wast } from "@codemirror/lang-wast";
import { StreamLanguage } from "@codemirror/language";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import type { Extension } from "@codemirror/state";
import type { SourceLanguage } from "../workbench/state";

/** A buffer's language: a source language, or TOML for the manifest. */
export type EditorLanguage = SourceLanguage | "toml";

const tomlLanguage = StreamLanguage.define(toml);

/** The CodeMirror extension for `language` (none for a module without source). */
export function languageSupport(language: EditorLanguage): Extension {
  switch (language) {
    case "rust":
      return rust();
    case "c":
      return cpp();
    case "wat":
      return wast();
    case "toml":
      return tomlLanguage;
    case "none":
      return [];
  }
}
