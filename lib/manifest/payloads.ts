/**
 * Example payloads per event, in the shapes `docs/extensions/architecture.md` documents
 * (the host code defines none). The playground places the payload's JSON in the return
 * buffer before calling a hook: its proposal until upstream stabilises a payload ABI.
 */

const SAMPLES: Record<string, unknown> = {
  "config.reload": { changed: { "font.size": { old: 12, new: 13 } } },
  "pane.focus": { pane_id: 1 },
  "pane.created": { pane_id: 2 },
  "pane.closed": { pane_id: 2 },
  "pane.output": { pane_id: 1, text: "ls -l\n" },
  "pane.title_changed": { pane_id: 1, title: "vim README.md" },
  "tab.created": { tab_id: 1 },
  "tab.closed": { tab_id: 1 },
  "window.focus": { window_id: 1 },
  "key.pressed": { key: "k", modifiers: ["ctrl"] },
  "session.save": { path: "/home/user/.local/share/frankenterm/session.json" },
  "session.restore": { path: "/home/user/.local/share/frankenterm/session.json" },
};

/** A documented-shape payload for `event`, as JSON; `{}` for patterns and unknown names. */
export function samplePayload(event: string): string {
  return JSON.stringify(SAMPLES[event] ?? {});
}
