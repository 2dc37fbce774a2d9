/**
 * Runs one compiler or formatter in `bwrap` (bubblewrap) under resource limits. Server only.
 *
 * The sandbox: every namespace unshared (`--unshare-all`: no network, its own PID, IPC, UTS
 * and user namespace, with no user namespace nested in it), a root of its own holding only read-only `/usr` (and the `/bin`,
 * `/lib`… links into it), a fresh `/proc` and `/dev`, an empty `/tmp`, and the job's own
 * folder at `/job`, the only place it can write. The environment is cleared (`--clearenv`:
 * otherwise `include_bytes!("/proc/self/environ")` embeds the server's secrets) and bwrap
 * itself is started with an empty environment, so not even the sandbox's PID 1 holds it.
 * `--die-with-parent` and `--new-session` tie it to the server and keep it off its terminal.
 *
 * Limits: `prlimit` inside sets `RLIMIT_CPU`, `RLIMIT_AS`, `RLIMIT_FSIZE`, `RLIMIT_NPROC` (and no
 * core files) before it executes the tool; a timer outside kills bwrap at the wall-clock limit,
 * which ends the sandbox's PID namespace and so every process in it.
 *
 * Run as root, the sandbox runs as `nobody` (uid 65534): as root inside its user namespace a
 * tool would keep every capability there, and the kernel never enforces `RLIMIT_NPROC` for
 * uid 0. As another user, bwrap runs as that user (unprivileged user namespaces).
 */

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import type { BuildLimits } from "./limits";
import type { LimitName } from "./types";

/** The uid and gid a sandbox runs as when the server is root. */
export const SANDBOX_UID = 65534;

/** The path of the job folder inside the sandbox (its working directory and HOME). */
export const JOB_DIR = "/job";

/** One sandboxed run. */
export interface SandboxJob {
  /** Folder on the host mounted read-write at {@link JOB_DIR}; the server creates and removes it. */
  dir: string;
  /** The program (absolute, under `/usr`) and its arguments. */
  command: string[];
  /** Bytes given on stdin; none: stdin is empty. */
  stdin?: Uint8Array;
  limits: BuildLimits;
}

/** How a sandboxed run ended. */
export interface SandboxOutcome {
  /** The tool's exit code; for a tool killed by a signal, 128 + the signal number (bwrap's convention). */
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  /**
   * The limit that stopped the run when the run shows it: the wall timer, the output cap, or
   * the exit status ({@link limitOfExitCode}). Messages are the caller's ({@link limitOfMessages}).
   */
  limit: LimitName | undefined;
  /** Wall-clock milliseconds of the run. */
  ms: number;
}

/** Thrown when bwrap itself cannot be started (not installed). */
export class SandboxUnavailableError extends Error {
  override name = "SandboxUnavailableError";
}

