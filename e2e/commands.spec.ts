import { expect, test } from "@playwright/test";
import { currentRun, loadExample, openPlayground } from "./helpers";

const HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

test.describe("ft_command through the route and the executor", () => {
  for (const transport of ["jspi", "atomics", "sync-xhr"] as const) {
    test(`calc sends one command and a batch of three (${transport})`, async ({ page }) => {
      await page.goto(`/?transport=${transport}`);
      await expect(page.getByTestId("example-menu")).toBeEnabled();
      await loadExample(page, "calc");
      await expect(page.getByTestId("command-transport")).toContainText(
        { jspi: "JSPI", atomics: "Atomics.wait", "sync-xhr": "synchronous XMLHttpRequest" }[transport],
      );
      await page.getByTestId("hook-on_reload").click();
      await expect(page.getByTestId("log-line")).toHaveText([
        '[INFO] add 2 + 40: {"results":[{"index":0,"action":"add","status":"ok","value":42}]}',
        `[INFO] batch of 3: {"results":[{"index":0,"action":"sha256","status":"ok","value":"${HELLO_SHA256}"},` +
          '{"index":1,"action":"base64_encode","status":"ok","value":"aGVsbG8="},' +
          '{"index":2,"action":"subtract","status":"ok","value":-48}]}',
      ]);
      const rows = page.getByTestId("audit-row").filter({ hasText: "ft_command" });
      await expect(rows).toHaveCount(2);
      await expect(rows.getByTestId("audit-outcome")).toHaveText(["Ok", "Ok"]);
      await expect(rows.nth(0).getByTestId("audit-args")).toHaveText('{"action":"add","args":{"a":2,"b":40}}');
    });
  }

  test("an overflow is an error result, not a wrapped number", async ({ page }) => {
    await openPlayground(page);
    await loadExample(page, "calc");
    await page.getByTestId("hook-on_key").click();
    await expect(page.getByTestId("log-line")).toHaveText([
      '[INFO] overflow: {"results":[{"index":0,"action":"add","status":"error","error":{"code":"overflow","message":"9007199254740991 + 1 is outside the safe integer range -9007199254740991..=9007199254740991"}}]}',
    ]);
  });

  test("an invalid command names its JSON Pointer; a denied one names the action; the page stays usable", async ({ page }) => {
    await openPlayground(page);
    await loadExample(page, "bad-command");
    await page.getByTestId("hook-on_reload").click();
    await expect(page.getByTestId("log-line")).toHaveText([
      '[WARN] a is a string -> -1: {"error":{"code":"invalid_command","message":"/1/args/a must be integer","path":"/1/args/a"}}',
      '[WARN] run_binary -> -1: {"error":{"code":"denied","message":"command not permitted: run_binary ([permissions] commands allows: add)"}}',
    ]);
    const outcomes = page.getByTestId("audit-row").filter({ hasText: "ft_command" }).getByTestId("audit-outcome");
    await expect(outcomes).toHaveText([
      'Error("invalid_command: /1/args/a must be integer")',
      'Denied("command not permitted: run_binary ([permissions] commands allows: add)")',
    ]);
    await loadExample(page, "calc");
    await page.getByTestId("hook-on_reload").click();
    await expect(currentRun(page).getByTestId("log-line").last()).toContainText("batch of 3");
  });
});

test.describe("POST /api/commands", () => {
  test("runs a batch and returns one result per command", async ({ request }) => {
    const response = await request.post("/api/commands", { data: [{ action: "add", args: { a: 1, b: 2 } }, { action: "base64_encode", args: { text: "hi" } }] });
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      results: [
        { index: 0, action: "add", status: "ok", value: 3 },
        { index: 1, action: "base64_encode", status: "ok", value: "aGk=" },
      ],
    });
  });

  test("a schema error is 400 with the failing path", async ({ request }) => {
    const response = await request.post("/api/commands", { data: { action: "sleep_ms", args: { ms: 5000 } } });
    expect(response.status()).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_command", message: "/args/ms must be <= 1000", path: "/args/ms" } });
  });

  test("malformed JSON is 400", async ({ request }) => {
    const response = await request.post("/api/commands", { data: Buffer.from("{ nope"), headers: { "content-type": "application/json" } });
    expect(response.status()).toBe(400);
    expect((await response.json()).error.code).toBe("malformed_json");
  });

  test("a body over 1 MiB is 413", async ({ request }) => {
    const text = "x".repeat(1024 * 1024);
    const response = await request.post("/api/commands", { data: { action: "sha256", args: { text } } });
    expect(response.status()).toBe(413);
    expect((await response.json()).error.code).toBe("too_large");
  });

  test("run_binary is refused while the server's allow-list is empty", async ({ request }) => {
    const response = await request.post("/api/commands", { data: { action: "run_binary", args: { path: "/bin/echo", args: ["hi"] } } });
    expect(response.status()).toBe(200);
    expect((await response.json()).results[0].error).toEqual({ code: "run_binary_disabled", message: "run_binary is disabled: the server's allow-list is empty" });
  });

  test("an executor that runs past 5 s is killed: 504", async ({ request }) => {
    // 60 s of sleeps: an executor left to finish would answer after a minute, one killed at 5 s
    // well before the 30 s bound below (a margin that holds on busy cores).
    const batch = Array.from({ length: 60 }, () => ({ action: "sleep_ms", args: { ms: 1000 } }));
    const started = Date.now();
    const response = await request.post("/api/commands", { data: batch, timeout: 90_000 });
    expect(response.status()).toBe(504);
    expect(await response.json()).toEqual({ error: { code: "timeout", message: "the executor ran longer than 5000 ms and was killed" } });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(30_000);
  });
});
