/**
 * The build service behind `POST /api/build` and `POST /api/format`. Server only.
 *
 * A build: cache lookup (a hit answers at once, without waiting in the queue) → a slot in
 * the FIFO queue → a fresh job folder holding the one source file → the compiler in the
 * sandbox (`sandbox.ts`) with the examples' flags (`toolchains.ts`) → diagnostics parsed
 * (`diagnostics.ts`) → the module validated and stored in the cache (`cache.ts`). Identical
 * builds in flight at the same time share one compile. A format runs the formatter in the
 * same sandbox, on stdin. Every limit is `limits.ts`'s; an error that hits one states it.
 */

import { createHash } from "node:crypto";
import { constants as fsConstants } from "node:fs";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { ConcurrencyLimit } from "../commands/concurrency";
import { appStore } from "../share/store/open";
import { cacheView } from "../share/store/types";
import { buildKey, decodeCachedBuild, encodeCachedBuild, type BuildStore } from "./cache";
import { parseClangDiagnostics, parseRustcDiagnostics, type ParsedDiagnostics } from "./diagnostics";
import { defaultBuildLimits, describeLimit, type BuildLimits } from "./limits";
import { limitOfMessages, runSandboxed, SandboxUnavailableError, type SandboxOutcome } from "./sandbox";
import { compileCommand, formatCommand, parseCheckCommand, toolchainVersion } from "./toolchains";
import type { BuildKind, BuildLanguage, BuildProfile, BuildResponse, Diagnostic, FormatResponse, LimitName } from "./types";

/** A build request that passed `request.ts`'s checks. */
export interface BuildJob {
  language: BuildLanguage;
  kind: BuildKind;
  source: string;
  /** Default `release`. */
  profile?: BuildProfile;
}

/** One compile in flight and the requests waiting for it. */
interface SharedBuild {
  result: Promise<BuildResponse>;
  /** Aborted when the last requester has gone. */
  waiters: AbortController;
  /** Requesters still waiting (a requester without a signal never leaves). */
  waiting: number;
}

/** What a {@link Builder} is made of; every field has a default. */
export interface BuilderOptions {
  limits: BuildLimits;
  /** Where modules are cached (default: files under `<data dir>/builds`). */
  store: BuildStore;
  /**
   * Folder under which each job gets its own temporary folder (default: the OS's). When the
   * server runs as root, the sandbox's user (nobody) must be able to reach it, as /tmp.
   */
  workRoot: string;
}

/** Builds and formats sources in the sandbox, one queue for both. */
export class Builder {
  readonly limits: BuildLimits;
  readonly store: BuildStore;
  readonly workRoot: string;
  /** Sandboxed runs: at most `limits.concurrency` at once, the others waiting in order. */
  readonly queue: ConcurrencyLimit;
  private readonly inFlight = new Map<string, SharedBuild>();

  constructor(options: Partial<BuilderOptions> = {}) {
    this.limits = options.limits ?? defaultBuildLimits();
    this.store = options.store ?? cacheView(appStore(), "builds");
    this.workRoot = options.workRoot ?? os.tmpdir();
    this.queue = new ConcurrencyLimit(this.limits.concurrency, this.limits.maxQueued);
  }

  /**
   * Builds one source. Resolves with the route's 200 answer, a failed compile or a limit
   * included.
   * @param signal the request's: a build whose client left while it waited is not run.
   * @throws {QueueFull} when `limits.maxQueued` builds already wait (the route's 503).
   * @throws {Abandoned} when `signal` was aborted while the build waited.
   * @throws {SandboxUnavailableError | ToolchainMissingError} when bwrap or the compiler is not installed.
   */
  async build(job: BuildJob, signal?: AbortSignal): Promise<BuildResponse> {
    const started = performance.now();
    const { command } = compileCommand(job.language, job.kind, job.profile);
    const key = buildKey({ ...job, command, toolchain: await toolchainVersion(job.language) });
    const stored = await this.store.get(key);
    const hit = stored === undefined ? undefined : decodeCachedBuild(stored);
    if (hit !== undefined) {
      return { ok: true, wasm: Buffer.from(hit.wasm).toString("base64"), sha256: sha256(hit.wasm), cached: true, ms: elapsed(started), diagnostics: hit.diagnostics };
    }
    let shared = this.inFlight.get(key);
    if (shared === undefined) {
      const waiters = new AbortController();
      const result = this.queue.run(() => this.compile(job, key), waiters.signal).finally(() => this.inFlight.delete(key));
      shared = { result, waiters, waiting: 0 };
      this.inFlight.set(key, shared);
    }
    return this.join(shared, signal);
  }