/** The bwrap argument list (before the `--` that starts the tool's command line). */
export function bwrapArgs(dir: string, uid: number | undefined): string[] {
  const args = [
    "--unshare-all",
    // A user namespace always (`--unshare-all` only tries), and none nested inside it: a tool
    // cannot make itself a new namespace in which it would hold capabilities.
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--setenv", "PATH", "/usr/bin",
    "--setenv", "HOME", JOB_DIR,
    "--setenv", "LANG", "C.UTF-8",
    "--ro-bind", "/usr", "/usr",
  ];
  // Merged /usr (Debian 12): /bin, /lib… are links into /usr; elsewhere read-only copies.
  for (const top of ["/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(top), top);
    else if (stat.isDirectory()) args.push("--ro-bind", top, top);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--bind", dir, JOB_DIR, "--chdir", JOB_DIR);
  if (uid !== undefined) args.push("--uid", String(uid), "--gid", String(uid));
  return args;
}

/** `prlimit`'s arguments for `limits`: hard CPU one second past soft, so SIGXCPU comes first. */
export function prlimitArgs(limits: BuildLimits): string[] {
  return [
    "/usr/bin/prlimit",
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--as=${limits.addressSpaceBytes}`,
    `--fsize=${limits.fileBytes}`,
    `--nproc=${limits.processes}`,
    "--core=0",
    "--",
  ];
}

const SIGKILL = 9;
const SIGXCPU = 24;
const SIGXFSZ = 25;

/** What compilers print when an allocation fails under `RLIMIT_AS`. */
const MEMORY_MESSAGES =
  /memory allocation of \d+ bytes failed|out of memory|std::bad_alloc|Cannot allocate memory|cannot catch foreign exceptions|failed to spawn (helper )?thread|unable to mmap/i;
/** What a tool prints when it cannot start a process under `RLIMIT_NPROC`. */
const PROCESS_MESSAGES = /fork|posix_spawn|could not exec|unable to execute command|failed to execute/i;
const AGAIN = /Resource temporarily unavailable|WouldBlock/;

/**
 * The limit a run's exit status shows: 128+SIGXCPU, or SIGKILL (the hard CPU limit; nothing
 * else inside the sandbox kills, and the wall timer is known separately), is `cpu`;
 * 128+SIGXFSZ is `output`.
 */
export function limitOfExitCode(exitCode: number | null): LimitName | undefined {
  if (exitCode === 128 + SIGXCPU || exitCode === 128 + SIGKILL) return "cpu";
  if (exitCode === 128 + SIGXFSZ) return "output";
  return undefined;
}

/**
 * The limit a failed run's own messages show (pass only the tool's text that is not a
 * diagnostic: a diagnostic quotes the user's source, which may say anything). An allocation
 * failure is `memory`; EAGAIN from fork or exec is `processes`. Thread creation failing with
 * EAGAIN counts as memory: a thread's stack is allocated under `RLIMIT_AS`, and the process
 * limit is far above the threads a compiler starts.
 */
export function limitOfMessages(text: string): LimitName | undefined {
  if (/CPU time limit exceeded/.test(text)) return "cpu";
  if (/File size limit exceeded/.test(text)) return "output";
  if (MEMORY_MESSAGES.test(text)) return "memory";
  if (AGAIN.test(text) && PROCESS_MESSAGES.test(text)) return "processes";
  return undefined;
}

/**
 * Runs `job.command` in the sandbox. Resolves with how it ended (never for a failed tool:
 * that is an outcome with its exit code); the job folder is left for the caller to read.
 * @throws {SandboxUnavailableError} when bwrap cannot be started.
 */
export function runSandboxed(job: SandboxJob): Promise<SandboxOutcome> {
  const root = process.getuid?.() === 0;
  const uid = root ? SANDBOX_UID : undefined;
  if (root) fs.chownSync(job.dir, SANDBOX_UID, SANDBOX_UID);
  const args = [...bwrapArgs(job.dir, uid), "--", ...prlimitArgs(job.limits), ...job.command];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/bwrap", args, {
      // Empty: bwrap's own process (the sandbox's PID 1) must not hold the server's environment either.
      env: emptyEnvironment(),
      stdio: ["pipe", "pipe", "pipe"],
      ...(root ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let stoppedBy: LimitName | undefined;
    const stop = (limit: LimitName) => {
      stoppedBy ??= limit;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop("wall"), job.limits.wallMs);
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > job.limits.outputBytes) stop("output");
      else into.push(chunk);
    };
    child.stdout.on("data", collect(stdout));
    child.stderr.on("data", collect(stderr));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new SandboxUnavailableError(`bwrap cannot be started: ${error.message}. Install: apt-get install bubblewrap`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const err = Buffer.concat(stderr);
      const exitCode = code ?? (signal === null ? null : 128 + os.constants.signals[signal as NodeJS.Signals]);
      resolve({
        exitCode,
        stdout: Buffer.concat(stdout),
        stderr: err,
        limit: stoppedBy ?? limitOfExitCode(exitCode),
        ms: Math.round(performance.now() - started),
      });
    });
    // A tool that exits without reading its stdin must not crash the server with EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(job.stdin ?? new Uint8Array(0));
  });
}

/** An environment with no variables (Next's types declare `NODE_ENV` always present; here it is not). */
export function emptyEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.create(null);
  return env;
}
