/**
 * Native commands through the route, from the page: `fetch` in headless Chromium to
 * `POST /api/commands` of the production server (`next start`, the real executor), as the
 * Worker's command transport posts them (`lib/commands/transport.ts`): one command against
 * a batch of 100 in one request. The Chromium side of `bench/commands.ts`, which calls the
 * route's handler in Node without HTTP; here each row also pays the page's request, the
 * HTTP server and Next's routing.
 */

import type { Page } from "@playwright/test";
import { goalRows } from "./goals";
import { summarize, type CaseResult } from "./measure";
import type { GroupMeta } from "./report";

/** Requests per row, taken in turns (one, batch, one, …) so a busy moment costs both alike. */
const SAMPLES = 40;
/** Untimed requests first: the route's module, the executor's first start. */
const WARM_UP = 5;
const BATCH = 100;

/**
 * Times one command and a batch of {@link BATCH} from `page` (open on the server's origin),
 * checking every answer: status 200 and `add`'s result 3 for each command.
 */
export async function commandsFromPage(page: Page): Promise<{ meta: GroupMeta; results: CaseResult[] }> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  const samples = (await page.evaluate(`(async () => {
    const command = { action: "add", args: { a: 1, b: 2 } };
    const bodies = [JSON.stringify(command), JSON.stringify(Array.from({ length: ${BATCH} }, () => command))];
    const post = async (which) => {
      const started = performance.now();
      const response = await fetch("/api/commands", { method: "POST", headers: { "content-type": "application/json" }, body: bodies[which] });
      const document = await response.json();
      const elapsed = performance.now() - started;
      const expected = which === 0 ? 1 : ${BATCH};
      if (response.status !== 200 || document.results.length !== expected || !document.results.every((r) => r.status === "ok" && r.value === 3)) {
        throw new Error("the route answered " + response.status + ": " + JSON.stringify(document).slice(0, 200));
      }
      return elapsed;
    };
    for (let i = 0; i < ${WARM_UP}; i++) { await post(0); await post(1); }
    const one = [], batch = [];
    for (let i = 0; i < ${SAMPLES}; i++) { one.push(await post(0)); batch.push(await post(1)); }
    return { one, batch };
  })()`)) as { one: number[]; batch: number[] };
  const one = summarize(goalRows.batchOne, "baseline", samples.one, "fetch from the page: HTTP, Next's routing, the route, one executor process");
  const batch = summarize(goalRows.batchHundred, "ours", samples.batch, `${BATCH} × add in one request: one executor process`);
  batch.ratio = batch.p50PerOp / one.p50PerOp;
  const meta: GroupMeta = {
    id: "commands",
    title: "POST /api/commands from the page (next start, real executor, Chromium fetch); time per request",
    per: "request",
    unit: "ms",
    reference: goalRows.batchOne,
    ratioLabel: "× one (p50)",
    timeMs: 0,
    notes: [`${SAMPLES} requests of each, in turns, after ${WARM_UP} of each untimed; the same JSON the Worker's command transport posts.`],
  };
  return { meta, results: [one, batch] };
}
