/**
 * Every limit of the build and format routes, in one typed place (server only).
 *
 * A build runs the compiler in `bwrap` (see `sandbox.ts`) under rlimits set by `prlimit`
 * inside the sandbox, and a wall-clock timer outside it that kills the whole process tree.
 * Concurrent builds are capped and queued first in, first out; they are never dropped, only
 * a flood past {@link BuildLimits.maxQueued} waiting requests is answered 503. Each limit's
 * doc comment says what hits it and what the answer says; {@link describeLimit} is the one
 * sentence every error that hits a limit uses, so the limit's value is always stated.
 *
 * Like the Rust Playground's `coordinator/limits.rs`: one module, one value per limit.
 */

import { availableParallelism } from "node:os";
import type { LimitName } from "./types";

/** The resource limits of one build or format, and of the queue in front of them. */
export interface BuildLimits {
  /**
   * Largest source accepted, in UTF-8 bytes. Over it: HTTP 413 naming this cap, nothing runs.
   */
  maxSourceBytes: number;
  /**
   * Largest request body read, in bytes (JSON escapes can make a body several times its
   * source). Over it: HTTP 413 naming this cap; the body is not read further.
   */
  maxRequestBytes: number;
  /**
   * CPU seconds per process of the build (`RLIMIT_CPU`; the compiler, and separately its
   * linker). At the limit the kernel sends SIGXCPU, a second later SIGKILL. Answer: `limit: "cpu"`.
   */
  cpuSeconds: number;
  /**
   * Address space per process, in bytes (`RLIMIT_AS`): the memory limit. A compiler over it
   * fails an allocation and aborts ("memory allocation of … failed", `std::bad_alloc`).
   * Answer: `limit: "memory"`. rustc needs about 600 MiB of address space for a small crate.
   */
  addressSpaceBytes: number;
  /**
   * Largest file a build may write, in bytes (`RLIMIT_FSIZE`; the module, object files).
   * Over it: SIGXFSZ. Answer: `limit: "output"`.
   */
  fileBytes: number;
  /**
   * Compiler output kept, stdout and stderr together, in bytes (diagnostics, a formatted
   * source). Past it the build is killed. Answer: `limit: "output"`.
   */
  outputBytes: number;
  /**
   * Processes and threads of the build (`RLIMIT_NPROC`, counted in the build's own user
   * namespace; rustc runs up to ~20 threads). Over it: fork or thread creation fails.
   * Answer: `limit: "processes"`.
   */
  processes: number;
  /**
   * Wall-clock milliseconds of one sandboxed run, from its start (time in the queue does not
   * count). Past it the sandbox and everything in it is killed. Answer: `limit: "wall"`.
   */
  wallMs: number;
  /** Sandboxed runs (builds and formats) at once; more wait in order. Default: the core count, at least 1. */
  concurrency: number;
  /** Requests that may wait for a slot; past this flood bound the route answers 503. */
  maxQueued: number;
}

/** The limits the routes use. */
export function defaultBuildLimits(): BuildLimits {
  return {
    maxSourceBytes: 256 * 1024,
    maxRequestBytes: 2 * 1024 * 1024,
    cpuSeconds: 20,
    addressSpaceBytes: 2 * 1024 * 1024 * 1024,
    fileBytes: 32 * 1024 * 1024,
    outputBytes: 1024 * 1024,
    processes: 128,
    wallMs: 60_000,
    concurrency: Math.max(1, availableParallelism()),
    maxQueued: 1000,
  };
}

/** `limits` with `overrides` applied (tests tighten one limit at a time). */
export function withLimits(overrides: Partial<BuildLimits>, limits: BuildLimits = defaultBuildLimits()): BuildLimits {
  return { ...limits, ...overrides };
}

/** `n` bytes as the largest whole binary unit: `2 GiB`, `256 KiB`, `1000 bytes`. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}

/**
 * The sentence an error uses for the limit that stopped a run, with its value and the field
 * of {@link BuildLimits} that sets it, e.g. `the CPU time limit (20 s of CPU per process, cpuSeconds)`.
 */
export function describeLimit(limit: LimitName, limits: BuildLimits): string {
  switch (limit) {
    case "cpu":
      return `the CPU time limit (${limits.cpuSeconds} s of CPU per process, cpuSeconds)`;
    case "memory":
      return `the memory limit (${formatBytes(limits.addressSpaceBytes)} of address space per process, addressSpaceBytes)`;
    case "wall":
      return `the wall-clock time limit (${limits.wallMs / 1000} s, wallMs)`;
    case "output":
      return `the output limit (${formatBytes(limits.fileBytes)} per file written, fileBytes; ${formatBytes(limits.outputBytes)} of compiler messages, outputBytes)`;
    case "processes":
      return `the process limit (${limits.processes} processes and threads, processes)`;
    default: {
      const never: never = limit;
      throw new Error(`unknown limit ${String(never)}`);
    }
  }
}
