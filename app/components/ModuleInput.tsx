"use client";

import { useState, type DragEvent } from "react";

/** Example list entry, as `scripts/build-extensions.ts` writes `public/extensions/index.json`. */
export interface ExampleEntry {
  name: string;
  description: string;
  language: string;
  wasm: string;
  manifest: string;
  source: string;
  group?: string;
}

const GROUP_TITLES: Record<string, string> = {
  hostile: "Hostile modules: each one misbehaves; the playground survives it",
  conformance: "WASI conformance programs: each checks itself and exits 0",
};

/** The examples in the order a newcomer should meet them; others follow by name. */
const TOUR = ["hello", "env-reader", "hello-c", "wat-tour", "echo-events", "notes", "ticker", "calc", "bad-command"];

/** Examples by group, top-level ones first, each group in tour order. */
function groupsOf(examples: ExampleEntry[]): [string, ExampleEntry[]][] {
  const rank = (name: string) => (TOUR.includes(name) ? TOUR.indexOf(name) : TOUR.length);
  const groups = new Map<string, ExampleEntry[]>();
  for (const entry of examples) groups.set(entry.group ?? "", [...(groups.get(entry.group ?? "") ?? []), entry]);
  for (const entries of groups.values()) entries.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return [...groups].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b)));
}

interface Props {
  examples: ExampleEntry[];
  selected: string;
  onExample(entry: ExampleEntry): void;
  onFiles(files: File[]): void;
}

/** Picks the module: an example, or a `.wasm` (and `.toml`) by file chooser or drag-and-drop. */
export function ModuleInput({ examples, selected, onExample, onFiles }: Props) {
  const [dragging, setDragging] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    onFiles([...event.dataTransfer.files]);
  };
  return (
    <section className="space-y-3">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-400">Extension</h2>
      {groupsOf(examples).map(([group, entries]) => (
        <div key={group} className="space-y-1">
          {group ? <p className="text-xs text-zinc-500">{GROUP_TITLES[group] ?? group}</p> : null}
          <div className="flex flex-wrap gap-2" role="group" aria-label={group || "Examples"}>
            {entries.map((entry) => (
              <button
                key={entry.name}
                type="button"
                title={entry.description}
                data-testid={`example-${group ? `${group}-` : ""}${entry.name}`}
                onClick={() => onExample(entry)}
                className={`rounded border px-3 py-1 text-sm ${
                  selected === entry.name ? "border-emerald-400 bg-emerald-950 text-emerald-200" : "border-zinc-700 hover:border-zinc-500"
                }`}
              >
                {entry.name} <span className="text-xs text-zinc-500">{entry.language}</span>
              </button>
            ))}
          </div>
        </div>
      ))}
      <label
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        data-testid="drop-zone"
        className={`block cursor-pointer rounded border border-dashed p-4 text-center text-sm ${
          dragging ? "border-emerald-400 bg-emerald-950/40" : "border-zinc-700 text-zinc-400"
        }`}
      >
        Drop a <code>.wasm</code> and its <code>extension.toml</code> here, or choose files
        <input
          type="file"
          multiple
          accept=".wasm,.toml,application/wasm"
          data-testid="file-input"
          className="sr-only"
          onChange={(e) => {
            onFiles([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
      </label>
    </section>
  );
}
