/**
 * Finds the line of a key in TOML source, so a manifest error can say where it is.
 *
 * smol-toml reports positions only for syntax errors; for a value that parses but is
 * wrong (an unknown event, a missing name) we look the key up in the text. This is a
 * locator for messages, not a parser: it understands `[table]`, `[[array]]`, bare and
 * quoted keys, and falls back to the table's header line.
 */

interface Header {
  name: string;
  array: boolean;
  line: number;
}

const HEADER = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const KEY = /^\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_.-]+)\s*=/;

/**
 * The 1-based line of `key` inside table `table` (the `index`-th `[[table]]` for arrays of
 * tables), the table's header line when the key is absent, or `undefined` when neither is.
 * `table` is `""` for top-level keys.
 */
export function locateKey(source: string, table: string, key?: string, index = 0): number | undefined {
  const lines = source.split(/\r?\n/);
  const headers = findHeaders(lines);
  const matching = headers.filter((h) => h.name === table);
  const header = table === "" ? undefined : matching[Math.min(index, matching.length - 1)];
  if (table !== "" && !header) return undefined;
  const from = header ? header.line : 0;
  const next = headers.find((h) => h.line > from);
  const to = next ? next.line - 1 : lines.length;
  if (key !== undefined) {
    for (let i = from; i < to; i++) {
      const match = KEY.exec(lines[i] ?? "");
      const name = match ? (match[2] ?? match[3] ?? match[1]) : undefined;
      if (name === key) return i + 1;
    }
  }
  return header?.line;
}

function findHeaders(lines: string[]): Header[] {
  const headers: Header[] = [];
  lines.forEach((text, i) => {
    const match = HEADER.exec(text);
    if (match?.[2]) headers.push({ name: match[2].replace(/["']/g, ""), array: match[1] === "[[", line: i + 1 });
  });
  return headers;
}
