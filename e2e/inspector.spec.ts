import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { loadExample, openPlayground, showTab } from "./helpers";

const index = JSON.parse(readFileSync(new URL("../public/extensions/index.json", import.meta.url), "utf8")) as { name: string; wasm: string; group?: string }[];
const tour = index.filter((e) => e.group === undefined);
const bytesOf = (wasm: string) => new Uint8Array(readFileSync(new URL(`../public${wasm}`, import.meta.url)));

test.beforeEach(async ({ page }) => openPlayground(page));

async function openInspector(page: import("@playwright/test").Page) {
  await showTab(page, "inspector");
  await expect(page.getByTestId("inspector")).toBeVisible();
}

for (const example of tour) {
  test(`the inspector lists exactly the imports and exports of ${example.name}`, async ({ page }) => {
    // The engine's own reading of the same bytes is the reference.
    const module = new WebAssembly.Module(bytesOf(example.wasm));
    const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
    const exports = WebAssembly.Module.exports(module).map((e) => `${e.name} ${e.kind}`);
    await loadExample(page, example.name);
    await openInspector(page);
    const shownImports = await page
      .getByTestId("import-group")
      .evaluateAll((groups) => groups.flatMap((g) => [...g.querySelectorAll("[data-testid=inspector-import]")].map((row) => `${g.getAttribute("data-namespace")}.${row.getAttribute("data-name")}`)));
    expect([...shownImports].sort()).toEqual([...imports].sort());
    const shownExports = await page.getByTestId("inspector-export").evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-name")} ${r.getAttribute("data-kind")}`));
    expect(shownExports).toEqual(exports);
    // Every import of a tour example is provided: none is refused.
    await expect(page.locator("[data-testid=inspector-import][data-fate=refused]")).toHaveCount(0);
  });
}

test("env-reader: frankenterm host functions, WASI, the hook marked, memory against the cap", async ({ page }) => {
  await loadExample(page, "env-reader");
  await openInspector(page);
  await expect(page.locator("[data-testid=import-group][data-namespace=frankenterm] [data-testid=inspector-import]")).toHaveText([
    "ft_get_env(i32, i32) -> i32host function",
    "ft_return_buffer_read(i32, i32) -> i32host function",
    "ft_log(i32, i32, i32) -> ()host function",
  ]);
  await expect(page.locator("[data-testid=inspector-export][data-role=hook]")).toHaveText(["on_reload() -> ()hook: config.reload"]);
  await expect(page.getByTestId("inspector-memory")).toHaveText(/^defined, starts at 17 pages \(1,114,112 bytes\) and can grow to max_memory_bytes = 67,108,864 bytes \(1024 pages\)/);
});

test("the WAT view renders the largest example, drawing only the rows in view", async ({ page }) => {
  const largest = [...index].sort((a, b) => statSync(new URL(`../public${b.wasm}`, import.meta.url)).size - statSync(new URL(`../public${a.wasm}`, import.meta.url)).size)[0];
  expect(largest).toBeDefined();
  if (!largest) return;
  await loadExample(page, largest.group ? `${largest.group}-${largest.name}` : largest.name, largest.name);
  await openInspector(page);
  await page.getByTestId("wat-show").click();
  await expect(page.getByTestId("wat-lines")).toHaveText(/^[\d,]+ lines$/, { timeout: 30_000 });
  const lines = Number((await page.getByTestId("wat-lines").innerText()).replace(/[^\d]/g, ""));
  expect(lines).toBeGreaterThan(10_000);
  await expect(page.getByTestId("wat-line").first()).toHaveText(/^1\s*\(module/);
  const drawn = await page.getByTestId("wat-line").count();
  expect(drawn).toBeLessThan(200);
  // Scroll to the end: the last line is drawn and the page still answers.
  await page.getByTestId("wat-scroller").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.getByTestId("wat-line").last()).toContainText(String(lines));
  await page.getByTestId("wat-find").fill("(export \"memory\"");
  await page.getByTestId("wat-find").press("Enter");
  await expect(page.getByTestId("wat-line").filter({ hasText: '(export "memory"' }).first()).toBeVisible();
});

test("the size tips measure wasm-opt -Oz on the server for the loaded module", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "e2e-optimize-"));
  let expected: number;
  try {
    execFileSync("/usr/bin/wasm-opt", ["-Oz", "--all-features", fileURLToPath(new URL("../public/extensions/env-reader.wasm", import.meta.url)), "-o", join(dir, "out.wasm")]);
    expected = statSync(join(dir, "out.wasm")).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const input = statSync(new URL("../public/extensions/env-reader.wasm", import.meta.url)).size;
  await loadExample(page, "env-reader");
  await openInspector(page);
  await page.getByTestId("measure-wasm-opt").click();
  await expect(page.getByTestId("wasm-opt-result")).toContainText(`${input.toLocaleString("en")} → ${expected.toLocaleString("en")} bytes`, { timeout: 60_000 });
  await expect(page.getByTestId("size-tips").locator("li").first()).toContainText(`wasm-opt -Oz: saves ${(input - expected).toLocaleString("en")} bytes`);
});

test("the size tips build hello's source with the size flags (opt-level=s, LTO) and say what they save", async ({ page }) => {
  await loadExample(page, "hello");
  await openInspector(page);
  await page.getByTestId("measure-size-flags").click();
  const result = page.getByTestId("size-flags-result");
  await expect(result).toContainText("bytes (size flags)", { timeout: 120_000 });
  const [release, size] = [...(await result.innerText()).matchAll(/([\d,]+) bytes/g)].map((m) => Number(m[1]?.replace(/,/g, "")));
  expect(size).toBeLessThan(release ?? 0);
  await expect(page.getByTestId("size-tips").locator("li", { hasText: "Cargo profile" })).toContainText(`saves ${((release ?? 0) - (size ?? 0)).toLocaleString("en")} bytes`);
});