  /**
   * Waits for a shared build as one of its requesters. The build is abandoned only when every
   * requester has gone (each one's signal aborted) before its turn in the queue.
   */
  private join(shared: SharedBuild, signal: AbortSignal | undefined): Promise<BuildResponse> {
    shared.waiting++;
    if (signal === undefined) return shared.result;
    const leave = () => {
      if (--shared.waiting === 0) shared.waiters.abort();
    };
    if (signal.aborted) leave();
    else signal.addEventListener("abort", leave, { once: true });
    return shared.result.finally(() => signal.removeEventListener("abort", leave));
  }

  /** Compiles in a fresh job folder, removed on every path. */
  private async compile(job: BuildJob, key: string): Promise<BuildResponse> {
    const { file, output, command } = compileCommand(job.language, job.kind, job.profile);
    const dir = await fs.mkdtemp(path.join(this.workRoot, "playground-build-"));
    try {
      await fs.writeFile(path.join(dir, file), job.source);
      const outcome = checkStarted(await runSandboxed({ dir, command, limits: this.limits }));
      const parsed = parseCompilerOutput(job.language, outcome.stderr.toString("utf8"), job.source, file);
      const diagnostics = parsed.diagnostics;
      const limit = outcome.limit ?? (outcome.exitCode === 0 ? undefined : limitOfMessages(parsed.otherText));
      if (limit !== undefined) return this.limitFailure(limit, "build", diagnostics);
      if (outcome.exitCode !== 0) return compileFailure(outcome, parsed, file);
      const wasm = await readModule(path.join(dir, output));
      if (wasm === undefined) {
        return { ok: false, error: `the compiler exited with 0 but wrote no valid WebAssembly module (${output})`, diagnostics };
      }
      await this.store.put(key, encodeCachedBuild({ wasm, diagnostics })).catch((error: unknown) => {
        // A cache that cannot be written costs the next build time, not this one its module.
        console.error(`build cache: cannot store ${key}: ${error instanceof Error ? error.message : String(error)}`);
      });
      return { ok: true, wasm: Buffer.from(wasm).toString("base64"), sha256: sha256(wasm), cached: false, ms: outcome.ms, diagnostics };
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Formats one source with rustfmt or clang-format in the sandbox. A source that does not
   * parse is refused with the parser's messages (clang-format formats any token stream, so
   * for C clang's parser is asked first).
   * @throws like {@link Builder.build}.
   */
  async format(language: BuildLanguage, source: string, signal?: AbortSignal): Promise<FormatResponse> {
    return this.queue.run(async () => {
      const dir = await fs.mkdtemp(path.join(this.workRoot, "playground-format-"));
      try {
        if (language === "c") {
          const refused = await this.checkParses(dir, source);
          if (refused !== undefined) return refused;
        }
        const outcome = checkStarted(await runSandboxed({ dir, command: formatCommand(language), stdin: Buffer.from(source, "utf8"), limits: this.limits }));
        const stderr = outcome.stderr.toString("utf8");
        const limit = outcome.limit ?? (outcome.exitCode === 0 ? undefined : limitOfMessages(stderr));
        if (limit !== undefined) return { ok: false, error: `the formatter was stopped by ${describeLimit(limit, this.limits)}`, limit };
        if (outcome.exitCode !== 0) {
          const name = language === "rust" ? "lib.rs" : "main.c";
          const message = stderr.replaceAll("<stdin>", name).trim();
          return { ok: false, error: message === "" ? `the formatter exited with ${outcome.exitCode}` : message };
        }
        return { ok: true, source: outcome.stdout.toString("utf8") };
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    }, signal);
  }

  /** clang's parser on a C source: the refusal when it has parse errors, else `undefined`. */
  private async checkParses(dir: string, source: string): Promise<FormatResponse | undefined> {
    await fs.writeFile(path.join(dir, "main.c"), source);
    const outcome = checkStarted(await runSandboxed({ dir, command: parseCheckCommand("main.c"), limits: this.limits }));
    const parsed = parseClangDiagnostics(outcome.stderr.toString("utf8"), source, "main.c");
    const limit = outcome.limit ?? (outcome.exitCode === 0 ? undefined : limitOfMessages(parsed.otherText));
    if (limit !== undefined) return { ok: false, error: `the parser was stopped by ${describeLimit(limit, this.limits)}`, limit };
    const parseErrors = parsed.diagnostics.filter((d) => d.severity === "error" && d.category === "Parse Issue");
    if (parseErrors.length === 0) return undefined;
    return { ok: false, error: `main.c does not parse, so it was not formatted:\n${parseErrors.map((d) => d.rendered ?? d.message).join("\n")}` };
  }

  private limitFailure(limit: LimitName, what: string, diagnostics: Diagnostic[]): BuildResponse {
    return { ok: false, error: `the ${what} was stopped by ${describeLimit(limit, this.limits)}`, diagnostics, limit };
  }
}

/**
 * The outcome, unless bwrap itself refused to set the sandbox up (its messages start with
 * `bwrap: `; e.g. a work folder the sandbox's user cannot reach): that is the server's fault.
 * @throws {SandboxUnavailableError}
 */
function checkStarted(outcome: SandboxOutcome): SandboxOutcome {
  const stderr = outcome.stderr.toString("utf8");
  if (outcome.exitCode === 1 && stderr.startsWith("bwrap: ")) {
    throw new SandboxUnavailableError(`the sandbox could not be set up: ${stderr.trim()}`);
  }
  return outcome;
}

function parseCompilerOutput(language: BuildLanguage, stderr: string, source: string, file: string): ParsedDiagnostics {
  if (language === "rust") return parseRustcDiagnostics(stderr, source, file);
  const parsed = parseClangDiagnostics(stderr, source, file);
  // The parser's category is for Format's check; the answer keeps to the Diagnostic shape.
  return { ...parsed, diagnostics: parsed.diagnostics.map(({ category: _category, ...d }) => d) };
}

/** The failed compile's answer: the first error names the place, all diagnostics follow. */
function compileFailure(outcome: SandboxOutcome, parsed: ParsedDiagnostics, file: string): BuildResponse {
  const diagnostics = [...parsed.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  if (first === undefined) {
    // No diagnostic: a crash or a message of its own. Show it, at 1:1.
    const text = parsed.otherText.trim() || `(no output)`;
    diagnostics.push({ severity: "error", message: text, line: 1, column: 1 });
    return { ok: false, error: `the compiler exited with ${outcome.exitCode}: ${text.split("\n")[0]}`, diagnostics };
  }
  const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
  const place = first.line === 1 && first.column === 1 && !first.endLine ? "" : `${file}:${first.line}:${first.column}: `;
  return { ok: false, error: `build failed (${count}): ${place}${first.message.split("\n")[0]}`, diagnostics };
}

/**
 * The module the compiler wrote, if it is a valid one. Opened without following a symbolic
 * link: the job folder is the sandbox's to write, and the server reads it with its own rights.
 */
async function readModule(file: string): Promise<Uint8Array | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    const bytes = new Uint8Array(await handle.readFile());
    return WebAssembly.validate(bytes) ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}
