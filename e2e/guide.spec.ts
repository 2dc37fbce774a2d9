import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { readGuidePages } from "../lib/guide/pages";
import { matchingHooks } from "../lib/manifest/dispatch";
import { parseManifest } from "../lib/manifest/parse";

const pages = readGuidePages();
const index = JSON.parse(readFileSync(new URL("../public/extensions/index.json", import.meta.url), "utf8")) as { name: string; manifest: string }[];

/** The handlers a page's Run calls: the example manifest's hooks for the page's event, in order. */
function expectedHandlers(name: string, event: string): string[] {
  const entry = index.find((e) => e.name === name);
  if (!entry) throw new Error(`example ${name} is not in index.json`);
  const manifest = parseManifest(readFileSync(new URL(`../public${entry.manifest}`, import.meta.url), "utf8"));
  return matchingHooks(manifest.hooks, event).map((h) => h.handler);
}

/** The text of a live example's CodeMirror editor. */
function editorText(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).locator(".cm-line").evaluateAll((lines) => lines.map((l) => l.textContent ?? "").join("\n"));
}

/**
 * Replaces a live example editor's text as a user would: select all, then paste. CodeMirror
 * draws only the lines in view, so the result is read back only for short texts.
 */
async function setEditorText(page: Page, testId: string, text: string, readBack = true) {
  const content = page.getByTestId(testId).locator(".cm-content");
  await content.click();
  await page.keyboard.press("ControlOrMeta+a");
  await content.evaluate((element, pasted) => {
    const data = new DataTransfer();
    data.setData("text/plain", pasted);
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  if (readBack) await expect.poll(() => editorText(page, testId)).toBe(text);
}

test("the guide's index lists every page", async ({ page }) => {
  await page.goto("/guide");
  await expect(page.getByTestId("guide-index").getByRole("link")).toHaveText(pages.map((p) => p.title));
});

for (const guide of pages) {
  test(`guide page ${guide.slug}: its ${guide.example.name} example runs in place`, async ({ page }) => {
    const handlers = expectedHandlers(guide.example.name, guide.example.event);
    expect(handlers.length, `${guide.example.name} has a hook for ${guide.example.event}`).toBeGreaterThan(0);
    await page.goto(`/guide/${guide.slug}`);
    await expect(page.getByTestId("guide-title")).toHaveText(guide.title);
    await expect.poll(() => editorText(page, "live-manifest")).toContain(`name = "${guide.example.name}"`);
    await page.getByTestId("live-run").click();
    await expect(page.getByTestId("call-output").last()).toHaveAttribute("data-handler", handlers.at(-1) ?? "");
    const called = await page.getByTestId("call-output").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-handler")));
    // A reactor's _initialize output comes first when it has one.
    expect(called.filter((h) => h !== "_initialize")).toEqual(handlers);
    await expect(page.getByTestId("error")).toHaveCount(0);
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
  });
}

test("editing the permissions on the guide page and running again changes the audit record", async ({ page }) => {
  await page.goto("/guide/permissions");
  await page.getByTestId("live-run").click();
  const homeOutcome = page.getByTestId("audit-row").filter({ has: page.getByTestId("audit-args").getByText("HOME", { exact: true }) }).getByTestId("audit-outcome");
  await expect(homeOutcome).toHaveText(['Denied("environment variable access denied for HOME")']);
  const manifest = await editorText(page, "live-manifest");
  const edited = manifest.replace('environment = ["TERM", "FT_*"]', 'environment = ["TERM", "FT_*", "HOME"]');
  expect(edited).not.toBe(manifest);
  await setEditorText(page, "live-manifest", edited);
  await page.getByTestId("live-run").click();
  // The new run's records come first, the earlier run's below.
  await expect(homeOutcome).toHaveText(["Ok", 'Denied("environment variable access denied for HOME")']);
  await expect(page.getByTestId("log-line").filter({ hasText: /^\[\w+\] HOME/ })).toHaveText(["[INFO] HOME=/home/user", "[WARN] HOME: not set or denied (-1)"]);
});

test("editing the WAT source on the guide page assembles it in the browser and runs the edit", async ({ page }) => {
  await page.goto("/guide/ft_return_buffer_read");
  await expect.poll(() => editorText(page, "live-source")).toContain(";; wat-tour");
  const source = readFileSync(new URL("../public/extensions/wat-tour.wat", import.meta.url), "utf8");
  // on_output logs its payload after the 9-byte prefix at 1024: change the prefix, same length.
  const edited = source.replace('(data (i32.const 1024) "payload: ")', '(data (i32.const 1024) "PAYLOAD: ")');
  expect(edited, "wat-tour has the payload prefix at 1024").not.toBe(source);
  await setEditorText(page, "live-source", edited, false);
  await page.getByTestId("live-run").click();
  await expect(page.getByTestId("log-line").last()).toHaveText('[INFO] PAYLOAD: {"pane_id":1,"text":"ls -l\\n"}');
  await expect(page.getByTestId("error")).toHaveCount(0);
});
