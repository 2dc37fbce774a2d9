/**
 * The page's file tree: absolute path → contents (text, or bytes when not UTF-8), `null`
 * for a directory. Sent to the worker at load; the extension's writes come back after
 * each call.
 */

/** The tree as the page holds it. */
export type FileTree = Record<string, string | Uint8Array | null>;

/** What the tree starts with: folders the examples' permissions name. */
export function defaultFiles(): FileTree {
  return {
    "/data": null,
    "/data/readme.txt": "Readable by extensions with read:/data (or write:/data).\n",
    "/data/out": null,
    "/work": null,
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Merges a snapshot from the worker into the tree: text where it decodes, bytes otherwise. */
export function mergeSnapshot(tree: FileTree, snapshot: Record<string, Uint8Array | null>, preopens: readonly string[]): FileTree {
  // Inside a preopen the snapshot is the truth (files may have been deleted); elsewhere keep the page's tree.
  const inside = (path: string) => preopens.some((p) => p === "/" || path === p || path.startsWith(`${p}/`));
  const merged: FileTree = Object.fromEntries(Object.entries(tree).filter(([path]) => !inside(path)));
  for (const [path, content] of Object.entries(snapshot)) merged[path] = content === null ? null : decodeOrKeep(content);
  return merged;
}

function decodeOrKeep(bytes: Uint8Array): string | Uint8Array {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes;
  }
}

/** Parent folders of `path`, outermost first (`/a/b/c` → `/a`, `/a/b`). */
export function parentsOf(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join("/")}`);
}
