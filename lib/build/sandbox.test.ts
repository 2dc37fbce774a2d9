/**
 * What a tool sees inside the build sandbox (real bwrap): only read-only /usr, an empty
 * /tmp, its own writable /job, no network, no server environment; and the wall-clock limit
 * ending every process in it.
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { withLimits } from "./limits";
import { bwrapArgs, limitOfExitCode, limitOfMessages, runSandboxed } from "./sandbox";
import { temporaryDir } from "./test-support";

const SLOW = { timeout: 120_000 };
let job: ReturnType<typeof temporaryDir>;
const limits = withLimits({ wallMs: 60_000 });

before(() => {
  job = temporaryDir("sandbox-test-");
  fs.chmodSync(job.dir, 0o755);
});
after(() => job.remove());

/** Runs a shell script in the sandbox; its stdout. */
async function inside(script: string): Promise<string> {
  const outcome = await runSandboxed({ dir: job.dir, command: ["/usr/bin/sh", "-c", script], limits });
  assert.equal(outcome.exitCode, 0, outcome.stderr.toString());
  return outcome.stdout.toString("utf8");
}

describe("sandbox", () => {
  it("shows only /usr (read-only), /proc, /dev, an empty /tmp and the job's folder", SLOW, async () => {
    assert.equal(await inside("ls -A / | tr '\\n' ' '"), "bin dev job lib lib64 proc sbin tmp usr ");
    assert.equal(await inside("ls -A /tmp | wc -l"), "0\n");
    assert.equal(await inside("touch /usr/x 2>&1 || true"), "touch: cannot touch '/usr/x': Read-only file system\n");
    assert.equal(await inside("echo hi > /job/out && cat /job/out && pwd"), "hi\n/job\n");
    assert.equal(fs.readFileSync(path.join(job.dir, "out"), "utf8"), "hi\n");
  });

  it("has no network but loopback, a cleared environment, its own PID namespace and no capabilities", SLOW, async () => {
    assert.equal(await inside("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"), "lo\n");
    assert.equal(await inside("env | sort | tr '\\n' ' '"), "HOME=/job LANG=C.UTF-8 PATH=/usr/bin PWD=/job ");
    assert.equal(await inside("tr '\\0' ' ' < /proc/1/environ | wc -c"), "0\n");
    // PID 1 is bwrap's init; the tool (prlimit, then the shell it became) is PID 2.
    assert.equal(await inside("echo $$"), "2\n");
    assert.match(await inside("grep CapEff /proc/self/status"), /^CapEff:\s+0+\n$/);
    assert.equal(await inside("unshare --user true 2>/dev/null && echo nested || echo refused"), "refused\n");
  });

  it("applies the limits with prlimit", SLOW, async () => {
    const shown = await inside("prlimit --cpu --as --fsize --nproc --core -o SOFT --noheadings");
    assert.deepEqual(shown.trim().split(/\s+/).map(Number), [limits.cpuSeconds, limits.addressSpaceBytes, limits.fileBytes, limits.processes, 0]);
  });

  it("kills every process in it at the wall-clock limit", SLOW, async () => {
    const marker = `${Date.now() % 100000}.12345`;
    const outcome = await runSandboxed({ dir: job.dir, command: ["/usr/bin/sh", "-c", `sleep ${marker} & sleep ${marker}`], limits: withLimits({ wallMs: 500 }) });
    assert.equal(outcome.limit, "wall");
    // The PID namespace ends with its init: give the kernel a moment, then count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = spawnSync("pgrep", ["-f", `sleep ${marker}`], { encoding: "utf8" }).stdout.trim();
    assert.equal(left, "");
  });

  it("names the bwrap arguments the issue requires", () => {
    const args = bwrapArgs("/x", 65534);
    for (const flag of ["--unshare-all", "--die-with-parent", "--clearenv", "--new-session"]) assert.ok(args.includes(flag), flag);
    assert.deepEqual(args.slice(args.indexOf("--ro-bind"), args.indexOf("--ro-bind") + 3), ["--ro-bind", "/usr", "/usr"]);
    assert.deepEqual(args.slice(args.indexOf("--bind"), args.indexOf("--bind") + 3), ["--bind", "/x", "/job"]);
  });
});

describe("limit attribution", () => {
  it("reads the exit status", () => {
    assert.deepEqual([152, 137, 153, 1, 0, null].map(limitOfExitCode), ["cpu", "cpu", "output", undefined, undefined, undefined]);
  });

  it("reads the tools' own messages", () => {
    assert.equal(limitOfMessages("memory allocation of 2147483648 bytes failed"), "memory");
    assert.equal(limitOfMessages("LLVM ERROR: out of memory\nAllocation failed"), "memory");
    assert.equal(limitOfMessages("thread '<unnamed>' panicked at 'failed to spawn thread: Os { code: 11, kind: WouldBlock }'"), "memory");
    assert.equal(limitOfMessages("thread 'rustc' panicked at 'failed to spawn helper thread: Os { code: 11, kind: WouldBlock }'"), "memory");
    assert.equal(limitOfMessages("clang: error: unable to execute command: posix_spawn failed: Resource temporarily unavailable"), "processes");
    assert.equal(limitOfMessages("clang: error: unable to execute command: File size limit exceeded"), "output");
    assert.equal(limitOfMessages("error: expected `;`"), undefined);
  });
});
