import { expect, test } from "@playwright/test";
import { currentRun, editManifestAndLoad, helloStillRuns, loadExample, openPlayground, pickExample } from "./helpers";

test.beforeEach(async ({ page }) => openPlayground(page));

test("an infinite loop runs out of fuel with the fuel used and the limit, and the next run works", async ({ page }) => {
  await loadExample(page, "hostile-loop", "loop");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveText(
    "trap in on_reload: out_of_fuel: on_reload ran out of fuel in function spin (#0): used all 50,000,000 of fuel_per_call = 50,000,000",
  );
  await expect(page.getByTestId("fuel-used")).toHaveText("50,000,000");
  await helloStillRuns(page);
});

test("the same hook and inputs use the same fuel on every run", async ({ page }) => {
  const fuel: string[] = [];
  for (let run = 0; run < 2; run++) {
    await loadExample(page, "hello");
    await page.getByTestId("hook-on_reload").click();
    await expect(page.getByTestId("call-output")).toHaveCount(run + 1);
    fuel.push(await currentRun(page).getByTestId("fuel-used").last().innerText());
  }
  expect(Number(fuel[0]?.replace(/,/g, ""))).toBeGreaterThan(100);
  expect(fuel[1]).toBe(fuel[0]);
});

test("an infinite loop in the start function is metered like a hook", async ({ page }) => {
  await pickExample(page, "hostile-start-loop");
  await expect(page.getByTestId("error")).toContainText("Could not load start-loop (start)");
  await expect(page.getByTestId("error")).toContainText("the start function trapped (out_of_fuel): the start function ran out of fuel in function spin (#0)");
  await expect(page.getByTestId("error")).toContainText("used all 50,000,000 of fuel_per_call = 50,000,000");
  await helloStillRuns(page);
});

test("with fuel set very high, the start function's loop is stopped by wall time", async ({ page }) => {
  await pickExample(page, "hostile-start-loop");
  await expect(page.getByTestId("error")).toBeVisible();
  await editManifestAndLoad(page, /fuel_per_call = \d+/, "fuel_per_call = 1000000000000000");
  await expect(page.getByTestId("error")).toContainText("loading start-loop timed out", { timeout: 20_000 });
  await helloStillRuns(page);
});

test("memory.grow past max_memory_bytes returns -1 to the guest, is audited, and memory is shown", async ({ page }) => {
  await loadExample(page, "hostile-memory-bomb", "memory-bomb");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[WARN] memory.grow refused after 239 pages; memory is 256 pages"]);
  await expect(page.getByTestId("memory-size")).toHaveText("16,384 KiB");
  const row = page.getByTestId("audit-row").filter({ has: page.getByTestId("audit-function").getByText("memory.grow", { exact: true }) });
  await expect(row.getByTestId("audit-outcome")).toHaveText(
    'Denied("memory.grow refused 1 time: max_memory_bytes = 16,777,216 (256 pages); the guest got -1")',
  );
  await helloStillRuns(page);
});

test("an allocator that runs out of memory aborts with a trap naming it, and the page goes on", async ({ page }) => {
  await loadExample(page, "hostile-memory-bomb", "memory-bomb");
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("trap")).toContainText("trap in on_focus: unreachable");
  await expect(page.getByTestId("stderr-line")).toContainText(["memory allocation of 1048576 bytes failed"]);
  // The allocator gives up when the next 1 MiB no longer fits under the 16 MiB cap.
  const kib = Number((await page.getByTestId("memory-size").innerText()).replace(/[^0-9]/g, ""));
  expect(kib).toBeGreaterThan(15 * 1024 - 1024);
  expect(kib).toBeLessThanOrEqual(16 * 1024);
  await helloStillRuns(page);
});

test("a module whose initial memory exceeds max_memory_bytes is refused before it runs", async ({ page }) => {
  await loadExample(page, "hello");
  await editManifestAndLoad(page, /max_memory_bytes = \d+/, "max_memory_bytes = 65536");
  await expect(page.getByTestId("error")).toContainText("Could not load hello (limits)");
  await expect(page.getByTestId("error")).toContainText(
    "the module's initial memory is 17 pages (1,114,112 bytes), more than max_memory_bytes = 65,536 (1 pages)",
  );
  await helloStillRuns(page);
});
