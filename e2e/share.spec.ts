// Share links, and .ftx packages in and out. Tests tagged @store run twice in `npm test`:
// against the filesystem store, and again with the server on a real PostgreSQL (DATABASE_URL).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, strToU8, zipSync } from "fflate";
import { MAX_LINK_LENGTH, encodeState, fragmentFor } from "../lib/share/codec";
import { SHARE_ERROR_TITLES, type ShareErrorKind } from "../lib/share/errors";
import { toBase64url, type ShareState } from "../lib/share/state";
import { currentRun, editorText, openPlayground, pickExample, showTab } from "./helpers";

const STORE = process.env.DATABASE_URL ? "PostgreSQL" : "filesystem";
const EXTENSIONS = join(process.cwd(), "public", "extensions");
const work = mkdtempSync(join(tmpdir(), "share-e2e-"));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** A context as a fresh browser profile has it, allowed to use the clipboard. */
async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  return context.newPage();
}

/** Presses Share, checks the page says the link was copied and that the clipboard holds it; returns the link. */
async function share(page: Page, where: "in the link itself" | "stored on this server"): Promise<string> {
  await page.getByTestId("share-button").click();
  await expect(page.getByTestId("share-status")).toContainText(`Link copied to the clipboard (the state is ${where}).`);
  const link = await page.getByTestId("share-link").inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  return link;
}

/** The log lines of the current run, once its last line is `last` and the call has ended. */
async function logLines(page: Page, last: string): Promise<string[]> {
  await expect(currentRun(page).getByTestId("log-line").last()).toHaveText(last);
  await expect(page.getByTestId("stop-button")).toBeDisabled();
  return currentRun(page).getByTestId("log-line").allTextContents();
}

test("a fragment link opens in a fresh context with the same state, runs nothing until asked, and runs to the same log lines", async ({ page, browser }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await openPlayground(page);
  await pickExample(page, "wat-tour");
  await expect(page.getByTestId("extension-facts")).toContainText("wat-tour");
  await showTab(page, "environment");
  await page.getByTestId("env-editor").fill("TERM=shared-terminal\nHOME=/home/user");
  await showTab(page, "output");
  await page.getByTestId("hook-on_focus").click();
  const expected = await logLines(page, "[INFO] TERM=shared-terminal");
  const source = await editorText(page, "source-editor");

  const link = await share(page, "in the link itself");
  expect(new URL(link).pathname).toBe("/");
  expect(new URL(link).hash).toMatch(/^#share=[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThanOrEqual(MAX_LINK_LENGTH);

  const other = await freshPage(browser);
  await other.goto(link);
  await expect(other.getByTestId("file-tab-source")).toHaveText("extension.wat");
  expect(await editorText(other, "source-editor")).toBe(source);
  await showTab(other, "environment");
  await expect(other.getByTestId("env-editor")).toHaveValue("TERM=shared-terminal\nHOME=/home/user");
  // Nothing loaded or run: no instance, no output.
  await expect(other.getByTestId("extension-facts")).toHaveCount(0);
  await expect(other.getByTestId("log-line")).toHaveCount(0);
  await other.getByTestId("build-button").click();
  await expect(other.getByTestId("extension-facts")).toContainText("wat-tour");
  await showTab(other, "output");
  await other.getByTestId("hook-on_focus").click();
  expect(await logLines(other, "[INFO] TERM=shared-terminal")).toEqual(expected);
  await other.context().close();
});

test("a link to an unchanged example's sources restores them with its prebuilt module, ready to load", async ({ page, browser }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await openPlayground(page);
  await pickExample(page, "hello");
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  await page.getByTestId("hook-on_reload").click();
  const expected = await logLines(page, "[ERROR] error: hello from Rust");
  const link = await share(page, "in the link itself");

  const other = await freshPage(browser);
  await other.goto(link);
  await expect(other.getByTestId("file-tab-source")).toHaveText("lib.rs");
  expect(await editorText(other, "source-editor")).toBe(await editorText(page, "source-editor"));
  await expect(other.getByTestId("extension-facts")).toHaveCount(0);
  await expect(other.getByTestId("load-button")).toBeEnabled();
  await other.getByTestId("load-button").click();
  await expect(other.getByTestId("extension-facts")).toContainText("hello");
  await other.getByTestId("hook-on_reload").click();
  expect(await logLines(other, "[ERROR] error: hello from Rust")).toEqual(expected);
  await other.context().close();
});

test(`a stored link (${STORE} store) opens in a fresh context with the same module and runs to the same log lines @store`, async ({ page, browser }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await openPlayground(page);
  // hello.wasm (76 KB) is too large for a link: it is stored.
  await page.getByTestId("file-input").setInputFiles([join(EXTENSIONS, "hello.wasm"), join(EXTENSIONS, "hello.toml")]);
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  await showTab(page, "environment");
  await page.getByTestId("stdin-editor").fill("stored stdin\n");
  await showTab(page, "output");
  await page.getByTestId("hook-on_reload").click();
  const expected = await logLines(page, "[ERROR] error: hello from Rust");
  const manifest = await editorText(page, "manifest-editor");

  const link = await share(page, "stored on this server");
  expect(new URL(link).pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{22}$/);
  expect(new URL(link).hash).toBe("");

  const other = await freshPage(browser);
  await other.goto(link);
  await expect(other.getByTestId("file-tab-manifest")).toBeVisible();
  await expect.poll(() => editorText(other, "manifest-editor")).toBe(manifest);
  await showTab(other, "environment");
  await expect(other.getByTestId("stdin-editor")).toHaveValue("stored stdin\n");
  await expect(other.getByTestId("extension-facts")).toHaveCount(0);
  await expect(other.getByTestId("log-line")).toHaveCount(0);
  await other.getByTestId("load-button").click();
  await expect(other.getByTestId("module-cache")).toContainText(`Module sha256 ${sha256(readFileSync(join(EXTENSIONS, "hello.wasm"))).slice(0, 12)}`);
  await showTab(other, "output");
  await other.getByTestId("hook-on_reload").click();
  expect(await logLines(other, "[ERROR] error: hello from Rust")).toEqual(expected);
  await other.context().close();
});

/** A valid state to spoil. */
const STATE: ShareState = {
  version: 1,
  extension: { kind: "module", name: "tiny.wasm", bytes: toBase64url(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])) },
  manifest: '[extension]\nname = "tiny"\n',
  environment: "",
  stdin: "",
  args: [],
  files: {},
};

