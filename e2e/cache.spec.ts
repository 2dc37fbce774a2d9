import { expect, test } from "@playwright/test";
import { builtFile, expectFreshInstance, instanceId, loadExample, openPlayground, uploadFiles } from "./helpers";

test("a module is compiled once, then reused from memory, then from IndexedDB after a page reload", async ({ page }) => {
  await openPlayground(page);
  await loadExample(page, "hello");
  await expect(page.getByTestId("module-cache")).toContainText("cache miss: validated, instrumented and compiled");
  await expect(page.getByTestId("module-cache")).toContainText(/Module sha256 [0-9a-f]{12}… · [\d,]+ bytes/);

  const first = await instanceId(page);
  await page.getByTestId("load-button").click();
  await expectFreshInstance(page, first, "hello");
  await expect(page.getByText("loaded hello in a new worker")).toHaveCount(2);
  await expect(page.getByTestId("module-cache")).toContainText("memory cache hit: the compiled module was reused");
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);

  await page.reload();
  await expect(page.getByTestId("example-menu")).toBeEnabled();
  await loadExample(page, "hello");
  await expect(page.getByTestId("module-cache")).toContainText("IndexedDB cache hit: instrumented bytes reused, compiled");
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);
});

test("a different module with the same file name and extension name is not mistaken for the cached one", async ({ page }) => {
  await openPlayground(page);
  await loadExample(page, "hello");
  const first = await page.getByTestId("module-cache").innerText();
  // env-reader's bytes under hello's file name, with its manifest renamed to "hello": only the bytes differ.
  const manifest = (await builtFile("env-reader.toml")).toString("utf8").replace(/^name = "env-reader"$/m, 'name = "hello"');
  expect(manifest).toContain('name = "hello"');
  const before = await instanceId(page);
  await uploadFiles(page, [
    { name: "hello.wasm", buffer: await builtFile("env-reader.wasm") },
    { name: "extension.toml", buffer: Buffer.from(manifest) },
  ]);
  await expectFreshInstance(page, before, "hello");
  await expect(page.getByTestId("module-cache")).toContainText("cache miss: validated, instrumented and compiled");
  const sha = (text: string) => /sha256 ([0-9a-f]{12})…/.exec(text)?.[1];
  expect(sha(await page.getByTestId("module-cache").innerText())).not.toBe(sha(first));
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] TERM=xterm-256color", "[WARN] HOME: not set or denied (-1)", "[INFO] FT_THEME=dracula"]);
});
