/**
 * Start of a run from the page: the production build (`next start`) in headless Chromium,
 * from the click on an example to the page showing the loaded instance, cold (a fresh
 * browser context: no IndexedDB entry, no compiled module in the page) against warm (the
 * same module loaded again on that page: the memory cache's compiled module), for a
 * small example (hello-c) and the largest one of the index. Needs `.next/` (`npm run build`); skipped otherwise.
 *
 * The time is taken in the page: a MutationObserver resolves when the instance's facts
 * appear, so Playwright's polling interval is not part of it.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM, CHROMIUM_ARGS } from "./chromium/run";
import { commandsFromPage } from "./commands-from-page";
import { goalExamples, goalRows } from "./goals";
import { summarize, type CaseResult } from "./measure";
import type { GroupMeta } from "./report";

/** Cold samples (each a new browser context) and warm samples per example. */
const COLD_SAMPLES = 5;
const WARM_SAMPLES = 10;
/**
 * Every start, cold or warm, begins on an idle page: this long after the page opened or the
 * previous start ended, as a person's next click comes. Without it, warm loads fired back to
 * back would time the start-up of the spare Worker the previous load began (50–100 ms),
 * which no one clicking waits for.
 */
const SETTLE_MS = 1000;

/** A free port when `port` is 0. */
async function freePort(port: number): Promise<number> {
  if (port !== 0) return port;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  stopServer(child);
  throw new Error(`next start did not answer on port ${port} within 60 s`);
}

function stopServer(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
}

/**
 * Clicks `selector` in the page and returns the ms until an instance of `extension` other
 * than the one shown before appears (`data-instance-id` is fresh per load).
 */
async function timeLoad(page: Page, selector: string, extension: string): Promise<number> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  const elapsed = await page.evaluate(`new Promise((resolve, reject) => {
    const facts = () => document.querySelector(${JSON.stringify(`[data-testid="extension-facts"][data-extension-name="${extension}"]`)});
    const before = facts()?.getAttribute("data-instance-id") ?? "none";
    const button = document.querySelector(${JSON.stringify(selector)});
    if (!button) return reject(new Error(${JSON.stringify(`no ${selector} on the page`)}));
    const timer = setTimeout(() => reject(new Error(${JSON.stringify(`${extension} did not load within 60 s`)})), 60000);
    const started = performance.now();
    const observer = new MutationObserver(() => {
      const id = facts()?.getAttribute("data-instance-id");
      if (id !== undefined && id !== null && id !== before) {
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now() - started);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    button.click();
  })`);
  if (typeof elapsed !== "number") throw new Error(`the page returned ${String(elapsed)} for ${extension}'s load time`);
  return elapsed;
}

async function openPage(browser: Browser, origin: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin);
  await page.getByTestId("example-menu").waitFor();
  return { context, page };
}

/** The small example timed beside the largest: a C reactor of a few KB. */
const SMALL_EXAMPLE = "hello-c";

/** An example of `public/extensions/index.json`, as the picker names it. */
interface Example {
  /** Which of the two it is: the goals table reads the rows by it. */
  size: (typeof goalExamples)[number];
  /** The extension's name (`data-extension-name` of the loaded instance). */
  name: string;
  /** The picker's test id suffix: the name, after its group for grouped examples. */
  testId: string;
  kb: number;
}

/** The examples timed: {@link SMALL_EXAMPLE} and the largest module of the index (every group). */
function examples(): Example[] {
  const indexFile = new URL("../public/extensions/index.json", import.meta.url);
  if (!existsSync(indexFile)) return [];
  const index = JSON.parse(readFileSync(indexFile, "utf8")) as { name: string; wasm: string; group?: string }[];
  const all = index.map((e) => ({
    size: goalExamples[0],
    name: e.name,
    testId: e.group ? `${e.group}-${e.name}` : e.name,
    kb: statSync(new URL(`../public${e.wasm}`, import.meta.url)).size / 1024,
  }));
  const small = all.find((e) => e.name === SMALL_EXAMPLE);
  const largest = all.reduce<Example | undefined>((max, e) => (max === undefined || e.kb > max.kb ? e : max), undefined);
  const chosen: Example[] = [];
  if (small) chosen.push({ ...small, size: goalExamples[0] });
  if (largest && largest !== small) chosen.push({ ...largest, size: goalExamples[1] });
  return chosen;
}

