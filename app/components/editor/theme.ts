/** The editor's look: One Dark colours, the page's monospace font, filling its panel. */

import type { Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { oneDark } from "@codemirror/theme-one-dark";

/** The theme extensions. */
export function editorTheme(): Extension {
  return [
    oneDark,
    EditorView.theme({
      "&": { height: "100%", fontSize: "12.5px" },
      ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", overflow: "auto" },
      ".cm-content": { paddingBottom: "2rem" },
    }),
  ];
}
