import { expect, test, type Page } from "@playwright/test";
import {
  builtFile,
  currentRun,
  editorText,
  expectFreshInstance,
  helloStillRuns,
  instanceId,
  loadExample,
  openPlayground,
  pickExample,
  setEditorText,
  showTab,
  uploadFiles,
} from "./helpers";

/** A build on the server runs the real compiler in its sandbox: on two busy cores, allow it time. */
const BUILD = { timeout: 90_000 };

test.describe.configure({ timeout: 180_000 });
test.beforeEach(async ({ page }) => openPlayground(page));

/** The example's source as served (what the editor opens with). */
async function servedSource(page: Page, path: string): Promise<string> {
  const response = await page.request.get(`/extensions/${path}`);
  expect(response.status()).toBe(200);
  return response.text();
}

/** Replaces `from` (which must occur) in `text`. */
function edited(text: string, from: string, to: string): string {
  expect(text, `the source should contain ${from}`).toContain(from);
  return text.replace(from, to);
}

/** Clicks Build and waits for a fresh instance of `extension` built from the editor's source. */
async function buildAndLoad(page: Page, extension: string) {
  const before = await instanceId(page);
  await page.getByTestId("build-button").click();
  await expect(page.getByTestId("build-status")).toContainText("Built ", BUILD);
  await expectFreshInstance(page, before, extension);
}

test("every example opens with its real source and manifest", async ({ page }) => {
  for (const [example, source, manifest] of [
    ["hello", "hello.rs", "hello.toml"],
    ["hello-c", "hello-c.c", "hello-c.toml"],
    ["wat-tour", "wat-tour.wat", "wat-tour.toml"],
  ] as const) {
    await loadExample(page, example);
    await page.getByTestId("file-tab-source").click();
    await expect.poll(() => editorText(page, "source-editor")).toBe(await servedSource(page, source));
    await page.getByTestId("file-tab-manifest").click();
    await expect.poll(() => editorText(page, "manifest-editor")).toBe(await servedSource(page, manifest));
  }
});

test("Rust: a new log line, built on the server and run with Ctrl+Enter, shows", async ({ page }) => {
  await loadExample(page, "hello");
  const source = edited(await servedSource(page, "hello.rs"), `log(ERROR, "error: hello from Rust");`, `log(ERROR, "error: hello from Rust");\n    log(INFO, "edited: hello from the workbench");`);
  await setEditorText(page, "source-editor", source);
  const before = await instanceId(page);
  await page.getByTestId("source-editor").locator(".cm-content").press("ControlOrMeta+Enter");
  await expect(page.getByTestId("build-status")).toContainText("Built on the server", BUILD);
  await expectFreshInstance(page, before, "hello");
  // Ctrl+Enter calls the first hook, on_reload, on the new instance.
  await expect(currentRun(page).getByTestId("log-line")).toHaveText([
    "[TRACE] trace: hello from Rust",
    "[DEBUG] debug: hello from Rust",
    "[INFO] info: hello from Rust",
    "[WARN] warn: hello from Rust",
    "[ERROR] error: hello from Rust",
    "[INFO] edited: hello from the workbench",
  ]);
});

test("C: a new log line, built on the server and run, shows", async ({ page }) => {
  await loadExample(page, "hello-c");
  const source = edited(await servedSource(page, "hello-c.c"), `log_str(FT_WARN, "warn: hello from C");`, `log_str(FT_WARN, "warn: hello from C");\n    log_str(FT_INFO, "edited: hello from C");`);
  await setEditorText(page, "source-editor", source);
  await buildAndLoad(page, "hello-c");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] info: hello from C", "[WARN] warn: hello from C", "[INFO] edited: hello from C"]);
});

