import { readFile } from "node:fs/promises";
import { expect, type Page } from "@playwright/test";

/** A built example file from `public/extensions/` (`hello.wasm`, `hostile/loop.toml`). */
export const builtFile = (path: string) => readFile(new URL(`../public/extensions/${path}`, import.meta.url));

/** Puts `files` in the page's file chooser, as a user picking them would. */
export async function uploadFiles(page: Page, files: { name: string; buffer: Buffer }[]) {
  await page.getByTestId("file-input").setInputFiles(files.map((f) => ({ ...f, mimeType: "application/octet-stream" })));
}

/** The example groups: an example in a group has the test id `example-GROUP-NAME`. */
const GROUPS = /^(hostile|conformance)-/;

/** The id of the instance the page shows (`data-instance-id`, fresh per load), or -1 when none is loaded. */
export async function instanceId(page: Page): Promise<number> {
  const facts = page.getByTestId("extension-facts");
  return (await facts.count()) === 0 ? -1 : Number(await facts.getAttribute("data-instance-id"));
}

/**
 * Waits until the page shows an instance other than `before` (an id from {@link instanceId})
 * whose manifest names `extensionName` exactly: the state a load produces, never the previous
 * instance still on screen.
 */
export async function expectFreshInstance(page: Page, before: number, extensionName: string) {
  const fresh = page.locator(`[data-testid="extension-facts"][data-extension-name="${extensionName}"]:not([data-instance-id="${before}"])`);
  await expect(fresh).toHaveCount(1);
}

/** Picks an example (`group-name` for grouped ones) and waits until it is loaded in a fresh worker. */
export async function loadExample(page: Page, testIdName: string, extensionName = testIdName.replace(GROUPS, "")) {
  const before = await instanceId(page);
  await page.getByTestId(`example-${testIdName}`).click();
  await expectFreshInstance(page, before, extensionName);
}

/** Opens the playground and waits for the example list. */
export async function openPlayground(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("example-hello")).toBeVisible();
}

/** Runs the hello example's on_reload and checks its last log line: the page is still usable. */
export async function helloStillRuns(page: Page) {
  await loadExample(page, "hello");
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
}

/**
 * Replaces `from` with `to` in the manifest editor and reloads.
 * @returns the instance id before the reload, for {@link expectFreshInstance}.
 */
export async function editManifestAndLoad(page: Page, from: string | RegExp, to: string): Promise<number> {
  const before = await instanceId(page);
  const manifest = await page.getByTestId("manifest-editor").inputValue();
  const edited = manifest.replace(from, to);
  expect(edited, `manifest should contain ${String(from)}`).not.toBe(manifest);
  await page.getByTestId("manifest-editor").fill(edited);
  await page.getByTestId("load-button").click();
  return before;
}
