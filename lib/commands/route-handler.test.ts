import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createCommandHandler, statusOfExit } from "./route-handler";
import { defaultExecutorOptions, type ExecutorOptions } from "./run-executor";

/** The real executor, built by set-up (scripts/executor.sh build). */
const executor = defaultExecutorOptions().binary;

const post = (body: unknown, signal?: AbortSignal) =>
  new Request("http://127.0.0.1/api/commands", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });

const handler = (options: Partial<ExecutorOptions> = {}, executors = 2, maxWaiting = 10) =>
  createCommandHandler({ executors, maxWaiting, options: { ...defaultExecutorOptions(), ...options } });

/**
 * A stand-in executor: a shell script. Only for faults the real executor cannot be made to
 * show through the route (an answer the result schema refuses, a crash, a rejection that ajv
 * let through); where it can, the script runs the real binary.
 */
function standIn(script: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "executor-")), "executor.sh");
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

const slowBatch = (seconds: number) => Array.from({ length: seconds }, () => ({ action: "sleep_ms", args: { ms: 1000 } }));

test("200: the real executor's results", async () => {
  const response = await handler()(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { results: [{ index: 0, action: "add", status: "ok", value: 3 }] });
});

test("500: an executor that cannot be started is named", async () => {
  const response = await handler({ binary: "/nonexistent/executor" })(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(response.status, 500);
  const body = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "executor_failed");
  assert.match(body.error.message, /^could not start the executor at \/nonexistent\/executor: spawn \/nonexistent\/executor ENOENT$/);
});

test("500: an executor killed by a signal", async () => {
  const response = await handler({ binary: standIn("kill -9 $$") })(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(response.status, 500);
  assert.deepEqual(await response.json(), { error: { code: "executor_failed", message: "the executor was killed by SIGKILL" } });
});

test("500: an executor that exits without a JSON document", async () => {
  const response = await handler({ binary: standIn("echo not json; exit 1") })(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(response.status, 500);
  assert.deepEqual(await response.json(), { error: { code: "executor_failed", message: "the executor exited with 1 without a JSON document on stdout" } });
});

test("502: an answer the result schema refuses is not passed on", async () => {
  const response = await handler({ binary: standIn(`cat >/dev/null; echo '{"results": 5}'`) })(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(response.status, 502);
  const body = (await response.json()) as { error: { code: string; path: string } };
  assert.equal(body.error.code, "bad_executor_output");
  assert.equal(body.error.path, "/results");
});

test("400: the executor's own rejection (exit 2) keeps its document", async () => {
  // The real executor, fed a document it rejects: what it answers when it and ajv disagree.
  const binary = standIn(`cat >/dev/null; printf '%s' '{"action":"add","args":{"a":1}}' | exec '${executor}'`);
  const response = await handler({ binary })(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: { code: string; path: string } };
  assert.equal(body.error.code, "invalid_command");
  assert.equal(body.error.path, "/args");
});

test("exit statuses map to HTTP statuses: 0 → 200, 2 → 400, others → 500", () => {
  assert.deepEqual([0, 1, 2, 3, 101].map(statusOfExit), [200, 500, 400, 500, 500]);
});

test("503: past the waiting bound the handler answers busy at once; the queued request still runs", async () => {
  const handle = handler({}, 1, 1);
  const running = handle(post(slowBatch(3)));
  await sleep(300);
  const waiting = handle(post({ action: "add", args: { a: 1, b: 2 } }));
  await sleep(300);
  const refused = await handle(post({ action: "add", args: { a: 1, b: 2 } }));
  assert.equal(refused.status, 503);
  assert.deepEqual(await refused.json(), { error: { code: "busy", message: "1 requests are already waiting for an executor; try again shortly" } });
  assert.equal((await running).status, 200);
  assert.equal((await waiting).status, 200);
});

test("499: a request whose client went away while it waited is not run", async () => {
  const handle = handler({}, 1, 10);
  const running = handle(post(slowBatch(2)));
  await sleep(300);
  const client = new AbortController();
  const waiting = handle(post({ action: "add", args: { a: 1, b: 2 } }, client.signal));
  client.abort();
  const response = await waiting;
  assert.equal(response.status, 499);
  assert.deepEqual(await response.json(), { error: { code: "abandoned", message: "the request was abandoned while it waited" } });
  assert.equal((await running).status, 200);
});