test("WAT: a new log line, built in the browser with wabt and run, shows", async ({ page }) => {
  await loadExample(page, "wat-tour");
  let source = await servedSource(page, "wat-tour.wat");
  source = edited(source, `(data (i32.const 1024) "payload: ")`, `(data (i32.const 1024) "payload: ")\n  (data (i32.const 2048) "edited in the browser")`);
  source = edited(source, `(i32.const 45)))  ;; its length in bytes`, `(i32.const 45))\n    (call $ft_log (i32.const 3) (i32.const 2048) (i32.const 21)))`);
  await setEditorText(page, "source-editor", source);
  await buildAndLoad(page, "wat-tour");
  await expect(page.getByTestId("build-status")).toContainText("Built in the browser (wabt)");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] wat-tour: hello from hand-written WebAssembly", "[WARN] edited in the browser"]);
});

test("a Rust syntax error is a diagnostic at its line and column, in the list and in the editor", async ({ page }) => {
  await loadExample(page, "hello");
  const lines = (await servedSource(page, "hello.rs")).split("\n");
  const hook = lines.indexOf(`pub extern "C" fn on_reload() {`);
  expect(hook).toBeGreaterThan(0);
  // The new line is line hook + 2 (1-based); `;` is its 18th character.
  lines.splice(hook + 1, 0, "    let broken = ;");
  await setEditorText(page, "source-editor", lines.join("\n"));
  await page.getByTestId("build-button").click();
  await expect(page.getByTestId("build-status")).toHaveText("Build failed.", BUILD);
  const diagnostic = page.getByTestId("diagnostic");
  await expect(diagnostic).toHaveCount(1);
  await expect(diagnostic).toHaveAttribute("data-severity", "error");
  await expect(diagnostic.getByTestId("diagnostic-place")).toHaveText(`${hook + 2}:18`);
  await expect(diagnostic.getByTestId("diagnostic-message")).toHaveText("expected expression, found `;`");
  // @codemirror/lint marks exactly the `;` in the text.
  await expect(page.getByTestId("source-editor").locator(".cm-lintRange-error")).toHaveText(";");
  // The prebuilt instance is still loaded; nothing ran from the failed build.
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
});

test("a WAT error from wabt is a diagnostic at its line and column", async ({ page }) => {
  await loadExample(page, "wat-tour");
  const source = edited(await servedSource(page, "wat-tour.wat"), "(i32.const 2)     ;; Info", "(i32.bogus 2)     ;; Info");
  const line = source.split("\n").findIndex((l) => l.includes("i32.bogus")) + 1;
  const column = (source.split("\n")[line - 1] ?? "").indexOf("i32.bogus") + 1;
  await setEditorText(page, "source-editor", source);
  await page.getByTestId("build-button").click();
  await expect(page.getByTestId("build-status")).toHaveText("Build failed.");
  // wabt goes on after the first error; the first is the one at the bad token.
  await expect(page.getByTestId("diagnostic-place").first()).toHaveText(`${line}:${column}`);
  await expect(page.getByTestId("diagnostic-message").first()).toHaveText(`unexpected token "i32.bogus", expected an expr.`);
  // A click on the diagnostic scrolls its place into view, where the lint mark covers the token.
  await page.getByTestId("diagnostic").first().click();
  await expect(page.getByTestId("source-editor").locator(".cm-lintRange-error").filter({ hasText: /^i32\.bogus$/ })).toHaveCount(1);
});

test("Format replaces a badly indented source; a source that does not parse is left with the formatter's error", async ({ page }) => {
  await loadExample(page, "hello");
  await setEditorText(page, "source-editor", "pub extern \"C\" fn on_reload(){\nlet x=1;\n    let _ = x;}\n");
  await page.getByTestId("format-button").click();
  await expect.poll(() => editorText(page, "source-editor"), BUILD).toBe('pub extern "C" fn on_reload() {\n    let x = 1;\n    let _ = x;\n}\n');

  await setEditorText(page, "source-editor", "fn main({\n");
  await page.getByTestId("format-button").click();
  await expect(page.getByTestId("error")).toContainText("Could not format lib.rs: the buffer is unchanged", BUILD);
  await expect(page.getByTestId("error")).toContainText("this file contains an unclosed delimiter");
  expect(await editorText(page, "source-editor")).toBe("fn main({\n");
});

