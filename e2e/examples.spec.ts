import { expect, test, type Page } from "@playwright/test";
import { loadExample, openPlayground, showTab } from "./helpers";

/** The text of every element with `testId`, in order. */
async function texts(page: Page, testId: string): Promise<string[]> {
  return page.getByTestId(testId).allInnerTexts();
}

test.beforeEach(async ({ page }) => openPlayground(page));

test("hello (Rust, env imports) logs at all five levels and prints to stdout and stderr", async ({ page }) => {
  await loadExample(page, "hello");
  await expect(page.getByTestId("import-namespace")).toContainText('"env": the documentation');
  await expect(page.getByTestId("hook-form")).toContainText("[[hooks]]");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText([
    "[TRACE] trace: hello from Rust",
    "[DEBUG] debug: hello from Rust",
    "[INFO] info: hello from Rust",
    "[WARN] warn: hello from Rust",
    "[ERROR] error: hello from Rust",
  ]);
  await expect(page.getByTestId("stdout-line")).toHaveText(["stdout │ hello, stdout"]);
  await expect(page.getByTestId("stderr-line")).toHaveText(["stderr │ hello, stderr"]);
  const functions = await texts(page, "audit-function");
  expect(functions.filter((f) => f === "ft_log")).toHaveLength(5);
  expect(functions).toContain("fd_write");
  const args = await texts(page, "audit-args");
  expect(args).toContain("level=2 msg=info: hello from Rust");
  const outcomes = await texts(page, "audit-outcome");
  expect(outcomes.every((o) => o === "Ok")).toBe(true);
});

test("hello keeps its state between hook calls on the same instance", async ({ page }) => {
  await loadExample(page, "hello");
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1", "[INFO] focus #2"]);
});

test("env-reader (frankenterm imports) reads permitted variables and is denied HOME", async ({ page }) => {
  await loadExample(page, "env-reader");
  await expect(page.getByTestId("import-namespace")).toContainText('"frankenterm": the host code');
  await expect(page.getByTestId("hook-form")).toContainText("[hooks] table");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText([
    "[INFO] TERM=xterm-256color",
    "[WARN] HOME: not set or denied (-1)",
    "[INFO] FT_THEME=dracula",
  ]);
  const rows = page.getByTestId("audit-row").filter({ hasText: "env_get" });
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByTestId("audit-outcome")).toHaveText("Ok");
  await expect(rows.nth(1).getByTestId("audit-args")).toHaveText("HOME");
  await expect(rows.nth(1).getByTestId("audit-outcome")).toHaveText('Denied("environment variable access denied for HOME")');
});

test("an edited environment reaches the extension on reload", async ({ page }) => {
  await loadExample(page, "env-reader");
  await showTab(page, "environment");
  await page.getByTestId("env-editor").fill("TERM=vt100\nFT_THEME=solarized");
  await page.getByTestId("load-button").click();
  await expect(page.getByText("loaded env-reader in a new worker")).toHaveCount(2);
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText([
    "[INFO] TERM=vt100",
    "[WARN] HOME: not set or denied (-1)",
    "[INFO] FT_THEME=solarized",
  ]);
});

test("hello-c (C reactor) runs _initialize at load, then logs and prints", async ({ page }) => {
  await loadExample(page, "hello-c");
  await expect(page.getByTestId("extension-facts")).toContainText("_initialize ran once at load");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] info: hello from C", "[WARN] warn: hello from C"]);
  await expect(page.getByTestId("stdout-line")).toHaveText(["stdout │ hello from C, stdout"]);
});

test("wat-tour reads a variable through the return buffer and the event payload at hook entry", async ({ page }) => {
  await loadExample(page, "wat-tour");
  await page.getByTestId("hook-on_reload").click();
  await page.getByTestId("hook-on_focus").click();
  await page.getByTestId("hook-on_output").click();
  await expect(page.getByTestId("log-line")).toHaveText([
    "[INFO] wat-tour: hello from hand-written WebAssembly",
    "[INFO] TERM=xterm-256color",
    '[INFO] payload: {"pane_id":1,"text":"ls -l\\n"}',
  ]);
  const reads = page.getByTestId("audit-row").filter({ hasText: "return_buffer_read" });
  await expect(reads.first().getByTestId("audit-outcome")).toHaveText("Ok");
});
