import { expect, test } from "@playwright/test";
import { currentRun, loadExample, openPlayground, showTab } from "./helpers";

test.beforeEach(async ({ page }) => openPlayground(page));

test("the fuel profile of hostile/loop names its hottest function, the one that ran out of fuel", async ({ page }) => {
  await showTab(page, "profile");
  await page.getByTestId("profile-fuel").check();
  await loadExample(page, "hostile-loop", "loop");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("trap")).toContainText("ran out of fuel");
  await showTab(page, "profile");
  await expect(page.getByTestId("profile-hottest")).toHaveText("spin");
  await expect(page.getByTestId("profile-summary")).toContainText("on_reload: 50,000,000 of 50,000,000 fuel (ran out)");
  // One function did all the work: the whole budget (and the region that overran it) is its.
  await expect(page.getByTestId("profile-name")).toHaveText(["spin"]);
  const fuel = Number((await page.getByTestId("profile-fuel-used").innerText()).replace(/,/g, ""));
  expect(fuel).toBeGreaterThanOrEqual(50_000_000);
});

test("profiling a tour example names each hook's own code, and off it stays off", async ({ page }) => {
  await showTab(page, "profile");
  await page.getByTestId("profile-fuel").check();
  await loadExample(page, "wat-tour");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("call-output")).toHaveCount(1);
  await showTab(page, "profile");
  await expect(page.getByTestId("profile-hottest")).toHaveText("on_reload");
  const shown = Number((await page.getByTestId("profile-fuel-used").first().innerText()).replace(/,/g, ""));
  const used = Number((await currentRun(page).getByTestId("fuel-used").innerText()).replace(/,/g, ""));
  expect(shown).toBe(used);

  await page.getByTestId("profile-fuel").uncheck();
  await loadExample(page, "wat-tour");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("call-output")).toHaveCount(1);
  await showTab(page, "profile");
  await expect(page.getByTestId("profile-table")).toHaveCount(0);
});
