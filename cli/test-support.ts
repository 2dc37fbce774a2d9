/** Runs the CLI as a child process, as an author's CI would, for cli/*.test.ts. */

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The launcher package.json's `bin` points at. */
export const BIN = path.join(ROOT, "cli", "bin.mjs");
/** The built examples. */
export const BUILT = path.join(ROOT, "public", "extensions");
/** One module cache for the whole test file, away from the user's. */
export const CACHE = mkdtempSync(path.join(tmpdir(), "ep-cli-cache-"));
/** Scratch files of the test file. */
export const TMP = mkdtempSync(path.join(tmpdir(), "ep-cli-test-"));

/** What one CLI run gave. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `extension-playground ARGS…` from the repository root and waits for it to end. */
export function cli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: options.input ?? "",
    timeout: 120_000,
    // A clean environment: what the guest may see comes from the flags only.
    // (NODE_ENV only because Next's types require it in a process environment.)
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", EXTENSION_PLAYGROUND_CACHE: CACHE, ...options.env },
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `--json` output: every line must be one JSON object. */
export function jsonRecords(stdout: string): { type: string; [key: string]: unknown }[] {
  const lines = stdout.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line, i) => {
    try {
      return JSON.parse(line) as { type: string };
    } catch (error) {
      throw new Error(`line ${i + 1} of --json output is not JSON: ${line} (${String(error)})`);
    }
  });
}
