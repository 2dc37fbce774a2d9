import { expect, test, type Page } from "@playwright/test";
import { builtFile as built, editManifestAndLoad, expectFreshInstance, helloStillRuns, loadExample, openPlayground, uploadFiles, pickExample } from "./helpers";

const upload = (page: Page, name: string, bytes: Buffer, manifest: Buffer) =>
  uploadFiles(page, [
    { name, buffer: bytes },
    { name: "extension.toml", buffer: manifest },
  ]);

test.beforeEach(async ({ page }) => openPlayground(page));

test("unreachable traps with the hook, the kind and the function, and the next run works", async ({ page }) => {
  await loadExample(page, "hostile-unreachable", "unreachable");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveText("trap in on_reload: unreachable: unreachable in function explode (#0)");
  await helloStillRuns(page);
});

test("unbounded recursion is a stack overflow, and the same instance can be called again", async ({ page }) => {
  await loadExample(page, "hostile-recursion", "recursion");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveText(/^trap in on_reload: stack_overflow: call stack exhausted in function deeper/);
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("trap")).toHaveCount(2);
  await helloStillRuns(page);
});

test("1,000,000 ft_log calls: the page keeps 1,000 lines, counts the rest, and stays responsive", async ({ page }) => {
  await loadExample(page, "hostile-log-flood", "log-flood");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("dropped-logs")).toHaveText("… 999,000 more log lines not shown (1,000,000 in all)");
  await expect(page.getByTestId("log-line")).toHaveCount(1000);
  await expect(page.getByTestId("dropped-audit")).toContainText("the newest 1,000 of 1,000,000 records");
  await helloStillRuns(page);
});

test("an unknown import fails to link, naming it, before anything runs", async ({ page }) => {
  await pickExample(page, "hostile-unknown-import");
  await expect(page.getByTestId("error")).toContainText("Could not load unknown-import (link)");
  await expect(page.getByTestId("error")).toContainText('the module imports function "env"."ft_launch_missiles", which the host does not provide');
  await helloStillRuns(page);
});

test("a host function imported with the wrong type is refused at link time, naming both types", async ({ page }) => {
  await pickExample(page, "hostile-wrong-signature");
  await expect(page.getByTestId("error")).toContainText("Could not load wrong-signature (link)");
  await expect(page.getByTestId("error")).toContainText(
    '"env"."ft_get_env" is imported as (i64, i32) -> i32, but the host function is (i32, i32) -> i32',
  );
  await helloStillRuns(page);
});

test("truncated bytes, bad magic and an invalid section are compile errors naming the problem", async ({ page }) => {
  const good = await built("hello.wasm");
  const manifest = await built("hello.toml");
  const cases: [string, Buffer, RegExp][] = [
    ["truncated.wasm", good.subarray(0, 200), /not a valid WebAssembly module \(200 bytes\)/],
    ["magic.wasm", Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6e]), good.subarray(4)]), /expected magic word 00 61 73 6d, found 00 61 73 6e @\+0/],
    // Section id 99 does not exist.
    ["section.wasm", Buffer.concat([good.subarray(0, 8), Buffer.from([99, 1, 0])]), /unknown section code #0x63 @\+10/],
  ];
  for (const [name, bytes, expected] of cases) {
    await upload(page, name, bytes, manifest);
    await expect(page.getByTestId("error")).toContainText(`Could not load ${name} (compile)`);
    await expect(page.getByTestId("error")).toContainText(expected);
  }
  await helloStillRuns(page);
});

