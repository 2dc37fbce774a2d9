import { expect, test } from "@playwright/test";
import { loadExample, openPlayground } from "./helpers";

test("a module is compiled once, then reused from memory, then from IndexedDB after a page reload", async ({ page }) => {
  await openPlayground(page);
  await loadExample(page, "hello");
  await expect(page.getByTestId("module-cache")).toContainText("cache miss: validated, instrumented and compiled");
  await expect(page.getByTestId("module-cache")).toContainText(/Module sha256 [0-9a-f]{12}… · [\d,]+ bytes/);

  await page.getByTestId("load-button").click();
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

test("a different module with the same name is not mistaken for the cached one", async ({ page }) => {
  await openPlayground(page);
  await loadExample(page, "hello");
  await loadExample(page, "env-reader");
  await expect(page.getByTestId("module-cache")).toContainText("cache miss");
});
