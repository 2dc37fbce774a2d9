import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { editManifestAndLoad, helloStillRuns, loadExample, openPlayground, pickExample } from "./helpers";

const built = (path: string) => readFile(new URL(`../public/extensions/${path}`, import.meta.url));

async function upload(page: Page, name: string, bytes: Buffer, manifest: Buffer) {
  await page.getByTestId("file-input").setInputFiles([
    { name, mimeType: "application/wasm", buffer: bytes },
    { name: "extension.toml", mimeType: "text/plain", buffer: manifest },
  ]);
}

test.beforeEach(async ({ page }) => openPlayground(page));

test("unreachable traps with the hook, the kind and the function, and the next run works", async ({ page }) => {
  await loadExample(page, "hostile-unreachable", "unreachable");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveText("trap in on_reload: unreachable: unreachable in function explode (#0)");
  await helloStillRuns(page);
});

test("unbounded recursion is a stack overflow, and the same instance can be called again", async ({ page }) => {
  await loadExample(page, "hostile-recursion", "recursion");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveText(/^trap in on_reload: stack_overflow: call stack exhausted in function deeper/);
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveCount(2);
  await helloStillRuns(page);
});

test("1,000,000 ft_log calls: the page keeps 1,000 lines, counts the rest, and stays responsive", async ({ page }) => {
  await loadExample(page, "hostile-log-flood", "log-flood");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("dropped-logs")).toHaveText("… 999,000 more log lines not shown (1,000,000 in all)");
  await expect(page.getByTestId("log-line")).toHaveCount(1000);
  await expect(page.getByTestId("dropped-audit")).toContainText("the newest 1,000 of 1,000,000 records");
  await helloStillRuns(page);
});

test("an unknown import fails to link, naming it, before anything runs", async ({ page }) => {
  await pickExample(page, "hostile-unknown-import");
  await expect(page.getByTestId("error")).toContainText("Could not load unknown-import (link)");
  await expect(page.getByTestId("error")).toContainText('the module imports function "env"."ft_launch_missiles", which the host does not provide');
  await helloStillRuns(page);
});

test("a host function imported with the wrong type is refused at link time, naming both types", async ({ page }) => {
  await pickExample(page, "hostile-wrong-signature");
  await expect(page.getByTestId("error")).toContainText("Could not load wrong-signature (link)");
  await expect(page.getByTestId("error")).toContainText(
    '"env"."ft_get_env" is imported as (i64, i32) -> i32, but the host function is (i32, i32) -> i32',
  );
  await helloStillRuns(page);
});

test("truncated bytes, bad magic and an invalid section are compile errors naming the problem", async ({ page }) => {
  const good = await built("hello.wasm");
  const manifest = await built("hello.toml");
  const cases: [string, Buffer, RegExp][] = [
    ["truncated.wasm", good.subarray(0, 200), /not a valid WebAssembly module \(200 bytes\)/],
    ["magic.wasm", Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6e]), good.subarray(4)]), /expected magic word 00 61 73 6d, found 00 61 73 6e @\+0/],
    // Section id 99 does not exist.
    ["section.wasm", Buffer.concat([good.subarray(0, 8), Buffer.from([99, 1, 0])]), /unknown section code #0x63 @\+10/],
  ];
  for (const [name, bytes, expected] of cases) {
    await upload(page, name, bytes, manifest);
    await expect(page.getByTestId("error")).toContainText(`Could not load ${name} (compile)`);
    await expect(page.getByTestId("error")).toContainText(expected);
  }
  await helloStillRuns(page);
});

test("a hook that runs past max_wall_time_secs is stopped by ending its worker", async ({ page }) => {
  await loadExample(page, "hostile-loop", "loop");
  await editManifestAndLoad(page, /fuel_per_call = \d+/, "fuel_per_call = 1000000000000000");
  await expect(page.getByTestId("extension-facts")).toBeVisible();
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("error")).toContainText("hook on_reload (config.reload) timed out", { timeout: 20_000 });
  await expect(page.getByTestId("error")).toContainText("ran longer than max_wall_time_secs = 3 s and was stopped after 3.");
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
  await helloStillRuns(page);
});

test("ending a running hook (another load, or Reset) leaves no timer behind to end the next instance", async ({ page }) => {
  await loadExample(page, "hostile-loop", "loop");
  await editManifestAndLoad(page, /fuel_per_call = \d+/, "fuel_per_call = 1000000000000000");
  await expect(page.getByTestId("extension-facts")).toBeVisible();
  await page.getByTestId("hook-on_reload").click();
  // Loading hello ends the looping worker; the loop's 3 s wall-time limit must not end hello's.
  await loadExample(page, "hello");
  await page.waitForTimeout(4_000);
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);

  // Reset during a call frees the page at once.
  await loadExample(page, "hostile-loop", "loop");
  await editManifestAndLoad(page, /fuel_per_call = \d+/, "fuel_per_call = 1000000000000000");
  await expect(page.getByTestId("extension-facts")).toBeVisible();
  await page.getByTestId("hook-on_reload").click();
  await page.getByTestId("reset-button").click();
  await expect(page.getByTestId("load-button")).toBeEnabled({ timeout: 1_000 });
  await page.waitForTimeout(3_500);
  await expect(page.getByTestId("error")).toHaveCount(0);
});
