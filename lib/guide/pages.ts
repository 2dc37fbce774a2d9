/**
 * The guide's pages and `docs/abi.md` from one source: the Markdown files of `docs/guide/`,
 * each opening with TOML front matter between `+++` lines (title, order, kind, the example
 * it embeds). The app renders each file as a page of `/guide`; `docs/abi.md` is the same
 * files joined in order (`npm run build:docs` writes it, a test checks it is current).
 *
 * Server and build only (reads the filesystem); never imported by the page or the worker.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseToml } from "smol-toml";

/** What a page is about. */
export type GuideKind = "host function" | "concept";

/** The live example a page embeds. */
export interface GuideExample {
  /** An example of `public/extensions/index.json` (`env-reader`, `memory-bomb`, …). */
  readonly name: string;
  /** The event to deliver (its hooks are called with its sample payload). */
  readonly event: string;
  /** Environment lines (`KEY=value`) the example runs with. */
  readonly env: string;
}

/** One page of the guide. */
export interface GuidePage {
  /** URL segment: `/guide/<slug>`; the file is `docs/guide/<slug>.md`. */
  readonly slug: string;
  readonly title: string;
  /** Position in the guide and in `docs/abi.md`. */
  readonly order: number;
  readonly kind: GuideKind;
  /** One line for the index. */
  readonly summary: string;
  readonly example: GuideExample;
  /** The Markdown after the front matter. */
  readonly body: string;
}

/**
 * The folder of the guide's sources, from the project root (the working directory of
 * `next build`, the scripts and the tests; a bundled server chunk's own URL is not).
 */
export function guideDir(): URL {
  return pathToFileURL(join(process.cwd(), "docs", "guide") + "/");
}

/** Why a guide file is malformed, naming the file. */
export class GuideError extends Error {}

/**
 * Parses one guide file.
 * @throws {GuideError} naming the file and the missing or wrong field.
 */
export function parseGuidePage(slug: string, text: string): GuidePage {
  const match = /^\+\+\+\n([\s\S]*?)\n\+\+\+\n/.exec(text);
  if (!match) throw new GuideError(`docs/guide/${slug}.md: no front matter (a +++ block of TOML at the top)`);
  let front: Record<string, unknown>;
  try {
    front = parseToml(match[1] ?? "");
  } catch (error) {
    throw new GuideError(`docs/guide/${slug}.md: front matter: ${error instanceof Error ? error.message : String(error)}`);
  }
  const field = (key: string, table: Record<string, unknown> = front, where = ""): string => {
    const value = table[key];
    if (typeof value !== "string") throw new GuideError(`docs/guide/${slug}.md: front matter needs a string "${where}${key}"`);
    return value;
  };
  const example = front.example;
  if (typeof example !== "object" || example === null) throw new GuideError(`docs/guide/${slug}.md: front matter needs an [example] table`);
  const exampleTable = example as Record<string, unknown>;
  const kind = field("kind");
  if (kind !== "host function" && kind !== "concept") throw new GuideError(`docs/guide/${slug}.md: kind must be "host function" or "concept", not "${kind}"`);
  const order = front.order;
  if (typeof order !== "number") throw new GuideError(`docs/guide/${slug}.md: front matter needs a number "order"`);
  return {
    slug,
    title: field("title"),
    order,
    kind,
    summary: field("summary"),
    example: {
      name: field("name", exampleTable, "example."),
      event: field("event", exampleTable, "example."),
      env: typeof exampleTable.env === "string" ? exampleTable.env : "",
    },
    body: text.slice(match[0].length).trim(),
  };
}

/** Every page of `docs/guide/`, in order. */
export function readGuidePages(dir: URL = guideDir()): GuidePage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .map((f) => parseGuidePage(f.slice(0, -3), readFileSync(new URL(f, dir), "utf8")))
    .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}

/** The page `slug`, or `undefined`. */
export function readGuidePage(slug: string, dir: URL = guideDir()): GuidePage | undefined {
  return readGuidePages(dir).find((p) => p.slug === slug);
}

const ABI_DOC_HEADER = `<!-- Generated from docs/guide/*.md by \`npm run build:docs\`; edit those files, not this one. -->

# The host ABI as the playground implements it

FrankenTerm documents its WebAssembly extension ABI in \`docs/extensions/wasm-extensions.md\`;
its code (\`frankenterm/scripting/src/wasm_host.rs\`, read February 2026) differs in places.
The playground implements the documented contract, accepts the code's forms too, and tells
you which one your extension used. Source: \`lib/abi/\`. The same text, one page per topic
with a live example to edit and run, is the playground's guide at \`/guide\`.
`;

/**
 * `docs/abi.md`: every page in order, each page's headings one level deeper under its
 * title, links between pages turned into links to their sections.
 */
export function renderAbiDoc(pages: readonly GuidePage[]): string {
  const anchors = new Map(pages.map((p) => [p.slug, anchorOf(p.title)]));
  const sections = pages.map((page) => {
    const body = page.body
      .replace(/^(#{1,5}) /gm, "$1# ")
      .replace(/\]\(\/guide\/([\w-]+)\)/g, (whole, slug: string) => (anchors.has(slug) ? `](#${anchors.get(slug)})` : whole));
    return `## ${page.title}\n\n${body}\n`;
  });
  return `${ABI_DOC_HEADER}\n${sections.join("\n")}`;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to `-`. */
export function anchorOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}