/** A group measured from the page, as `formatGroup` and `groupJson` take it. */
export interface PageGroup {
  meta: GroupMeta;
  results: CaseResult[];
}

/**
 * The groups measured against the production server from Chromium (one server, one
 * browser): page start, and commands through the route from the page
 * (`bench/commands-from-page.ts`), each when `wanted`; with why any was skipped.
 * @param port the server's port (`BENCH_PORT`; 0 picks a free one).
 */
export async function pageGroups(port: number, wanted: { start: boolean; commands: boolean }): Promise<{ groups: PageGroup[]; skipped: string[] }> {
  if (!existsSync(new URL("../.next/BUILD_ID", import.meta.url))) {
    return { groups: [], skipped: ["page start and commands from the page not measured: no production build (.next/); run `npm run build` first."] };
  }
  const chosen = wanted.start ? examples() : [];
  const skipped = wanted.start && chosen.length === 0 ? ["page start not measured: public/extensions/ is not built (`npm run build:extensions`)."] : [];
  if (chosen.length === 0 && !wanted.commands) return { groups: [], skipped };
  const bound = await freePort(port);
  const server = await startServer(bound);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const groups: PageGroup[] = [];
    if (chosen.length > 0) groups.push(await pageStart(browser, `http://127.0.0.1:${bound}/`, chosen));
    if (wanted.commands) {
      const { context, page } = await openPage(browser, `http://127.0.0.1:${bound}/`);
      groups.push(await commandsFromPage(page));
      await context.close();
    }
    return { groups, skipped };
  } finally {
    await browser.close();
    stopServer(server);
  }
}

/** Cold and warm starts of each of `chosen` from the page at `origin`. */
async function pageStart(browser: Browser, origin: string, chosen: Example[]): Promise<PageGroup> {
  const results: CaseResult[] = [];
  for (const { size: which, name, testId, kb } of chosen) {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      const { context, page } = await openPage(browser, origin);
      // The menu is opened before the clock starts: the time is the example's start, not the menu's.
      await page.getByTestId("example-menu").click();
      await page.getByTestId(`example-${testId}`).waitFor();
      await page.waitForTimeout(SETTLE_MS);
      cold.push(await timeLoad(page, `[data-testid="example-${testId}"]`, name));
      if (i === 0) {
        const cache = await page.getByTestId("module-cache").innerText();
        if (!cache.includes("cache miss")) throw new Error(`a cold load of ${name} was not a cache miss: ${cache}`);
        for (let j = 0; j < WARM_SAMPLES; j++) {
          await page.waitForTimeout(SETTLE_MS);
          warm.push(await timeLoad(page, `[data-testid="load-button"]`, name));
        }
        const again = await page.getByTestId("module-cache").innerText();
        if (!again.includes("memory cache hit")) throw new Error(`a warm load of ${name} was not a memory cache hit: ${again}`);
      }
      await context.close();
    }
    const size = `${kb.toFixed(1)} KB`;
    results.push(summarize(`${which} (${name}): ${goalRows.startCold}`, "baseline", cold, `${size}; fresh context: fetch, hash, validate, instrument, compile, IndexedDB`));
    const warmRow = summarize(`${which} (${name}): ${goalRows.startWarm}`, "ours", warm, `${size}; same page: the memory cache's compiled module`);
    const coldRow = results[results.length - 1];
    if (coldRow) warmRow.ratio = warmRow.p50PerOp / coldRow.p50PerOp;
    results.push(warmRow);
  }
  const meta: GroupMeta = {
    id: "page-start",
    title: "Start of a run from the page (next start, Chromium): click to loaded instance; time per start",
    per: "start",
    unit: "ms",
    reference: results[0]?.name ?? "",
    ratioLabel: "× cold (p50)",
    timeMs: 0,
    notes: [
      `Cold: ${COLD_SAMPLES} fresh browser contexts each; warm: ${WARM_SAMPLES} loads of the same module on one page (the load button); each start ${SETTLE_MS} ms after the page opened or the previous start.`,
      "Every start gets its own Worker, as the page gives each load: one of the spares it starts ahead (app/components/extension-worker.ts). A spare has loaded and called a built-in guest once (warmUpGuest in lib/instance.ts), so the load path is compiled.",
    ],
  };
  return { meta, results };
}
