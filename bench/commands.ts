/**
 * Native commands through the route: POST /api/commands's handler (`createCommandHandler`,
 * what `app/api/commands/route.ts` exports) with the real executor binary, one command
 * against a batch of 100 in one request. Both pay the same request parsing, schema checks
 * and one executor process; the batch adds 99 commands' validation and work. Node only
 * (the route runs on the server).
 */

import { existsSync } from "node:fs";
import { createCommandHandler } from "../lib/commands/route-handler";
import { defaultExecutorOptions } from "../lib/commands/run-executor";
import { goalRows } from "./goals";
import { check, type Case, type Group } from "./measure";

const command = { action: "add", args: { a: 1, b: 2 } };
const BATCH = 100;

function post(body: unknown): Request {
  return new Request("http://127.0.0.1/api/commands", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

/** One request's results, checked: status 200, one `ok` result of 3 per command. */
async function results(handle: (request: Request) => Promise<Response>, body: unknown, expected: number): Promise<number> {
  const response = await handle(post(body));
  if (response.status !== 200) throw new Error(`the route answered ${response.status}: ${await response.text()}`);
  const document = (await response.json()) as { results: { status: string; value: unknown }[] };
  check(document.results.length === expected, `${document.results.length} results, expected ${expected}`);
  check(document.results.every((r) => r.status === "ok" && r.value === 3), "a result is not add's 3");
  return document.results.length;
}

/** The group, or why it was skipped (the executor is not built). */
export function commandsGroup(timeMs: number): Group | string {
  const options = defaultExecutorOptions();
  if (!existsSync(options.binary)) return `the executor (${options.binary}) is not built: commands not measured. Run \`bash scripts/executor.sh build\`.`;
  const handle = createCommandHandler({ executors: 2, maxWaiting: 10, options });
  const batch = Array.from({ length: BATCH }, () => command);
  const cases: Case[] = [
    { name: goalRows.batchOne, role: "baseline", ops: 1, async: true, run: () => results(handle, command, 1), verify: async () => void (await results(handle, command, 1)) },
    {
      name: goalRows.batchHundred,
      role: "ours",
      ops: 1,
      async: true,
      run: () => results(handle, batch, BATCH),
      verify: async () => void (await results(handle, batch, BATCH)),
      detail: () => `${BATCH} × add in one request: one executor process`,
    },
  ];
  return {
    id: "commands",
    title: "POST /api/commands (the route's handler, real executor); time per request",
    per: "request",
    unit: "ms",
    reference: goalRows.batchOne,
    ratioLabel: "× one",
    timeMs,
    minIterations: 16,
    cases,
    notes: ["Called in-process with a Request, as Next calls the route; the HTTP layer in front is the same for both rows."],
  };
}
