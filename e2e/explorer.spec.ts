import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { currentRun, loadExample, openPlayground, showTab } from "./helpers";

test.beforeEach(async ({ page }) => openPlayground(page));

/** Loads env-reader (record memory on or off) and calls its on_reload once. */
async function envReaderCalled(page: Page, record: boolean) {
  if (record) {
    await showTab(page, "audit");
    await page.getByTestId("record-memory").check();
  }
  await loadExample(page, "env-reader");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("call-output")).toHaveCount(1);
  await showTab(page, "audit");
}

const current = (page: Page) => page.getByTestId("audit-current");

test("selecting env-reader's env_get entry shows the key's bytes at the logged pointer, and the value after", async ({ page }) => {
  await envReaderCalled(page, true);
  const term = current(page).getByTestId("audit-row").filter({ has: page.getByTestId("audit-function").getByText("env_get", { exact: true }) }).filter({ has: page.getByTestId("audit-args").getByText("TERM", { exact: true }) });
  await term.click();
  const region = page.getByTestId("memory-region");
  await expect(region).toHaveCount(1);
  await expect(region).toHaveAttribute("data-access", "read");
  await expect(region).toHaveAttribute("data-length", "4");
  const ptr = Number(await region.getAttribute("data-ptr"));
  await expect(region.getByTestId("region-ptr")).toHaveText(`0x${ptr.toString(16).padStart(8, "0")}`);
  // The dump starts at the pointer: the first row's address is the pointer, its bytes the key.
  await expect(region.getByTestId("hex-row").first()).toHaveText(new RegExp(`^0x${ptr.toString(16).padStart(8, "0")}\\s+54 45 52 4d\\s+TERM$`));
  await expect(page.getByTestId("return-buffer").getByTestId("hex-text")).toHaveText(["xterm-256color"]);

  // The return_buffer_read after it wrote the value at its out pointer.
  const read = current(page).getByTestId("audit-row").filter({ has: page.getByTestId("audit-function").getByText("return_buffer_read", { exact: true }) }).first();
  const args = await read.getByTestId("audit-args").innerText();
  const outPtr = Number(/out_ptr=(0x[0-9a-f]+)/.exec(args)?.[1]);
  await read.click();
  await expect(page.getByTestId("memory-region")).toHaveAttribute("data-access", "written");
  await expect(page.getByTestId("memory-region")).toHaveAttribute("data-ptr", String(outPtr));
  await expect(page.getByTestId("memory-region").getByTestId("hex-text")).toHaveText(["xterm-256color"]);
});

test("without record memory, selecting an entry says how to turn it on", async ({ page }) => {
  await envReaderCalled(page, false);
  await current(page).getByTestId("audit-row").first().click();
  await expect(page.getByTestId("memory-off")).toBeVisible();
  await expect(page.getByTestId("memory-view")).toHaveCount(0);
});

test("the audit filters narrow by function, outcome, call and args", async ({ page }) => {
  await envReaderCalled(page, false);
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("call-output")).toHaveCount(2);
  const rows = current(page).getByTestId("audit-row");
  // Per on_reload: Rust's std reads the environment (environ_sizes_get, environ_get), then 8 host calls.
  await expect(rows).toHaveCount(20);
  await page.getByTestId("filter-function").selectOption("env_get");
  await expect(rows.getByTestId("audit-args")).toHaveText(["TERM", "HOME", "FT_THEME", "TERM", "HOME", "FT_THEME"]);
  await page.getByTestId("filter-outcome").selectOption("Denied");
  await expect(rows.getByTestId("audit-args")).toHaveText(["HOME", "HOME"]);
  await page.getByTestId("filter-call").selectOption("1");
  await expect(rows.getByTestId("audit-call")).toHaveText(["#2 on_reload"]);
  await page.getByTestId("filter-function").selectOption("");
  await page.getByTestId("filter-outcome").selectOption("");
  await page.getByTestId("filter-search").fill("ft_theme");
  await expect(rows.getByTestId("audit-args")).toHaveText(["FT_THEME", "level=2 msg=FT_THEME=dracula"]);
});

