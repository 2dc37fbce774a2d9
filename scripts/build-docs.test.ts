import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { anchorOf, GuideError, parseGuidePage, readGuidePages, renderAbiDoc } from "../lib/guide/pages";

const examples = JSON.parse(readFileSync(new URL("../public/extensions/index.json", import.meta.url), "utf8")) as { name: string; manifest: string }[];

describe("docs/abi.md and the guide have one source", () => {
  const pages = readGuidePages();

  test("docs/abi.md is generated from docs/guide (run `npm run build:docs` after editing the guide)", () => {
    const current = readFileSync(new URL("../docs/abi.md", import.meta.url), "utf8");
    assert.equal(current, renderAbiDoc(pages));
  });

  test("one page per host function and per concept, each embedding an example that exists", () => {
    const slugs = pages.map((p) => p.slug);
    for (const slug of ["ft_log", "ft_get_env", "ft_return_buffer_read", "ft_command", "hooks-and-events", "permissions", "limits", "module-cache", "differences"]) {
      assert.ok(slugs.includes(slug), `docs/guide/${slug}.md is missing`);
    }
    for (const page of pages) {
      const example = examples.find((e) => e.name === page.example.name);
      assert.ok(example, `${page.slug}: example "${page.example.name}" is not in public/extensions/index.json`);
      const manifest = readFileSync(new URL(`../public${example.manifest}`, import.meta.url), "utf8");
      // The event must reach a hook of the example, or the embed would run nothing.
      assert.ok(manifest.includes("hooks"), `${page.slug}: ${example.name} has no hooks`);
    }
  });

  test("links between pages become section links in docs/abi.md", () => {
    const doc = renderAbiDoc(pages);
    assert.ok(doc.includes("](#ft_return_buffer_read)"));
    assert.ok(!doc.includes("](/guide/"), "a /guide link was left in docs/abi.md");
    assert.equal(anchorOf("ft_command: native commands"), "ft_command-native-commands");
  });

  test("a malformed guide file is refused with its name and the field", () => {
    assert.throws(() => parseGuidePage("x", "no front matter"), (e: unknown) => e instanceof GuideError && /docs\/guide\/x\.md: no front matter/.test(e.message));
    assert.throws(() => parseGuidePage("x", '+++\ntitle = "T"\norder = 1\nkind = "concept"\nsummary = "s"\n+++\nbody'), /needs an \[example\] table/);
    assert.throws(
      () => parseGuidePage("x", '+++\ntitle = "T"\norder = 1\nkind = "other"\nsummary = "s"\n[example]\nname = "hello"\nevent = "pane.focus"\n+++\nbody'),
      /kind must be "host function" or "concept", not "other"/,
    );
  });
});