test("a hook that runs past max_wall_time_secs is stopped by ending its worker, within the limit + 10 %", async ({ page }) => {
  await loadExample(page, "hostile-loop", "loop");
  const before = await editManifestAndLoad(page, /fuel_per_call = \d+/, "fuel_per_call = 1000000000000000");
  await expectFreshInstance(page, before, "loop");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("error")).toContainText("hook on_reload (config.reload) timed out", { timeout: 20_000 });
  const message = await page.getByTestId("error").innerText();
  expect(message).toContain("ran longer than max_wall_time_secs = 3 s and was stopped after ");
  // Counted from when the guest was entered: never early, and at most 10 % late.
  const after = Number(/stopped after (\d+\.\d) s of guest time/.exec(message)?.[1]);
  expect(after).toBeGreaterThanOrEqual(3.0);
  expect(after).toBeLessThanOrEqual(3.3);
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
  await helloStillRuns(page);
});

test("the host's own work is not charged to max_wall_time_secs: a large module loads under a 50 ms limit", async ({ page }) => {
  // 40,000 functions of 120 instructions each (about 14 MB): hashing, instrumenting and
  // compiling it takes far longer than 50 ms, the guest's own work (one short call) far less.
  const manifest = Buffer.from(
    ['[extension]', 'name = "large"', 'version = "1.0.0"', '[hooks]', '"config.reload" = "on_reload"', '[limits]', "max_wall_time_secs = 0.05", ""].join("\n"),
  );
  await upload(page, "large.wasm", largeModule(40_000, 120), manifest);
  await expectFreshInstance(page, -1, "large");
  const cache = await page.getByTestId("module-cache").innerText();
  const prepareMs = Number(/in ([\d.]+) ms/.exec(cache)?.[1]);
  expect(prepareMs, "the scenario needs preparation longer than the limit").toBeGreaterThan(50);
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("call-output")).toHaveCount(1);
  await expect(page.getByTestId("error")).toHaveCount(0);
});

test("ending a running hook (another load, or Reset) leaves no timer behind to end the next instance", async ({ page }) => {
  await loadExample(page, "hostile-loop", "loop");
  let before = await editManifestAndLoad(page, /fuel_per_call = \d+/, "fuel_per_call = 1000000000000000");
  await expectFreshInstance(page, before, "loop");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("live-output")).toBeVisible();
  // Loading hello ends the looping worker; the loop's 3 s wall-time limit must not end hello's:
  // 5 s later (2 s past the loop's deadline) hello is still there and answers.
  await loadExample(page, "hello");
  await page.waitForTimeout(5_000);
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);

  // Reset during a call frees the page at once: with a 60 s limit, a page that waited for the
  // limit would still be busy when this test times out.
  await loadExample(page, "hostile-loop", "loop");
  before = await editManifestAndLoad(page, /fuel_per_call = \d+\nmax_wall_time_secs = 3/, "fuel_per_call = 1000000000000000\nmax_wall_time_secs = 60");
  await expectFreshInstance(page, before, "loop");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("live-output")).toBeVisible();
  await page.getByTestId("reset-button").click();
  await expect(page.getByTestId("load-button")).toBeEnabled();
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
  await expect(page.getByTestId("error")).toHaveCount(0);
});

/** A module of `functions` functions of `instructions` × (i32.const 1, drop) each, exporting the first as `on_reload`. */
function largeModule(functions: number, instructions: number): Buffer {
  const leb = (n: number) => {
    const out: number[] = [];
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    return out;
  };
  const section = (id: number, body: number[] | Buffer) => Buffer.concat([Buffer.from([id, ...leb(body.length)]), Buffer.from(body)]);
  const name = [...Buffer.from("on_reload")];
  const body = [0, ...Array.from({ length: instructions }, () => [0x41, 0x01, 0x1a]).flat(), 0x0b];
  const code = Buffer.concat([Buffer.from(leb(functions)), ...Array.from({ length: functions }, () => Buffer.from([...leb(body.length), ...body]))]);
  return Buffer.concat([
    Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
    section(1, [1, 0x60, 0, 0]),
    section(3, [...leb(functions), ...new Array<number>(functions).fill(0)]),
    section(7, [1, name.length, ...name, 0x00, 0]),
    section(10, code),
  ]);
}
