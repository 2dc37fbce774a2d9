"use client";

/**
 * One CodeMirror 6 editor over one buffer: line numbers, bracket matching, search, undo
 * (from `@codemirror/commands`, `language`, `search`), the buffer's language, build
 * diagnostics and Ctrl/Cmd+Enter. The page's state holds the text; this view reports edits
 * and takes the text back only when it changed elsewhere (an example opened, Format).
 */

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";
import { useEffect, useRef } from "react";
import type { Diagnostic } from "../workbench/state";
import { diagnosticsGutter, diagnosticsTransaction, offsetOf } from "./diagnostics";
import { buildAndRunKeymap } from "./keymap";
import { languageSupport, type EditorLanguage } from "./languages";
import { editorTheme } from "./theme";

interface Props {
  value: string;
  language: EditorLanguage;
  /** The editor's accessible name. */
  label: string;
  testId: string;
  onChange(text: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun(): void;
  diagnostics?: readonly Diagnostic[];
  readOnly?: boolean;
  /** A place to move the cursor to and scroll into view (a new object each time it is asked). */
  reveal?: { line: number; column: number };
}

/**
 * The default diagnostics, one array for every render: a fresh `[]` per render would re-run
 * the diagnostics effect, and so dispatch a transaction (and a layout read) to the editor,
 * every time the page re-renders, e.g. twice per load.
 */
const NO_DIAGNOSTICS: readonly Diagnostic[] = [];

/** A CodeMirror editor bound to one buffer of the page's state. */
export function CodeEditor({ value, language, label, testId, onChange, onRun, diagnostics = NO_DIAGNOSTICS, readOnly = false, reveal }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const languageSlot = useRef(new Compartment());
  const readOnlySlot = useRef(new Compartment());
  // Callbacks change every render; the editor's extensions read them through refs.
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    if (!host.current) return;
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          diagnosticsGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          buildAndRunKeymap(() => callbacks.current.onRun()),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
          languageSlot.current.of(languageSupport(language)),
          readOnlySlot.current.of(EditorState.readOnly.of(readOnly)),
          EditorView.contentAttributes.of({ "aria-label": label }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
          editorTheme(),
        ],
      }),
    });
    view.current = created;
    // The view on its element, for end-to-end tests and devtools (CodeMirror renders only the
    // lines in view, so the DOM alone does not hold a long buffer's text).
    Object.assign(host.current, { editorView: created });
    return () => {
      created.destroy();
      view.current = undefined;
    };
    // The view is created once; later props reach it through the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === value) return;
    current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(languageSupport(language)) });
  }, [language]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnlySlot.current.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    const current = view.current;
    if (current) current.dispatch(diagnosticsTransaction(current.state, diagnostics));
  }, [diagnostics]);

  useEffect(() => {
    const current = view.current;
    if (!current || !reveal) return;
    const at = offsetOf(current.state.doc, reveal.line, reveal.column);
    current.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: "center" }) });
    current.focus();
  }, [reveal]);

  return <div ref={host} data-testid={testId} className="h-full min-h-0 overflow-hidden" />;
}