test("a second identical build is a cache hit (in the app store: filesystem, and PostgreSQL in the @store run), and says so with its milliseconds", async ({ page }) => {
  await loadExample(page, "hello");
  // A source of its own, so that the first build is a miss whatever ran before.
  const nonce = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  await setEditorText(page, "source-editor", `${await servedSource(page, "hello.rs")}\n// cache test ${nonce}\n`);
  await buildAndLoad(page, "hello");
  await expect(page.getByTestId("build-status")).toHaveText(/^Built on the server in \d+ ms · sha256 [0-9a-f]{12}…$/);
  const first = (await page.getByTestId("build-status").innerText()).split("sha256 ")[1];
  await buildAndLoad(page, "hello");
  await expect(page.getByTestId("build-status")).toHaveText(/^Built on the server in \d+ ms · cache hit: the same source was built before · sha256 [0-9a-f]{12}…$/);
  expect((await page.getByTestId("build-status").innerText()).split("sha256 ")[1]).toBe(first);
});

test("an environment edit after load is seen by the next call, and an unset variable is audited as unset", async ({ page }) => {
  await loadExample(page, "env-reader");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveCount(3);
  await showTab(page, "environment");
  await page.getByTestId("env-editor").fill("TERM=vt100\nHOME=/home/user");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText([
    "[INFO] TERM=xterm-256color",
    "[WARN] HOME: not set or denied (-1)",
    "[INFO] FT_THEME=dracula",
    "[INFO] TERM=vt100",
    "[WARN] HOME: not set or denied (-1)",
    "[WARN] FT_THEME: not set or denied (-1)",
  ]);
  await showTab(page, "audit");
  const envRows = page.getByTestId("audit-current").getByTestId("audit-row").filter({ hasText: "env_get" });
  await expect(envRows.getByTestId("audit-args")).toHaveText(["TERM", "HOME", "FT_THEME", "TERM", "HOME", "FT_THEME (unset)"]);
  await expect(envRows.nth(4).getByTestId("audit-outcome")).toHaveText('Denied("environment variable access denied for HOME")');
  await expect(envRows.nth(5).getByTestId("audit-outcome")).toHaveText("Ok");
});

/** A WAT reactor whose on_reload logs what one fd_read of stdin returns (wat-tour's other hooks do nothing). */
const STDIN_READER = `(module
  (import "env" "ft_log" (func $ft_log (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "on_reload")
    ;; one iovec at 0: 256 bytes at 64; the count read goes to 8
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 256))
    (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $ft_log (i32.const 2) (i32.const 64) (i32.load (i32.const 8))))
  (func (export "on_focus"))
  (func (export "on_output")))
`;

test("a stdin edit after load is read by the next call; an unchanged stdin is not read again", async ({ page }) => {
  await loadExample(page, "wat-tour");
  await showTab(page, "environment");
  await page.getByTestId("stdin-editor").fill("one");
  await setEditorText(page, "source-editor", STDIN_READER);
  await buildAndLoad(page, "wat-tour");
  const hook = page.getByTestId("hook-on_reload");
  await hook.click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] one"]);
  await hook.click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] one", "[INFO]"]);
  await page.getByTestId("stdin-editor").fill("two");
  await hook.click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] one", "[INFO]", "[INFO] two"]);
});

