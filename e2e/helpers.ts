import { expect, type Page } from "@playwright/test";

/** Picks an example (`group-name` for grouped ones) and waits until it is loaded in its worker. */
export async function loadExample(page: Page, testIdName: string, extensionName = testIdName.replace(/^[a-z]+-(?=.)/, "")) {
  await page.getByTestId(`example-${testIdName}`).click();
  await expect(page.getByTestId("extension-facts")).toContainText(extensionName);
}

/** Opens the playground and waits for the example list. */
export async function openPlayground(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("example-hello")).toBeVisible();
}

/** Runs the hello example's on_reload and checks its last log line: the page is still usable. */
export async function helloStillRuns(page: Page) {
  await page.getByTestId("example-hello").click();
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
}

/** Replaces `from` with `to` in the manifest editor and reloads. */
export async function editManifestAndLoad(page: Page, from: string | RegExp, to: string) {
  const manifest = await page.getByTestId("manifest-editor").inputValue();
  const edited = manifest.replace(from, to);
  expect(edited, `manifest should contain ${String(from)}`).not.toBe(manifest);
  await page.getByTestId("manifest-editor").fill(edited);
  await page.getByTestId("load-button").click();
}