function framed(deflated: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + deflated.length);
  out[0] = 1;
  new DataView(out.buffer).setUint32(1, deflated.length, true);
  out.set(deflated, 5);
  return out;
}
const json = (value: unknown) => strToU8(JSON.stringify(value));
const whole = fragmentFor(STATE);

const BAD_LINKS: { kind: ShareErrorKind; path: string; message: RegExp }[] = [
  { kind: "truncated", path: `/#${whole.slice(0, "share=".length + 20)}`, message: /^the link is cut short: it holds \d+ of its \d+ compressed bytes$/ },
  { kind: "not-base64url", path: "/#share=AQAAAA$$$", message: /^the link holds "\$" at position 7, outside base64url/ },
  { kind: "not-deflate", path: `/#share=${toBase64url(framed(strToU8("certainly not a deflate stream")))}`, message: /^the link is not a valid deflate stream: / },
  { kind: "bomb", path: `/#share=${toBase64url(framed(deflateSync(new Uint8Array(5 * 1024 * 1024).fill(32), { level: 9 })))}`, message: /^the link inflates past 4194304 bytes/ },
  { kind: "unknown-version", path: `/#share=${toBase64url(framed(deflateSync(json({ ...STATE, version: 99 }))))}`, message: /^the state is version 99, made by a newer playground; this one reads versions 1–1$/ },
  { kind: "schema", path: `/#share=${toBase64url(framed(deflateSync(json({ ...STATE, stdin: 5 }))))}`, message: /^\/stdin must be string$/ },
  { kind: "unknown-id", path: "/s/AAAAAAAAAAAAAAAAAAAAAA", message: /^no share is stored under AAAAAAAAAAAAAAAAAAAAAA$/ },
  { kind: "oversized", path: `/#share=${"A".repeat(MAX_LINK_LENGTH + 1)}`, message: /^the link's fragment is 8193 characters; share links carry at most 8192/ },
];

for (const bad of BAD_LINKS) {
  test(`the ${bad.kind} link gives its own error and leaves the default example, usable`, async ({ page }) => {
    await page.goto(bad.path);
    await expect(page.getByTestId("error")).toContainText(SHARE_ERROR_TITLES[bad.kind]);
    await expect(page.getByTestId("error").locator("p").last()).toHaveText(bad.message);
    // The default example is open (nothing run), and works when asked.
    await expect(page.getByTestId("file-tab-source")).toHaveText("lib.rs");
    await expect(page.getByTestId("extension-facts")).toHaveCount(0);
    await page.getByTestId("load-button").click();
    await expect(page.getByTestId("extension-facts")).toContainText("hello");
    await page.getByTestId("hook-on_reload").click();
    await expect(currentRun(page).getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
  });
}

test("creating shares is rate-limited per address: 429 with Retry-After", async ({ request }) => {
  const headers = { "content-type": "application/octet-stream", "x-forwarded-for": "203.0.113.200" };
  for (let i = 0; i < 10; i++) {
    const response = await request.post("/api/shares", { headers, data: Buffer.from(encodeState({ ...STATE, stdin: `burst ${i}` })) });
    expect(response.status(), `share ${i + 1}`).toBe(201);
  }
  const refused = await request.post("/api/shares", { headers, data: Buffer.from(encodeState({ ...STATE, stdin: "one more" })) });
  expect(refused.status()).toBe(429);
  const retryAfter = Number(refused.headers()["retry-after"]);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(30);
  expect(((await refused.json()) as { error: { kind: string } }).error.kind).toBe("rate-limited");
});

/** Builds a package with Info-ZIP's zip in a folder of its own, as FrankenTerm's docs do. */
function zipTool(name: string, files: Record<string, string>): string {
  const folder = mkdtempSync(join(work, "pkg-"));
  for (const [inside, from] of Object.entries(files)) {
    mkdirSync(join(folder, inside, ".."), { recursive: true });
    if (from.startsWith("/")) copyFileSync(from, join(folder, inside));
    else writeFileSync(join(folder, inside), from);
  }
  execFileSync("zip", ["-q", name, ...Object.keys(files)], { cwd: folder });
  return join(folder, name);
}

test("a .ftx built with zip opens (its assets in the file tree) and runs", async ({ page }) => {
  const ftx = zipTool("hello.ftx", { "extension.toml": join(EXTENSIONS, "hello.toml"), "hello.wasm": join(EXTENSIONS, "hello.wasm"), "README.txt": "read me\n" });
  await openPlayground(page);
  await page.getByTestId("file-input").setInputFiles(ftx);
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  await expect(page.getByTestId("module-cache")).toContainText(sha256(readFileSync(join(EXTENSIONS, "hello.wasm"))).slice(0, 12));
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
  await showTab(page, "files");
  await expect(page.locator('[data-testid="file-entry"][data-path="/extension/README.txt"]')).toBeVisible();
});

test("a .ftx dropped on the page opens and runs", async ({ page }) => {
  const ftx = readFileSync(zipTool("dropped.ftx", { "extension.toml": join(EXTENSIONS, "hello.toml"), "hello.wasm": join(EXTENSIONS, "hello.wasm") }));
  await openPlayground(page);
  const data = await page.evaluateHandle((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], "dropped.ftx", { type: "application/zip" }));
    return transfer;
  }, [...ftx]);
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer: data });
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
});

