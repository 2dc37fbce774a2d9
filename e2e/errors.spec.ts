import { expect, test } from "@playwright/test";
import { builtFile as publicFile, editManifestAndLoad, expectFreshInstance, helloStillRuns, loadExample, openPlayground, uploadFiles as upload, pickExample } from "./helpers";

test.beforeEach(async ({ page }) => openPlayground(page));

test("an upload through the file chooser loads and runs", async ({ page }) => {
  await upload(page, [
    { name: "hello.wasm", buffer: await publicFile("hello.wasm") },
    { name: "extension.toml", buffer: await publicFile("hello.toml") },
  ]);
  await expectFreshInstance(page, -1, "hello");
  await page.getByTestId("hook-on_focus").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] focus #1"]);
});

test("an upload by drag and drop loads and runs", async ({ page }) => {
  const wasm = [...(await publicFile("wat-tour.wasm"))];
  const toml = (await publicFile("wat-tour.toml")).toString("utf8");
  const transfer = await page.evaluateHandle(
    ([bytes, manifest]) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], "wat-tour.wasm"));
      data.items.add(new File([manifest], "extension.toml"));
      return data;
    },
    [wasm, toml] as const,
  );
  await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO] wat-tour: hello from hand-written WebAssembly"]);
});

test("a malformed module shows a compile error and the page runs the next example", async ({ page }) => {
  await upload(page, [
    { name: "broken.wasm", buffer: Buffer.from("this is not wasm") },
    { name: "extension.toml", buffer: await publicFile("hello.toml") },
  ]);
  await expect(page.getByTestId("error")).toContainText("Could not load broken.wasm (compile)");
  await expect(page.getByTestId("error")).toContainText("not a valid WebAssembly module (16 bytes)");
  await expect(page.getByTestId("error")).toContainText("magic");
  await helloStillRuns(page);
});

test("a manifest error names the key and line before anything runs", async ({ page }) => {
  await loadExample(page, "hello");
  await editManifestAndLoad(page, 'event = "pane.focus"', 'event = "pane.focused"');
  await expect(page.getByTestId("error")).toContainText(/extension\.toml line \d+, key `hooks\[1\]\.event`: unknown event "pane\.focused"/);
  await expect(page.getByTestId("extension-facts")).toHaveCount(0);
  await helloStillRuns(page);
});

test("a handler the module does not export is a manifest error", async ({ page }) => {
  await loadExample(page, "hello");
  await editManifestAndLoad(page, 'handler = "on_focus"', 'handler = "on_blur"');
  await expect(page.getByTestId("error")).toContainText('key `hooks[1].handler`: the module does not export a function "on_blur"');
});

test("out-of-bounds pointers behave as the host code does and are audited as errors", async ({ page }) => {
  await loadExample(page, "hostile-bad-pointers", "bad-pointers");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveText(["[INFO]", "[INFO] after"]);
  await expect(page.getByTestId("audit-outcome")).toHaveText([
    'Error("range 0xfffc..0x1000c (16 bytes) is outside linear memory (65536 bytes)")',
    'Error("range 0xf4240..0xf4244 (4 bytes) is outside linear memory (65536 bytes)")',
    'Error("range 0xffff..0x1002c (45 bytes) is outside linear memory (65536 bytes)")',
    'Error("bad_pointer: range 0xffdc..0x10040 (100 bytes) is outside linear memory (65536 bytes)")',
    "Ok",
  ]);
  await expect(page.getByTestId("trap")).toHaveCount(0);
  await helloStillRuns(page);
});

test("the page's own thread never compiles or instantiates a guest module", async ({ page }) => {
  await page.addInitScript(() => {
    const calls: string[] = [];
    (window as unknown as { wasmCalls: string[] }).wasmCalls = calls;
    for (const name of ["compile", "instantiate", "compileStreaming", "instantiateStreaming"] as const) {
      const original = WebAssembly[name] as (...args: unknown[]) => unknown;
      (WebAssembly as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        calls.push(name);
        return original.apply(WebAssembly, args);
      };
    }
    const OriginalModule = WebAssembly.Module;
    (WebAssembly as unknown as Record<string, unknown>).Module = new Proxy(OriginalModule, {
      construct(target, args) {
        calls.push("Module");
        return Reflect.construct(target, args);
      },
    });
  });
  await page.goto("/");
  await pickExample(page, "hello");
  await page.getByTestId("hook-on_reload").click();
  await expect(page.getByTestId("log-line")).toHaveCount(5);
  expect(await page.evaluate(() => (window as unknown as { wasmCalls: string[] }).wasmCalls)).toEqual([]);
});