test("Stop ends a runaway hook by terminating its worker, with its elapsed time", async ({ page }) => {
  await loadExample(page, "hostile-loop", "loop");
  const manifest = edited(await servedSource(page, "hostile/loop.toml"), "max_wall_time_secs = 3", "max_wall_time_secs = 60");
  await setEditorText(page, "manifest-editor", edited(manifest, /fuel_per_call = \d+/.exec(manifest)?.[0] ?? "fuel_per_call", "fuel_per_call = 1000000000000000"));
  const before = await instanceId(page);
  await page.getByTestId("load-button").click();
  await expectFreshInstance(page, before, "loop");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("live-output")).toContainText("running…");
  // The elapsed time counts up while the hook runs.
  await expect(page.getByTestId("stop-button")).toContainText(/Stop · [1-9]\d*\.\d s/, { timeout: 10_000 });
  await page.getByTestId("stop-button").click();
  await expect(page.getByTestId("error")).toContainText("hook on_reload (config.reload) stopped");
  await expect(page.getByTestId("error")).toContainText(
    /Stop pressed: hook on_reload \(config\.reload\) was stopped after \d+\.\d s by terminating its worker\. The instance has ended: load again to continue\./,
  );
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
  await expect(page.getByTestId("stop-button")).toBeDisabled();
  await helloStillRuns(page);
});

test("a load that answers at once replaces the previous instance in one render; a longer one shows that it loads, and Stop ends it", async ({ page }) => {
  await loadExample(page, "hello");
  await page.getByTestId("hook-on_focus").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);
  // Watched in the page: when the previous instance's facts left, if they did before the new ones came.
  const before = await instanceId(page);
  await page.evaluate(() => {
    const watch: { clickedAt: number; goneAt?: number } = { clickedAt: 0 };
    (window as unknown as { loadWatch: typeof watch }).loadWatch = watch;
    new MutationObserver(() => {
      if (watch.goneAt === undefined && document.querySelector('[data-testid="extension-facts"]') === null) watch.goneAt = performance.now();
    }).observe(document.body, { subtree: true, childList: true });
    watch.clickedAt = performance.now();
    document.querySelector<HTMLButtonElement>('[data-testid="load-button"]')?.click();
  });
  await expectFreshInstance(page, before, "hello");
  const watch = await page.evaluate(() => (window as unknown as { loadWatch: { clickedAt: number; goneAt?: number } }).loadWatch);
  // LOADING_SHOWN_AFTER_MS (use-extension-session.ts): a warm load answers long before it, so
  // the facts go straight from the old instance to the new; on a very busy machine the
  // loading state may show, but never earlier than that.
  if (watch.goneAt !== undefined) expect(watch.goneAt - watch.clickedAt).toBeGreaterThanOrEqual(99);
  await expect(page.getByTestId("run-heading")).toHaveCount(2);

  // A start function that loops: after the hold the loading state shows (no facts, Stop enabled).
  await pickExample(page, "hostile-start-loop");
  await expect(page.getByTestId("error")).toBeVisible();
  const manifest = edited(await servedSource(page, "hostile/start-loop.toml"), "max_wall_time_secs = 3", "max_wall_time_secs = 60");
  await setEditorText(page, "manifest-editor", edited(manifest, "fuel_per_call = 50000000", "fuel_per_call = 1000000000000000"));
  await page.getByTestId("load-button").click();
  await expect(page.getByTestId("stop-button")).toBeEnabled();
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
  await expect(page.getByTestId("error")).toHaveCount(0);
  await page.getByTestId("stop-button").click();
  await expect(page.getByTestId("error")).toContainText("loading start-loop stopped");
  await helloStillRuns(page);
});

