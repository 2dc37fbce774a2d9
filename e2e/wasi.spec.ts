import { expect, test, type Page } from "@playwright/test";
import { loadExample, openPlayground, showTab } from "./helpers";

/** The conformance programs (extensions/conformance/), what each needs, and the exit status expected. */
const CONFORMANCE: { name: string; exit: number; env?: string; stdin?: string }[] = [
  ...["c", "rs"].flatMap((lang) => [
    { name: `files-${lang}`, exit: 0 },
    { name: `dirs-${lang}`, exit: 0 },
    { name: `fs-exact-${lang}`, exit: 0 },
    { name: `clocks-${lang}`, exit: 0 },
    { name: `args-env-${lang}`, exit: 0, env: "TERM=xterm-256color\nHOME=/home/user\nCONFORMANCE_GREETING=hello" },
    { name: `exit-code-${lang}`, exit: 3 },
    { name: `stdin-${lang}`, exit: 0, stdin: "line one\nline two ✓\n" },
    { name: `denied-${lang}`, exit: 0 },
  ]),
];

async function runConformance(page: Page, program: (typeof CONFORMANCE)[number]) {
  await showTab(page, "environment");
  if (program.env) await page.getByTestId("env-editor").fill(program.env);
  if (program.stdin) await page.getByTestId("stdin-editor").fill(program.stdin);
  await loadExample(page, `conformance-${program.name}`, program.name);
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("exit-code")).toHaveText(`exited with status ${program.exit}`);
  await expect(page.getByTestId("trap")).toHaveCount(0);
}

test.beforeEach(async ({ page }) => openPlayground(page));

for (const program of CONFORMANCE) {
  test(`conformance ${program.name} exits ${program.exit} in Chromium`, async ({ page }) => {
    await runConformance(page, program);
    if (program.exit === 0) await expect(page.getByTestId("stdout-line").last()).toHaveText(new RegExp(`^stdout │ ${program.name}: ok\\b`));
  });
}

test("files an extension writes show up in the file tree", async ({ page }) => {
  await runConformance(page, { name: "files-c", exit: 0 });
  await showTab(page, "files");
  await expect(page.locator('[data-testid="file-entry"][data-path="/work/final.txt"]')).toBeVisible();
  await page.locator('[data-testid="file-entry"][data-path="/work/final.txt"]').click();
  await expect(page.getByTestId("file-content")).toHaveValue("files-c: ok\n");
});

test("a denied write returns EACCES and is audited as fs_write Denied", async ({ page }) => {
  await runConformance(page, { name: "denied-c", exit: 0 });
  await showTab(page, "files");
  const denied = page.getByTestId("audit-row").filter({ hasText: "fs_write" }).filter({ hasText: "Denied" });
  await expect(denied.first().getByTestId("audit-outcome")).toHaveText('Denied("write access denied: /data/forbidden.txt")');
  await expect(page.locator('[data-testid="file-entry"][data-path="/data/out/ok.txt"]')).toBeVisible();
});

test("a hook reads files the user added and writes where the manifest allows", async ({ page }) => {
  await showTab(page, "files");
  await page.getByTestId("new-path").fill("/data/todo.txt");
  await page.getByTestId("add-file").click();
  await page.getByTestId("file-content").fill("buy milk\nand bread\n");
  await loadExample(page, "notes");
  await expect(page.getByTestId("preopens")).toContainText("fd 3 = /data, fd 4 = /work");
  await expect(page.getByTestId("preopens")).toContainText("the host code's filesystem");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText([
    "[INFO] /data/readme.txt: Readable by extensions with read:/data (or write:/data).",
    "[INFO] /data/todo.txt: buy milk",
    /^\[WARN\] writing \/data\/forbidden.txt: Permission denied/,
  ]);
  await page.getByTestId("hook-on_output").click();
  await expect(page.getByTestId("log-line").last()).toHaveText("[INFO] appended to /work/notes.txt");
  await page.locator('[data-testid="file-entry"][data-path="/work/notes.txt"]').click();
  await expect(page.getByTestId("file-content")).toHaveValue('{"pane_id":1,"text":"ls -l\\n"}\n');
});

test("stdout streams to the page while the hook runs, and sleeps really wait", async ({ page }) => {
  await loadExample(page, "ticker");
  // Record every streamed line as it appears, with whether the call had finished by then: a
  // check of the page's state, not a race between the test's polling and the call.
  await page.evaluate(() => {
    const seen: { text: string; finished: boolean }[] = [];
    (window as unknown as { seenLive: typeof seen }).seenLive = seen;
    new MutationObserver(() => {
      const finished = document.querySelectorAll('[data-testid="call-output"]').length > 0;
      document.querySelectorAll<HTMLElement>('[data-testid="live-line"]').forEach((line) => {
        if (!line.dataset.seen) {
          line.dataset.seen = "1";
          seen.push({ text: line.innerText, finished });
        }
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.getByTestId("hook-on_reload").click();
  // The call takes the five 300 ms sleeps…
  await expect(page.getByTestId("stdout-line")).toHaveCount(5);
  // …and ticks 1 to 4 were on the page while the call was still running (tick 5 is written
  // just before the hook returns, so it may arrive with the result).
  const seen = await page.evaluate(() => (window as unknown as { seenLive: { text: string; finished: boolean }[] }).seenLive);
  const whileRunning = seen.filter((line) => !line.finished).map((line) => /tick (\d)/.exec(line.text)?.[1]);
  expect(whileRunning.slice(0, 4)).toEqual(["1", "2", "3", "4"]);
  expect(seen[0]?.text).toMatch(/^stdout │ tick 1 at \d+ ms$/);
  // The guest's own clock says the five 300 ms sleeps took at least 1.5 s, and no longer than the call itself.
  const last = await page.getByTestId("stdout-line").last().innerText();
  const elapsed = Number(/^stdout │ tick 5 at (\d+) ms$/.exec(last)?.[1]);
  expect(elapsed).toBeGreaterThanOrEqual(1500);
  const header = await page.getByTestId("call-output").last().innerText();
  const callMs = Number(/ · ([\d.]+) ms · /.exec(header)?.[1]);
  expect(elapsed).toBeLessThanOrEqual(callMs);
});
