import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";
import { expect, test } from "@playwright/test";
import { checkResultDocument } from "../lib/commands/validate";

/** 100 batches at once against the real route and executor on loopback; every answer must arrive, validate and be right. */
test("100 concurrent batches all arrive, validate and carry the right values", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const batch = JSON.stringify([
    { action: "add", args: { a: 40, b: 2 } },
    { action: "sha256", args: { text: "load test" } },
    { action: "base64_encode", args: { text: "load test" } },
  ]);
  const expected = {
    results: [
      { index: 0, action: "add", status: "ok", value: 42 },
      { index: 1, action: "sha256", status: "ok", value: createHash("sha256").update("load test").digest("hex") },
      { index: 2, action: "base64_encode", status: "ok", value: Buffer.from("load test").toString("base64") },
    ],
  };
  const statuses: number[] = [];
  const problems: string[] = [];
  let bodies = 0;
  const result = await autocannon({
    url: `${baseURL}/api/commands`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: batch,
    connections: 100,
    amount: 100,
    timeout: 60,
    setupClient(client) {
      client.on("body", (body: Buffer) => {
        try {
          bodies += 1;
          const document: unknown = JSON.parse(body.toString("utf8"));
          const problem = checkResultDocument(document);
          if (problem) problems.push(`${problem.path}: ${problem.message}`);
          else if (!isDeepStrictEqual(document, expected)) problems.push(`wrong values: ${JSON.stringify(document)}`);
        } catch (error) {
          problems.push(String(error));
        }
      });
      client.on("response", (status: number) => statuses.push(status));
    },
  });
  console.log(
    `load: ${result.requests.total} batches, latency ms p50 ${result.latency.p50} p90 ${result.latency.p90} p99 ${result.latency.p99} max ${result.latency.max}, ` +
      `${result.requests.average} req/s, errors ${result.errors}, timeouts ${result.timeouts}`,
  );
  expect(result.errors).toBe(0);
  expect(result.timeouts).toBe(0);
  expect(statuses).toHaveLength(100);
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(bodies).toBe(100);
  expect(problems).toEqual([]);
});
