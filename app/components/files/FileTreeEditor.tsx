"use client";

import { useState } from "react";
import { parentsOf, type FileTree } from "./files";

interface Props {
  files: FileTree;
  onChange(files: FileTree): void;
}

/** A small editor for the files an extension may see: add, edit and delete files and folders. */
export function FileTreeEditor({ files, onChange }: Props) {
  const [selected, setSelected] = useState<string | undefined>();
  const [newPath, setNewPath] = useState("/work/input.txt");
  const paths = Object.keys(files).sort();
  const content = selected !== undefined ? files[selected] : undefined;

  const add = (kind: "file" | "folder") => {
    const path = `/${newPath.split("/").filter(Boolean).join("/")}`;
    if (path === "/" || path in files) return;
    const next: FileTree = { ...files };
    for (const parent of parentsOf(path)) if (!(parent in next)) next[parent] = null;
    next[path] = kind === "file" ? "" : null;
    onChange(next);
    setSelected(kind === "file" ? path : undefined);
  };
  const remove = (path: string) => {
    onChange(Object.fromEntries(Object.entries(files).filter(([p]) => p !== path && !p.startsWith(`${path}/`))));
    setSelected(undefined);
  };

  return (
    <section className="space-y-2" data-testid="file-tree">
      <ul className="max-h-64 overflow-auto rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs">
        {paths.map((path) => {
          const value = files[path];
          const depth = path.split("/").length - 2;
          return (
            <li key={path} className="flex items-center justify-between gap-2" style={{ paddingLeft: `${depth}rem` }}>
              <button
                type="button"
                data-testid="file-entry"
                data-path={path}
                onClick={() => setSelected(value === null ? undefined : path)}
                className={`truncate text-left ${selected === path ? "text-emerald-300" : value === null ? "text-sky-300" : "text-zinc-200"}`}
              >
                {value === null ? "▸ " : ""}
                {path.split("/").pop()}
                {value === null ? "/" : ""}
                <span className="ml-2 text-zinc-600">{value === null || value === undefined ? "" : `${sizeOf(value)} B`}</span>
              </button>
              <button type="button" onClick={() => remove(path)} aria-label={`Delete ${path}`} className="text-zinc-600 hover:text-red-400">
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <div className="flex gap-2">
        <input
          value={newPath}
          onChange={(e) => setNewPath(e.target.value)}
          aria-label="New path"
          data-testid="new-path"
          className="min-w-0 flex-1 rounded border border-zinc-800 bg-zinc-900 px-2 py-1 font-mono text-xs"
        />
        <button type="button" onClick={() => add("file")} data-testid="add-file" className="rounded border border-zinc-700 px-2 text-xs hover:border-zinc-500">
          + file
        </button>
        <button type="button" onClick={() => add("folder")} data-testid="add-folder" className="rounded border border-zinc-700 px-2 text-xs hover:border-zinc-500">
          + folder
        </button>
      </div>
      {selected !== undefined && content !== undefined && content !== null ? (
        typeof content === "string" ? (
          <textarea
            value={content}
            onChange={(e) => onChange({ ...files, [selected]: e.target.value })}
            aria-label={`Contents of ${selected}`}
            data-testid="file-content"
            spellCheck={false}
            className="h-24 w-full rounded border border-zinc-800 bg-zinc-900 p-2 font-mono text-xs"
          />
        ) : (
          <p className="text-xs text-zinc-500">{selected}: {content.length} bytes of binary data</p>
        )
      ) : null}
      <p className="text-xs text-zinc-500">
        The manifest&apos;s <code>filesystem</code> permissions decide which folders are preopened; files the extension writes appear here after
        each call. Edits here take effect at the next load (Load, Build, or Run for a command): the running instance keeps the files it
        was loaded with.
      </p>
    </section>
  );
}

function sizeOf(content: string | Uint8Array): number {
  return typeof content === "string" ? new TextEncoder().encode(content).length : content.length;
}
