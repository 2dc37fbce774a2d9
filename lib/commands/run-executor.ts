/**
 * Runs the native executor (`executor/`, Rust) once on a command document: the document on
 * stdin, one JSON document back on stdout. One process per request, so a batch is
 * marshalled once (`seeds/command-pattern.md`).
 */

import { spawn } from "node:child_process";
import path from "node:path";

/** How the executor run ended. */
export type ExecutorOutcome =
  | { kind: "exited"; exitCode: number; document: unknown }
  | { kind: "timeout"; afterMs: number }
  | { kind: "failed"; message: string };

/** Where and how to run the executor. */
export interface ExecutorOptions {
  /** The binary; default `EXECUTOR_PATH` or `executor/target/release/executor` under the working directory. */
  binary: string;
  /** Kill the process after this many milliseconds (default 5000). */
  timeoutMs: number;
  /** Colon-separated absolute paths `run_binary` may run; empty by default (all refused). */
  allowBinaries: string;
  /** Bytes of stdout kept before the run is treated as failed. */
  maxOutputBytes: number;
}

/** The defaults, from the environment where set. */
export function defaultExecutorOptions(): ExecutorOptions {
  return {
    binary: process.env.EXECUTOR_PATH ?? path.join(process.cwd(), "executor", "target", "release", "executor"),
    timeoutMs: 5_000,
    allowBinaries: process.env.EXECUTOR_ALLOW_BINARIES ?? "",
    maxOutputBytes: 64 * 1024 * 1024,
  };
}

/** Runs the executor on `input` (the exact request bytes). Never rejects. */
export function runExecutor(input: Uint8Array, options: ExecutorOptions): Promise<ExecutorOutcome> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(options.binary, [], {
      stdio: ["pipe", "pipe", "pipe"],
      // Only what the executor reads (NODE_ENV because Next's types require it): nothing
      // else of the server's environment reaches run_binary.
      env: { NODE_ENV: process.env.NODE_ENV, EXECUTOR_ALLOW_BINARIES: options.allowBinaries },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (outcome: ExecutorOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ kind: "timeout", afterMs: Date.now() - started });
    }, options.timeoutMs);

    child.on("error", (error) => finish({ kind: "failed", message: `could not start the executor at ${options.binary}: ${error.message}` }));
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxOutputBytes) {
        child.kill("SIGKILL");
        finish({ kind: "failed", message: `the executor wrote more than ${options.maxOutputBytes} bytes` });
      } else chunks.push(chunk);
    });
    child.on("close", (code, signal) => {
      if (code === null) return finish({ kind: "failed", message: `the executor was killed by ${signal ?? "a signal"}` });
      try {
        finish({ kind: "exited", exitCode: code, document: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      } catch {
        finish({ kind: "failed", message: `the executor exited with ${code} without a JSON document on stdout` });
      }
    });
    // The child may exit before reading everything (it will not, but EPIPE must not crash the server).
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}
