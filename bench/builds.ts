/**
 * Builds through the route: POST /api/build's handler (`buildRoute` of
 * `lib/build/service.ts`, as `app/api/build/route.ts` makes it, called in-process with a
 * Request as Next calls it) over the real compilers in the real sandbox, a cold build (a
 * source the build cache has never seen) against a cached one (the same source again), for
 * a small Rust and a small C example. Node only (builds run on the server). The issue gives
 * no goal for builds: the group prints the figure.
 *
 * The handler is given a builder of its own whose cache is a fresh temporary folder,
 * removed afterwards, so the bench neither reads nor fills the developer's own cache.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Builder } from "../lib/build/builder";
import { buildRoute } from "../lib/build/service";
import type { BuildResponse } from "../lib/build/types";
import { openStore } from "../lib/share/store/open";
import { cacheView } from "../lib/share/store/types";
import { CLANG, RUSTC } from "../lib/build/toolchains";
import { check, summarize, type CaseResult } from "./measure";
import type { GroupMeta } from "./report";

/** Samples per row: a cold Rust build takes seconds of CPU. */
const SAMPLES = { cold: 3, cached: 10 } as const;

/** The examples built: the smallest reactor of each language. */
const EXAMPLES = [
  { name: "hello", language: "rust", file: "public/extensions/hello.rs", compiler: RUSTC },
  { name: "hello-c", language: "c", file: "public/extensions/hello-c.c", compiler: CLANG },
] as const;

type Route = (request: Request) => Promise<Response>;

/** One POST, answered and checked: a module, from the cache exactly when `cached`. Resolves with the ms it took. */
async function timedBuild(route: Route, language: string, source: string, cached: boolean): Promise<number> {
  const started = performance.now();
  const response = await route(new Request("http://127.0.0.1/api/build", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ language, source }) }));
  const body = (await response.json()) as BuildResponse | { error: string };
  const ms = performance.now() - started;
  check(response.status === 200 && "ok" in body, `the route answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  check(body.ok, `the build failed: ${body.ok ? "" : body.error}`);
  check(body.cached === cached, `expected ${cached ? "a cache hit" : "a cache miss"}, the route answered cached: ${body.cached}`);
  check(Buffer.from(body.wasm, "base64").subarray(0, 4).equals(Buffer.from([0, 0x61, 0x73, 0x6d])), "the answer's wasm is not a WebAssembly module");
  return ms;
}

/**
 * A source the cache has never seen and that builds the same module: a comment is part of
 * the cache key (the source text), not of the output.
 */
function unseen(source: string): string {
  const nonce = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${source}\n// bench nonce ${nonce}\n`;
}

/** The build group, or why it was skipped (no compiler, no sandbox). */
export async function buildGroup(): Promise<{ meta: GroupMeta; results: CaseResult[] } | string> {
  const root = new URL("..", import.meta.url).pathname;
  const missing = EXAMPLES.find((e) => !existsSync(e.compiler) || !existsSync(path.join(root, e.file)));
  if (missing) return `builds not measured: ${existsSync(missing.compiler) ? `${missing.file} is missing (npm run build:extensions)` : `${missing.compiler} is not installed`}.`;
  if (!existsSync("/usr/bin/bwrap")) return "builds not measured: bubblewrap (/usr/bin/bwrap) is not installed.";

  const data = mkdtempSync(path.join(tmpdir(), "ep-bench-builds-"));
  const builder = new Builder({ store: cacheView(openStore({ kind: "filesystem", dir: data }), "builds") });
  const route: Route = buildRoute(() => builder);
  const results: CaseResult[] = [];
  try {
    for (const example of EXAMPLES) {
      const source = readFileSync(path.join(root, example.file), "utf8");
      // Untimed: the first build of a language reads the toolchain from disk into the page
      // cache. A sandbox that cannot run (no user namespaces) skips the group, as a missing compiler does.
      try {
        await timedBuild(route, example.language, unseen(source), false);
      } catch (error) {
        return `builds not measured: the first ${example.language} build failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      const cold: number[] = [];
      for (let i = 0; i < SAMPLES.cold; i++) cold.push(await timedBuild(route, example.language, unseen(source), false));
      const cached: number[] = [];
      const seen = unseen(source);
      await timedBuild(route, example.language, seen, false);
      for (let i = 0; i < SAMPLES.cached; i++) cached.push(await timedBuild(route, example.language, seen, true));
      const coldRow = summarize(`${example.name} (${example.language}): cold build`, "baseline", cold, "a source never built: the sandbox and the compiler run");
      const cachedRow = summarize(`${example.name} (${example.language}): cached build`, "ours", cached, "the same source again: the build cache answers");
      // The speed-up, not a ratio column: cached ÷ cold would print as 0.00×.
      cachedRow.detail += ` (${(coldRow.p50PerOp / cachedRow.p50PerOp).toFixed(0)}× faster than cold, p50)`;
      results.push(coldRow, cachedRow);
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
  const meta: GroupMeta = {
    id: "builds",
    title: "POST /api/build (the route's handler, real compilers in the sandbox); time per build",
    per: "build",
    unit: "ms",
    reference: results[0]?.name ?? "",
    ratioLabel: "none: the speed-up is in the detail column",
    timeMs: 0,
    notes: [
      `Cold: ${SAMPLES.cold} builds, each of a source never built (the example plus a nonce comment); cached: ${SAMPLES.cached} builds of one source built once before.`,
      "Time from the Request to the parsed JSON answer, in-process: the HTTP layer in front is the same for both rows. The build cache is a temporary folder, removed afterwards.",
      "No goal in issue 14: the speed-up is printed, not judged.",
    ],
  };
  return { meta, results };
}
