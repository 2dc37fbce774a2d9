/**
 * What `wasm-opt -Oz` (Debian's binaryen) would save on a module: the inspector's "binary
 * size tips" measured, not guessed. The optimizer runs in the build sandbox
 * (`sandbox.ts`: no network, read-only system, the build limits) in the build queue, like a
 * compile. Server only.
 */

import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { Builder } from "./builder";
import { describeLimit } from "./limits";
import { limitOfMessages, runSandboxed, SandboxUnavailableError } from "./sandbox";

/** Debian's binaryen. */
export const WASM_OPT = "/usr/bin/wasm-opt";

/** `wasm-opt -Oz`, every feature the input may use enabled (the playground's sandbox accepts them all). */
export function optimizeCommand(input: string, output: string): string[] {
  return [WASM_OPT, "-Oz", "--all-features", input, "-o", output];
}

/** What `POST /api/optimize` answers with status 200. */
export type OptimizeResponse =
  | { ok: true; inputBytes: number; optimizedBytes: number; ms: number; command: string }
  | { ok: false; error: string };

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * Optimizes `wasm` with `wasm-opt -Oz` and reports the sizes (the optimized module itself is
 * not kept: the inspector only says what it would save).
 * @throws {QueueFull | Abandoned} as a build does; {@link SandboxUnavailableError} when bwrap
 *   or wasm-opt is missing.
 */
export async function optimizeSize(builder: Builder, wasm: Uint8Array, signal?: AbortSignal): Promise<OptimizeResponse> {
  if (wasm.length < 8 || MAGIC.some((b, i) => wasm[i] !== b)) {
    return { ok: false, error: `the body is not a WebAssembly module (${wasm.length} bytes; a module starts with 00 61 73 6d)` };
  }
  await fs.access(WASM_OPT).catch(() => {
    throw new SandboxUnavailableError(`${WASM_OPT} is not installed. Install: apt-get install binaryen`);
  });
  return builder.queue.run(async () => {
    const dir = await fs.mkdtemp(path.join(builder.workRoot, "playground-optimize-"));
    try {
      await fs.writeFile(path.join(dir, "in.wasm"), wasm);
      const command = optimizeCommand("in.wasm", "out.wasm");
      const outcome = await runSandboxed({ dir, command, limits: builder.limits });
      const stderr = outcome.stderr.toString("utf8");
      const limit = outcome.limit ?? (outcome.exitCode === 0 ? undefined : limitOfMessages(stderr));
      if (limit !== undefined) return { ok: false, error: `wasm-opt was stopped by ${describeLimit(limit, builder.limits)}` };
      if (outcome.exitCode !== 0) return { ok: false, error: `wasm-opt -Oz failed (exit ${outcome.exitCode}): ${stderr.trim()}` };
      const optimized = await fs.stat(path.join(dir, "out.wasm"));
      return { ok: true, inputBytes: wasm.length, optimizedBytes: optimized.size, ms: outcome.ms, command: "wasm-opt -Oz --all-features" };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, signal);
}
