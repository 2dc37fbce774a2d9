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

/** Opens the toolbar's example menu and picks an example (`group-name` for grouped ones). */
export async function pickExample(page: Page, testIdName: string) {
  await page.getByTestId("example-menu").click();
  await page.getByTestId(`example-${testIdName}`).click();
}

/** Picks an example and waits until it is loaded in a fresh worker. */
export async function loadExample(page: Page, testIdName: string, extensionName = testIdName.replace(GROUPS, "")) {
  const before = await instanceId(page);
  await pickExample(page, testIdName);
  await expectFreshInstance(page, before, extensionName);
}

/** Opens the playground and waits for the example list. */
export async function openPlayground(page: Page) {
  await page.goto("/");
  await expect(page.getByTestId("example-menu")).toBeEnabled();
}

/** Shows a side panel: output, audit, events, files or environment. */
export async function showTab(page: Page, tab: "output" | "audit" | "events" | "files" | "environment") {
  await page.getByTestId(`tab-${tab}`).click();
}

/** The current run's part of the output (the newest instance's). */
export function currentRun(page: Page) {
  return page.getByTestId("current-run");
}

/** Runs the hello example's on_reload and checks its last log line: the page is still usable. */
export async function helloStillRuns(page: Page) {
  await loadExample(page, "hello");
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
}

/**
 * The whole text of a CodeMirror editor, from the view the page puts on its element
 * (`editorView`): CodeMirror renders only the lines in view.
 */
export async function editorText(page: Page, testId: "source-editor" | "manifest-editor"): Promise<string> {
  return page.getByTestId(testId).evaluate((element) => {
    const view = (element as HTMLElement & { editorView?: { state: { doc: { toString(): string } } } }).editorView;
    if (!view) throw new Error("the editor element has no editorView");
    return view.state.doc.toString();
  });
}

/** Replaces a CodeMirror editor's text as a user would: select all, then paste. */
export async function setEditorText(page: Page, testId: "source-editor" | "manifest-editor", text: string) {
  await page.getByTestId(testId === "source-editor" ? "file-tab-source" : "file-tab-manifest").click();
  const content = page.getByTestId(testId).locator(".cm-content");
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await content.evaluate((element, pasted) => {
    const data = new DataTransfer();
    data.setData("text/plain", pasted);
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Applies `edit` to the manifest in the editor and waits until the editor holds the result. */
export async function editManifest(page: Page, edit: (manifest: string) => string) {
  await page.getByTestId("file-tab-manifest").click();
  const manifest = await editorText(page, "manifest-editor");
  const edited = edit(manifest);
  expect(edited, "the edit should change the manifest").not.toBe(manifest);
  await setEditorText(page, "manifest-editor", edited);
  await expect.poll(() => editorText(page, "manifest-editor")).toBe(edited);
}

/**
 * Replaces `from` with `to` in the manifest editor and reloads.
 * @returns the instance id before the reload, for {@link expectFreshInstance}.
 */
export async function editManifestAndLoad(page: Page, from: string | RegExp, to: string): Promise<number> {
  const before = await instanceId(page);
  await editManifest(page, (manifest) => manifest.replace(from, to));
  await page.getByTestId("load-button").click();
  return before;
}
