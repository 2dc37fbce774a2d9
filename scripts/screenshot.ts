/**
 * Takes the README's screenshot (docs/screenshot.png) of a running playground:
 * `npx tsx scripts/screenshot.ts [url]` with the server up (default http://localhost:3000).
 */
import { chromium } from "playwright-core";

const url = process.argv[2] ?? "http://localhost:3000";
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1150 } });
await page.goto(url);
await page.getByTestId("example-calc").click();
await page.getByTestId("hook-on_reload").click();
await page.getByTestId("log-line").first().waitFor();
await page.screenshot({ path: "docs/screenshot.png", fullPage: false });
await browser.close();