test("output and audit: the current extension first, earlier runs below a separator naming each; Clear clears both", async ({ page }) => {
  await loadExample(page, "hello");
  await page.getByTestId("hook-on_focus").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);
  await loadExample(page, "env-reader");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveCount(3);
  await expect(page.getByTestId("run-heading")).toHaveText(["env-reader", "earlier: hello"]);
  await expect(currentRun(page).getByTestId("call-output").locator("p").first()).toContainText("▶ env-reader · on_reload (config.reload)");
  await showTab(page, "audit");
  await expect(page.getByTestId("audit-run")).toHaveText([/^env-reader \(\d+\)$/, /^earlier: hello \(\d+\)$/]);
  await expect(page.getByTestId("audit-current").getByTestId("audit-function").filter({ hasText: /^env_get$/ })).toHaveCount(3);
  await expect(page.getByTestId("audit-earlier").getByTestId("audit-args").filter({ hasText: "focus #1" })).toHaveCount(1);
  await page.getByTestId("clear-button").click();
  await expect(page.getByTestId("audit-row")).toHaveCount(0);
  await showTab(page, "output");
  await expect(page.getByTestId("run-heading")).toHaveCount(0);
  await expect(page.getByTestId("log-line")).toHaveCount(0);
});

test("a WASI command takes arguments, and stdin-rs ships with its stdin filled in", async ({ page }) => {
  await loadExample(page, "conformance-stdin-rs", "stdin-rs");
  await showTab(page, "environment");
  await expect(page.getByTestId("stdin-editor")).toHaveValue("line one\nline two ✓\n");
  await page.getByTestId("run-button").click();
  await expect(page.getByTestId("exit-code")).toHaveText("exited with status 0");

  await loadExample(page, "conformance-args-env-rs", "args-env-rs");
  await setEditorText(page, "source-editor", 'fn main() {\n    for arg in std::env::args() {\n        println!("[{}]", arg);\n    }\n}\n');
  await showTab(page, "environment");
  await page.getByTestId("args-input").fill('one "two three"');
  await page.getByTestId("build-button").click();
  await showTab(page, "output");
  await expect(currentRun(page).getByTestId("stdout-line")).toHaveText(["stdout │ [args-env-rs.wasm]", "stdout │ [one]", "stdout │ [two three]"], BUILD);
  await expect(currentRun(page).getByTestId("exit-code")).toHaveText("exited with status 0");
});

test("a module opened alone gets no stale manifest; the facts say which host functions it imports", async ({ page }) => {
  await loadExample(page, "hello");
  await uploadFiles(page, [{ name: "conformance.wasm", buffer: await builtFile("conformance/clocks-c.wasm") }]);
  await expect(page.getByTestId("error")).toContainText("conformance.wasm needs a manifest");
  await expect(page.getByTestId("file-tab-source")).toHaveCount(0);
  await expect.poll(() => editorText(page, "manifest-editor")).toBe("");
  const manifest = (await builtFile("conformance/clocks-c.toml")).toString("utf8");
  await setEditorText(page, "manifest-editor", manifest);
  await page.getByTestId("load-button").click();
  await expect(page.getByTestId("import-namespace")).toHaveText("No host functions imported: the module uses WASI only");
  await expect(page.getByTestId("entry-warning")).toContainText("the module loaded is conformance.wasm: FrankenTerm loads clocks-c.wasm");
  await expect(page.getByTestId("network-pane")).toContainText("network = false, pane_access = false");
});

test("a 390 px wide screen stacks the panels, editor first, with no sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loadExample(page, "calc");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line")).toHaveCount(2);
  for (const tab of ["output", "audit", "events", "files", "environment"] as const) {
    await showTab(page, tab);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${tab}: page width`).toBe(390);
  }
  const editor = await page.getByTestId("source-editor").boundingBox();
  const panels = await page.getByTestId("tab-output").boundingBox();
  expect(editor && panels && editor.y < panels.y).toBe(true);
});

test("/favicon.ico is served from public/", async ({ request }) => {
  const response = await request.get("/favicon.ico");
  expect(response.status()).toBe(200);
  expect((await response.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
});

test("pickExample reopens an example as shipped after edits", async ({ page }) => {
  await loadExample(page, "hello");
  await setEditorText(page, "source-editor", "// scratch\n");
  await pickExample(page, "hello");
  await expect.poll(() => editorText(page, "source-editor")).toBe(await servedSource(page, "hello.rs"));
});
