/**
 * The workbench's keys inside the editor: Ctrl/Cmd+Enter builds and runs. Given the
 * highest precedence, since CodeMirror's default keymap binds Mod-Enter to insertBlankLine.
 */

import { Prec, type Extension } from "@codemirror/state";
import { keymap } from "@codemirror/view";

/** Binds Mod-Enter (Ctrl on Linux and Windows, Cmd on macOS) to `run`. */
export function buildAndRunKeymap(run: () => void): Extension {
  return Prec.highest(keymap.of([{ key: "Mod-Enter", preventDefault: true, run: () => (run(), true) }]));
}
