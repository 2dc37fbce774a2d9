/**
 * Runs the conformance programs (`extensions/conformance/*`, built into
 * `public/extensions/conformance/` by `npx tsx scripts/build-extensions.ts`) through
 * `lib/wasi`, the way the playground does: manifest permissions → environment filter and
 * preopens, `_start`, the exit status. Each program checks its own results and exits
 * non-zero with "FAIL …" on stderr when one is wrong; this test checks the exit status,
 * the first stdout line and, where a program leaves files or audit records, those too.
 *
 * Waiting: with JSPI (`WebAssembly.Suspending`, Node 22+ with the flag, or Chromium),
 * `poll_oneoff` is wrapped and `_start` called through `WebAssembly.promising`. Node 20
 * has no JSPI, so there the context's wait mode is `block`: `poll_oneoff` blocks the thread
 * with `Atomics.wait`, and the sleeping programs still really sleep (the test measures it).
 */

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createEnvironment } from "../abi/environment";
import { AuditTrail } from "../audit/trail";
import { parseManifest } from "../manifest/parse";
import { GuestMemory } from "../memory";
import { ProcExit } from "../traps";
import { createWasiContext, snapshotFiles, type WaitMode } from "./context";
import { createPreview1Imports, PREVIEW1_MODULE, SUSPENDING_CALLS } from "./preview1";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const builtDir = path.join(repoRoot, "public", "extensions", "conformance");
const sourceDir = path.join(repoRoot, "extensions", "conformance");

/** The JS-promise integration API, where the engine has it. */
interface Jspi {
  Suspending: new (fn: (...args: never[]) => unknown) => object;
  promising: (fn: (...args: never[]) => unknown) => () => Promise<unknown>;
}
const jspi = WebAssembly as unknown as Partial<Jspi>;
const hasJspi = typeof jspi.Suspending === "function" && typeof jspi.promising === "function";
const WAIT: WaitMode = hasJspi ? "suspend" : "block";

const STDIN = "line one\nline two ✓\n";
/** What the page would supply; the manifests permit TERM and CONFORMANCE_* only. */
const ENV = { CONFORMANCE_GREETING: "hello", TERM: "xterm-256color", HOME: "/home/user", SECRET_TOKEN: "s3cret" };

interface Expectation {
  /** Expected exit status (`_start` returning normally is 0). */
  exit: number;
  stdin?: string;
  env?: Record<string, string>;
  /** Files that must hold exactly this text after the run. */
  files?: Record<string, string>;
  /** Every path that must exist after the run, when the program leaves a known tree. */
  tree?: string[];
  /** An audit entry `function args outcome` that must be present. */
  audit?: string;
  /** The program sleeps 20 ms: the run must take at least that long. */
  sleeps?: boolean;
}

const EXPECTED: Record<string, Expectation> = {
  "files-c": { exit: 0, files: { "/work/final.txt": "files-c: ok\n", "/work/notes.txt": "" } },
  "files-rs": { exit: 0, files: { "/work/final.txt": "files-rs: ok\n", "/work/notes.txt": "" } },
  "dirs-c": { exit: 0 },
  "fs-exact-c": { exit: 0 },
  "fs-exact-rs": { exit: 0 },
  "dirs-rs": { exit: 0, tree: ["/work"] },
  "clocks-c": { exit: 0, sleeps: true },
  "clocks-rs": { exit: 0, sleeps: true },
  "args-env-c": { exit: 0, env: ENV },
  "args-env-rs": { exit: 0, env: ENV },
  "exit-code-c": { exit: 3 },
  "exit-code-rs": { exit: 3 },
  "stdin-c": { exit: 0, stdin: STDIN },
  "stdin-rs": { exit: 0, stdin: STDIN },
  "denied-c": {
    exit: 0,
    tree: ["/data", "/data/out", "/data/out/ok.txt"],
    audit: 'fs_write /data/forbidden.txt Denied("write access denied: /data/forbidden.txt")',
  },
  "denied-rs": {
    exit: 0,
    tree: ["/data", "/data/out", "/data/out/ok.txt"],
    audit: 'fs_write /data/forbidden.txt Denied("write access denied: /data/forbidden.txt")',
  },
};

interface Run {
  exit: number;
  stdout: string[];
  stderr: string[];
  files: Record<string, Uint8Array | null>;
  audit: string[];
  ms: number;
}

