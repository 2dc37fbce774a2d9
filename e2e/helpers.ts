import { expect, type Page } from "@playwright/test";

/** Opens the example menu and picks an example (`group-name` for grouped ones). */
export async function pickExample(page: Page, testIdName: string) {
  await page.getByTestId("example-menu").click();
  await page.getByTestId(`example-${testIdName}`).click();
}

/** Picks an example and waits until it is loaded in its worker. */
export async function loadExample(page: Page, testIdName: string, extensionName = testIdName.replace(/^[a-z]+-(?=.)/, "")) {
  await pickExample(page, testIdName);
  await expect(page.getByTestId("extension-facts")).toContainText(extensionName);
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
  await pickExample(page, "hello");
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
}

/**
 * The text of a CodeMirror editor, read from its rendered lines (the manifests and examples
 * are short enough to be rendered whole).
 */
export async function editorText(page: Page, testId: "source-editor" | "manifest-editor"): Promise<string> {
  return page.getByTestId(testId).locator(".cm-line").evaluateAll((lines) => lines.map((l) => l.textContent ?? "").join("\n"));
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

/** Applies `edit` to the manifest in the editor. */
export async function editManifest(page: Page, edit: (manifest: string) => string) {
  await page.getByTestId("file-tab-manifest").click();
  const manifest = await editorText(page, "manifest-editor");
  const edited = edit(manifest);
  expect(edited, "the edit should change the manifest").not.toBe(manifest);
  await setEditorText(page, "manifest-editor", edited);
  await expect.poll(() => editorText(page, "manifest-editor")).toBe(edited);
}

/** Replaces `from` with `to` in the manifest editor and reloads. */
export async function editManifestAndLoad(page: Page, from: string | RegExp, to: string) {
  await editManifest(page, (manifest) => manifest.replace(from, to));
  await page.getByTestId("load-button").click();
}
