import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
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
    await expect(page.getByTestId("live-manifest")).toHaveValue(new RegExp(`name = "${guide.example.name}"`));
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
  const manifest = await page.getByTestId("live-manifest").inputValue();
  const edited = manifest.replace('environment = ["TERM", "FT_*"]', 'environment = ["TERM", "FT_*", "HOME"]');
  expect(edited).not.toBe(manifest);
  await page.getByTestId("live-manifest").fill(edited);
  await page.getByTestId("live-run").click();
  await expect(homeOutcome).toHaveText(['Denied("environment variable access denied for HOME")', "Ok"]);
  await expect(page.getByTestId("log-line").filter({ hasText: /^\[\w+\] HOME/ })).toHaveText(["[WARN] HOME: not set or denied (-1)", "[INFO] HOME=/home/user"]);
});