test("the exported audit JSON parses and matches the table, in FrankenTerm's record shape", async ({ page }) => {
  await envReaderCalled(page, false);
  const rows = current(page).getByTestId("audit-row");
  await expect(rows).toHaveCount(10);
  const table = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      elapsed: Number(tr.querySelector("[data-testid=audit-elapsed]")?.textContent?.replace(/,/g, "")),
      function: tr.querySelector("[data-testid=audit-function]")?.textContent ?? "",
      args: tr.querySelector("[data-testid=audit-args]")?.textContent ?? "",
      outcome: tr.querySelector("[data-testid=audit-outcome]")?.textContent ?? "",
    })),
  );
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-audit").click()]);
  expect(download.suggestedFilename()).toBe("env-reader-audit.json");
  const records = JSON.parse(await readFile(await download.path(), "utf8")) as {
    elapsed: { secs: number; nanos: number };
    extension_id: string;
    function: string;
    args_summary: string;
    outcome: "Ok" | { Denied: string } | { Error: string };
  }[];
  const outcomeText = (o: (typeof records)[number]["outcome"]) => (o === "Ok" ? "Ok" : "Denied" in o ? `Denied(${JSON.stringify(o.Denied)})` : `Error(${JSON.stringify(o.Error)})`);
  expect(
    records.map((r) => ({ elapsed: r.elapsed.secs * 1_000_000 + r.elapsed.nanos / 1000, function: r.function, args: r.args_summary, outcome: outcomeText(r.outcome) })),
  ).toEqual(table);
  expect(new Set(records.map((r) => r.extension_id))).toEqual(new Set(["env-reader"]));
  expect(Object.keys(records[0] ?? {})).toEqual(["elapsed", "extension_id", "function", "args_summary", "outcome"]);
});

for (const record of [false, true]) {
  test(`the timeline of env-reader has one bar per host call (record memory ${record ? "on" : "off"})`, async ({ page }) => {
    await envReaderCalled(page, record);
    const functions = await current(page).getByTestId("audit-function").allInnerTexts();
    const wasi = functions.filter((f) => f.startsWith("environ_"));
    // 2 WASI calls (Rust's std reading the environment), then 3 env_get, 2 return_buffer_read, 3 ft_log.
    expect([functions.length, wasi.length]).toEqual([10, 2]);
    await showTab(page, "timeline");
    const chart = page.getByTestId("timeline-chart");
    await expect(chart).toHaveAttribute("data-hook-bars", "1");
    await expect(chart).toHaveAttribute("data-host-bars", "8");
    await expect(chart).toHaveAttribute("data-wasi-bars", "2");
    await expect(chart.locator("canvas")).toHaveCount(1);
  });
}

test("selecting hello's fd_write entry shows its iovecs and the line they point at, and nwritten after", async ({ page }) => {
  await showTab(page, "audit");
  await page.getByTestId("record-memory").check();
  await loadExample(page, "hello");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("call-output")).toHaveCount(1);
  await showTab(page, "audit");
  const stdout = current(page).getByTestId("audit-row").filter({ has: page.getByTestId("audit-function").getByText("fd_write", { exact: true }) }).first();
  await stdout.click();
  const regions = page.getByTestId("memory-region");
  await expect(regions.first()).toHaveAttribute("data-access", "read");
  const count = await regions.count();
  // iovs, then one region per iovec (Rust's LineWriter may pass an empty one), then nwritten.
  expect(count).toBeGreaterThanOrEqual(3);
  await expect(regions.filter({ hasText: "hello, stdout" })).toHaveCount(1);
  await expect(regions.last()).toHaveAttribute("data-access", "written");
  await expect(regions.last()).toHaveAttribute("data-length", "4");
});
