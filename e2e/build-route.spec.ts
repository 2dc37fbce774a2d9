import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import type { BuildResponse, FormatResponse } from "../lib/build/types";

/**
 * The build and format routes of the production server (`next start`), over HTTP: the real
 * compilers in the real sandbox, the server's own environment and cache. The page's use of
 * them is tested by the workbench's specs.
 */

const example = (file: string) => readFile(new URL(`../extensions/${file}`, import.meta.url), "utf8");

function moduleExports(wasm: string): string[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(Buffer.from(wasm, "base64"))).map((e) => e.name).sort();
}

test.describe("POST /api/build on the server", () => {
  test.describe.configure({ timeout: 240_000 });

  test("builds the edited hello example, then answers the same source from the cache", async ({ request }) => {
    const source = (await example("hello/lib.rs")).replace("pub extern \"C\" fn on_reload() {", 'pub extern "C" fn on_reload() {\n    log(2, "edited in the test");');
    expect(source).toContain("edited in the test");
    const first = (await (await request.post("/api/build", { data: { language: "rust", source } })).json()) as BuildResponse;
    expect(first.ok ? [first.cached, moduleExports(first.wasm).includes("on_reload")] : first.error).toEqual([false, true]);
    const second = (await (await request.post("/api/build", { data: { language: "rust", source } })).json()) as BuildResponse;
    expect(second.ok && first.ok ? [second.cached, second.sha256] : "failed").toEqual([true, first.ok ? first.sha256 : ""]);
  });

  test("a module embedding /proc/self/environ carries none of the server's environment", async ({ request }) => {
    const canary = process.env.PLAYGROUND_E2E_CANARY ?? "";
    expect(canary).toMatch(/^canary-/);
    const source = 'pub static ENV: &[u8] = include_bytes!("/proc/self/environ");\n#[no_mangle] pub extern "C" fn env() -> *const u8 { ENV.as_ptr() }\n';
    const built = (await (await request.post("/api/build", { data: { language: "rust", source } })).json()) as BuildResponse;
    expect(built.ok).toBe(true);
    const bytes = Buffer.from(built.ok ? built.wasm : "", "base64");
    expect(bytes.includes("PATH=/usr/bin\0HOME=/job\0")).toBe(true);
    expect(bytes.includes(canary)).toBe(false);
  });

  test("20 concurrent builds all finish", async ({ request }) => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request.post("/api/build", { data: { language: "c", source: `__attribute__((export_name("n"))) int n(void) { return ${i + 1000}; }\n` } }),
      ),
    );
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as BuildResponse[];
    expect(responses.map((r) => r.status())).toEqual(Array(20).fill(200));
    expect(new Set(bodies.map((b) => (b.ok ? b.sha256 : b.error))).size).toBe(20);
    expect(bodies.every((b) => b.ok)).toBe(true);
  });

  test("a source over the cap is a 413 naming it; a bad field a 400 naming it", async ({ request }) => {
    const big = await request.post("/api/build", { data: { language: "c", source: "x".repeat(256 * 1024 + 1) } });
    expect([big.status(), await big.json()]).toEqual([413, { error: `"source" is ${256 * 1024 + 1} bytes, over the cap of 256 KiB (maxSourceBytes)` }]);
    const bad = await request.post("/api/build", { data: { language: "c" } });
    expect([bad.status(), await bad.json()]).toEqual([400, { error: '"source" must be a string, got nothing' }]);
  });

  test("formats C", async ({ request }) => {
    const formatted = (await (await request.post("/api/format", { data: { language: "c", source: "int f(void){\nreturn 1;}\n" } })).json()) as FormatResponse;
    expect(formatted).toEqual({ ok: true, source: "int f(void) { return 1; }\n" });
  });
});