test("a .ftx without its entry module, or with a ../ path, is refused with a message naming the file", async ({ page }) => {
  await openPlayground(page);
  const noEntry = zipTool("no-entry.ftx", { "extension.toml": join(EXTENSIONS, "hello.toml"), "main.wasm": join(EXTENSIONS, "hello.wasm") });
  await page.getByTestId("file-input").setInputFiles(noEntry);
  await expect(page.getByTestId("error")).toContainText("Could not open no-entry.ftx");
  await expect(page.getByTestId("error")).toContainText("no-entry.ftx: hello.wasm: missing: [engine] entry names hello.wasm, which is not in the package");

  const escaping = join(work, "escape.ftx");
  writeFileSync(
    escaping,
    zipSync({ "extension.toml": readFileSync(join(EXTENSIONS, "hello.toml")), "hello.wasm": readFileSync(join(EXTENSIONS, "hello.wasm")), "../outside.txt": strToU8("x") }),
  );
  await page.getByTestId("file-input").setInputFiles(escaping);
  await expect(page.getByTestId("error")).toContainText("Could not open escape.ftx");
  await expect(page.getByTestId("error")).toContainText("escape.ftx: ../outside.txt: paths with .. are refused");
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
});

test("the downloaded .ftx unzips to exactly two files; it and the .wasm round-trip to the same SHA-256 and run", async ({ page }) => {
  await openPlayground(page);
  await pickExample(page, "hello");
  await expect(page.getByTestId("extension-facts")).toContainText("hello");
  const original = sha256(readFileSync(join(EXTENSIONS, "hello.wasm")));

  const [ftxDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-ftx").click()]);
  expect(ftxDownload.suggestedFilename()).toBe("hello.ftx");
  const ftx = join(work, "downloaded-hello.ftx");
  await ftxDownload.saveAs(ftx);
  expect(execFileSync("unzip", ["-Z1", ftx], { encoding: "utf8" }).trim().split("\n")).toEqual(["extension.toml", "hello.wasm"]);
  const out = mkdtempSync(join(work, "unzipped-"));
  execFileSync("unzip", ["-q", ftx, "-d", out]);
  expect(sha256(readFileSync(join(out, "hello.wasm")))).toBe(original);
  expect(readFileSync(join(out, "extension.toml"), "utf8")).toBe(readFileSync(join(EXTENSIONS, "hello.toml"), "utf8"));

  const [wasmDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-wasm").click()]);
  expect(wasmDownload.suggestedFilename()).toBe("hello.wasm");
  const wasm = join(work, "downloaded-hello.wasm");
  await wasmDownload.saveAs(wasm);
  expect(sha256(readFileSync(wasm))).toBe(original);

  // Open the downloaded package: the same module, the same run.
  await page.getByTestId("file-input").setInputFiles(ftx);
  await expect(page.getByTestId("module-cache")).toContainText(`Module sha256 ${original.slice(0, 12)}`);
  await page.getByTestId("hook-on_reload").click();
  await expect(currentRun(page).getByTestId("log-line").last()).toHaveText("[ERROR] error: hello from Rust");
});
