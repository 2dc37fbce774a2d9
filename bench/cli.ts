/**
 * Startup of `extension-playground run` (cli/): the whole command as an author's CI runs
 * it, a child process from spawn to exit, on the small `hello` example with one event.
 * The goal is under half a second on this machine. Rows: Node's own startup (the
 * floor), `run` with the module cache warm (the usual case in CI after the first run),
 * and `run` with an empty cache (validate, instrument, compile).
 */

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check, type Case, type Group } from "./measure";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "cli", "bin.mjs");
const HELLO = path.join(ROOT, "public", "extensions", "hello.wasm");

/** Runs `node ARGS…` to its end; resolves with the exit status and stdout. */
function node(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout }));
  });
}

/** The CLI startup group, or why it was skipped. */
export function cliGroup(timeMs: number): Group | string {
  if (!existsSync(HELLO)) return "cli startup: public/extensions/ has not been built (npm run build:extensions)";
  // Startup is measured on the bundle (what the launcher runs when it is fresh).
  execFileSync(process.execPath, [path.join(ROOT, "cli", "build.mjs")], { cwd: ROOT, stdio: "ignore" });
  const warmCache = mkdtempSync(path.join(tmpdir(), "ep-bench-cache-"));
  let coldCache = "";
  const env = (cache: string): NodeJS.ProcessEnv => ({ ...process.env, EXTENSION_PLAYGROUND_CACHE: cache });
  const run = (cache: string) => node([BIN, "run", HELLO, "--event", "config.reload", "--json"], env(cache));
  const verifyRun = async (cache: string) => {
    const { status, stdout } = await run(cache);
    check(status === 0, `run exited with ${status}`);
    const last = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as { type?: string; status?: number };
    check(last.type === "exit" && last.status === 0, `the last record is not a successful exit: ${JSON.stringify(last)}`);
    check(stdout.includes('"message":"info: hello from Rust"'), "on_reload's log line is missing");
  };
  const cases: Case[] = [
    {
      name: "node -e '' (Node's own startup)",
      role: "baseline",
      ops: 1,
      async: true,
      run: async () => (await node(["-e", ""], process.env)).status ?? -1,
    },
    {
      name: "run hello.wasm --event config.reload, cache warm",
      role: "ours",
      ops: 1,
      async: true,
      run: async () => (await run(warmCache)).stdout.length,
      // Also fills the warm cache.
      verify: () => verifyRun(warmCache),
      detail: () => "spawn → worker → load (disk cache) → hook → exit",
    },
    {
      name: "run hello.wasm --event config.reload, cache empty",
      role: "ours",
      ops: 1,
      async: true,
      before: () => {
        if (coldCache) rmSync(coldCache, { recursive: true, force: true });
        coldCache = mkdtempSync(path.join(tmpdir(), "ep-bench-cold-"));
      },
      run: async () => (await run(coldCache)).stdout.length,
      verify: () => verifyRun(mkdtempSync(path.join(tmpdir(), "ep-bench-cold-"))),
      detail: () => "+ validate, instrument, compile, write the cache entry",
    },
  ];
  return {
    id: "cli",
    title: "Startup of `extension-playground run` on hello.wasm (one event); time per process, spawn to exit",
    per: "run",
    unit: "ms",
    reference: "node -e '' (Node's own startup)",
    ratioLabel: "× node",
    timeMs,
    minIterations: 8,
    cases,
    notes: [
      "The goal (issue 15): under 500 ms for a small example. Through tsx instead of the bundle (sources newer than cli/dist/) startup is several times slower.",
      "Each process starts a worker_threads Worker; on 2 busy cores the spread between runs is wide: read p50.",
    ],
  };
}
