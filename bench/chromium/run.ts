/**
 * Runs the Worker groups of the bench in headless Chromium (`/usr/bin/chromium`, the browser
 * the e2e tests use; nothing is downloaded): bundles `worker.ts` with esbuild, serves it with
 * the guest binaries from a local HTTP server with the playground's COOP/COEP headers (so the
 * Worker is cross-origin isolated, as the playground's is, and `performance.now()` has its
 * 5 µs resolution rather than 100 µs), and collects what the Worker posts.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import type { CaseResult } from "../measure";
import type { GroupMeta } from "../report";
import type { StartMessage, WorkerMessage } from "./worker";

/** What the Chromium run measured. */
export interface ChromiumRun {
  /** `chromium.version()`, e.g. `131.0.6778.85`. */
  browser: string;
  userAgent: string;
  /** True when the Worker was cross-origin isolated (5 µs `performance.now()`). */
  crossOriginIsolated: boolean;
  groups: { meta: GroupMeta; results: CaseResult[] }[];
  /** The Worker's folded results (proof the work was live). */
  consumed: number;
}

/** Where Chromium is; `CHROMIUM_PATH` overrides, as in playwright.config.ts. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags the e2e tests launch Chromium with (playwright.config.ts). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Cross-origin isolation, as next.config.js sets it for the playground. */
const ISOLATION = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">
  const worker = new Worker("/worker.js", { type: "module" });
  worker.onmessage = (event) => window.benchReport(event.data);
  worker.onerror = (event) => window.benchReport({ type: "error", message: "worker error: " + event.message });
  window.startBench = (message) => worker.postMessage(message);
</script>`;

/** Bundles the Worker for the browser. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./worker.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no output for bench/chromium/worker.ts");
  return file.text;
}

function serve(files: ReadonlyMap<string, { body: string | Uint8Array; type: string }>, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    const file = files.get((request.url ?? "/").split("?")[0] ?? "/");
    if (!file) {
      response.writeHead(404, ISOLATION).end();
      return;
    }
    response.writeHead(200, { ...ISOLATION, "Content-Type": file.type, "Cache-Control": "no-store" }).end(file.body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/**
 * Runs the groups in a Worker in Chromium.
 * @param guests guest binaries by file name (`host-calls.wasm`, `wasi-calls.wasm`, `compute.wasm`, `compute-rs.wasm`).
 * @param port the server's port (`BENCH_PORT`; 0 picks a free one).
 * @param onGroup called as each group arrives, to print it.
 * @throws when Chromium cannot start, the Worker fails, or a case fails verification.
 */
export async function runInChromium(
  guests: ReadonlyMap<string, Uint8Array>,
  start: StartMessage,
  port: number,
  onGroup: (group: { meta: GroupMeta; results: CaseResult[] }) => void,
): Promise<ChromiumRun> {
  const files = new Map<string, { body: string | Uint8Array; type: string }>([
    ["/", { body: PAGE, type: "text/html" }],
    ["/worker.js", { body: await bundle(), type: "text/javascript" }],
  ]);
  for (const [name, bytes] of guests) files.set(`/guests/${name}`, { body: bytes, type: "application/wasm" });
  const server = await serve(files, port);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const groups: ChromiumRun["groups"] = [];
    let settle: { resolve: (m: Extract<WorkerMessage, { type: "done" }>) => void; reject: (e: Error) => void } | undefined;
    const finished = new Promise<Extract<WorkerMessage, { type: "done" }>>((resolve, reject) => (settle = { resolve, reject }));
    await page.exposeFunction("benchReport", (message: WorkerMessage) => {
      if (message.type === "group") {
        groups.push(message);
        onGroup(message);
      } else if (message.type === "done") settle?.resolve(message);
      else settle?.reject(new Error(`Chromium worker: ${message.message}`));
    });
    page.on("pageerror", (error) => settle?.reject(new Error(`Chromium page: ${error.message}`)));
    const { port: bound } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${bound}/`);
    await page.waitForFunction(() => typeof (window as unknown as { startBench?: unknown }).startBench === "function");
    await page.evaluate((message) => (window as unknown as { startBench(m: StartMessage): void }).startBench(message), start);
    const done = await finished;
    return { browser: browser.version(), userAgent: done.userAgent, crossOriginIsolated: done.crossOriginIsolated, groups, consumed: done.consumed };
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