/** Loads and runs one built program with the given stdin and environment. */
async function run(name: string, stdin = "", env: Record<string, string> = {}): Promise<Run> {
  const wasmPath = path.join(builtDir, `${name}.wasm`);
  assert.ok(fs.existsSync(wasmPath), `${wasmPath} is missing: run \`npx tsx scripts/build-extensions.ts\` first`);
  const manifest = parseManifest(fs.readFileSync(path.join(builtDir, `${name}.toml`), "utf8"));
  const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
  const memory = new GuestMemory();
  const audit = new AuditTrail(name);
  const ctx = createWasiContext(memory, audit, {
    args: [`${name}.wasm`],
    env: createEnvironment(env, manifest.permissions.environment).permitted(),
    permissions: { read: manifest.permissions.filesystemRead, write: manifest.permissions.filesystemWrite },
    stdin: new TextEncoder().encode(stdin),
    wait: WAIT,
  });
  const names = WebAssembly.Module.imports(module).map((i) => {
    assert.equal(i.module, PREVIEW1_MODULE, `${name} imports ${i.module}.${i.name}`);
    return i.name;
  });
  const wasi: Record<string, unknown> = createPreview1Imports(ctx, names);
  if (hasJspi && jspi.Suspending) {
    for (const call of SUSPENDING_CALLS) if (wasi[call]) wasi[call] = new jspi.Suspending(wasi[call] as () => unknown);
  }
  const instance = await WebAssembly.instantiate(module, { [PREVIEW1_MODULE]: wasi as WebAssembly.ModuleImports });
  memory.attach(instance.exports.memory as WebAssembly.Memory);
  const start = instance.exports._start as () => unknown;
  assert.equal(typeof start, "function", `${name} exports no _start: is it built as a command?`);
  const started = performance.now();
  let exit = 0;
  try {
    if (hasJspi && jspi.promising) await jspi.promising(start)();
    else start();
  } catch (error) {
    if (!(error instanceof ProcExit)) throw error;
    exit = error.code;
  }
  return {
    exit,
    ms: performance.now() - started,
    stdout: ctx.stdout.drain(true).lines,
    stderr: ctx.stderr.drain(true).lines,
    files: snapshotFiles(ctx),
    audit: audit.entries().map((e) => `${e.function} ${e.argsSummary} ${e.outcome}`),
  };
}

describe(`conformance programs (wait mode: ${WAIT}${hasJspi ? ", JSPI" : ": this Node has no JSPI, poll_oneoff blocks the thread"})`, () => {
  test("every program in extensions/conformance has an expectation here, and is built", () => {
    const sources = fs.readdirSync(sourceDir).filter((d) => fs.existsSync(path.join(sourceDir, d, "extension.toml"))).sort();
    assert.deepEqual(sources, Object.keys(EXPECTED).sort());
    const c = sources.filter((s) => fs.existsSync(path.join(sourceDir, s, "main.c")));
    const rust = sources.filter((s) => fs.existsSync(path.join(sourceDir, s, "main.rs")));
    assert.ok(c.length >= 4 && rust.length >= 4, `${c.length} C and ${rust.length} Rust programs`);
    for (const name of sources) assert.ok(fs.existsSync(path.join(builtDir, `${name}.wasm`)), `${name}.wasm is not built`);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name} exits ${expected.exit}`, async () => {
      const result = await run(name, expected.stdin, expected.env);
      assert.equal(result.exit, expected.exit, `exit ${result.exit}; stderr:\n${result.stderr.join("\n")}`);
      assert.deepEqual(result.stderr, [], "nothing on stderr");
      assert.match(result.stdout[0] ?? "", new RegExp(`^${name}: ${expected.exit === 0 ? "ok" : "exiting with status 3"}`));
      for (const [file, text] of Object.entries(expected.files ?? {})) {
        const bytes = result.files[file];
        assert.ok(bytes, `${file} is missing`);
        assert.equal(new TextDecoder().decode(bytes), text, file);
      }
      if (expected.tree) assert.deepEqual(Object.keys(result.files), expected.tree);
      if (expected.audit) assert.ok(result.audit.includes(expected.audit), `no audit entry ${expected.audit}`);
      if (expected.sleeps) assert.ok(result.ms >= 20, `ran ${result.ms} ms, less than its 20 ms sleep`);
    });
  }

  // The programs' own checks can fail: wrong input makes them exit 1 with a message.
  test("stdin-c and stdin-rs fail (exit 1, FAIL on stderr) on other stdin", async () => {
    for (const name of ["stdin-c", "stdin-rs"]) {
      const result = await run(name, "line one\nline two\n");
      assert.equal(result.exit, 1, name);
      assert.match(result.stderr.join("\n"), /^FAIL/, name);
    }
  });

  test("args-env-c and args-env-rs fail without CONFORMANCE_GREETING", async () => {
    for (const name of ["args-env-c", "args-env-rs"]) {
      const result = await run(name, "", { HOME: "/home/user" });
      assert.equal(result.exit, 1, name);
      assert.match(result.stderr.join("\n"), /CONFORMANCE_GREETING/, name);
    }
  });
});
