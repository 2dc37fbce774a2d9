"use client";

import { useState } from "react";

/** Example list entry, as `scripts/build-extensions.ts` writes `public/extensions/index.json`. */
export interface ExampleEntry {
  name: string;
  description: string;
  language: "rust" | "c" | "wat";
  wasm: string;
  manifest: string;
  source: string;
  group?: string;
  /** Present for WASI commands. */
  command?: true;
  /** What the example reads on stdin, when it reads any. */
  stdin?: string;
}

const GROUP_TITLES: Record<string, string> = {
  hostile: "Hostile modules (each misbehaves; the playground survives it)",
  conformance: "WASI conformance programs (each checks itself)",
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

/** The key of an example: `group/name`, or `name` at top level (as its test id, `example-group-name`). */
export function exampleKey(entry: ExampleEntry): string {
  return entry.group ? `${entry.group}/${entry.name}` : entry.name;
}

interface Props {
  examples: ExampleEntry[];
  /** The key of the example open, or `""`. */
  selected: string;
  onExample(entry: ExampleEntry): void;
  onFiles(files: File[]): void;
}

/**
 * The toolbar's example menu (grouped, in tour order; picking an example again reopens it as
 * shipped) and the button that opens a `.wasm` and `.toml`.
 */
export function ExamplePicker({ examples, selected, onExample, onFiles }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <div className="relative flex min-w-0 items-center gap-2">
      <button
        type="button"
        disabled={examples.length === 0}
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        data-testid="example-menu"
        className="min-w-0 max-w-[12rem] truncate rounded border border-zinc-700 bg-zinc-900 px-2 py-1 text-left text-sm hover:border-zinc-500 disabled:opacity-40"
      >
        {examples.length === 0 ? "loading examples…" : selected || "Examples"} ▾
      </button>
      {open ? (
        <>
          <button type="button" aria-label="Close the example menu" className="fixed inset-0 z-10 cursor-default" onClick={() => setOpen(false)} />
          <div
            role="menu"
            data-testid="example-list"
            className="absolute left-0 top-full z-20 mt-1 max-h-[70vh] w-[min(34rem,calc(100vw-1.5rem))] space-y-2 overflow-auto rounded border border-zinc-700 bg-zinc-900 p-2 shadow-xl"
          >
            {groupsOf(examples).map(([group, entries]) => (
              <div key={group} className="space-y-1">
                <p className="text-xs text-zinc-500">{group ? (GROUP_TITLES[group] ?? group) : "Examples"}</p>
                <div className="flex flex-wrap gap-1" role="group" aria-label={group || "Examples"}>
                  {entries.map((entry) => (
                    <button
                      key={entry.name}
                      type="button"
                      role="menuitem"
                      title={entry.description}
                      data-testid={`example-${group ? `${group}-` : ""}${entry.name}`}
                      onClick={() => {
                        setOpen(false);
                        onExample(entry);
                      }}
                      className={`rounded border px-2 py-0.5 text-sm ${
                        selected === exampleKey(entry) ? "border-emerald-400 bg-emerald-950 text-emerald-200" : "border-zinc-700 hover:border-zinc-500"
                      }`}
                    >
                      {entry.name} <span className="text-xs text-zinc-500">{entry.language}</span>
                    </button>
                  ))}
                </div>
              </div>
            ))}
          </div>
        </>
      ) : null}
      <label
        className="cursor-pointer whitespace-nowrap rounded border border-zinc-700 px-2 py-1 text-sm hover:border-zinc-500"
        title="Open a .wasm and its extension.toml, or a FrankenTerm package (.ftx); or drop them on the page"
      >
        Open…
        <input
          type="file"
          multiple
          accept=".wasm,.toml,.ftx,application/wasm,application/zip"
          data-testid="file-input"
          className="sr-only"
          onChange={(e) => {
            onFiles([...(e.target.files ?? [])]);
            e.target.value = "";
          }}
        />
      </label>
    </div>
  );
}
