/**
 * The build service against the real compilers in the real bwrap sandbox: diagnostics at
 * their place, Format, the cache, what the sandbox hides (server files, the server's
 * environment), every limit, and a burst of builds through the queue.
 */

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { Abandoned } from "../commands/concurrency";
import type { Builder } from "./builder";
import { failed, slowRustSource, succeeded, temporaryDir, testBuilder, type CountingStore } from "./test-support";
import type { Diagnostic } from "./types";

/** Generous per-test timeout: real compiles on shared, busy cores. */
const SLOW = { timeout: 600_000 };

/** 1-based line and UTF-16 column of the first `needle` in `source`, as the page counts. */
function placeOf(source: string, needle: string): { line: number; column: number } {
  const offset = source.indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the source`);
  const before = source.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1) ?? "").length + 1 };
}

function only(diagnostics: Diagnostic[], severity: Diagnostic["severity"]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === severity);
}

let work: ReturnType<typeof temporaryDir>;
let builder: Builder;
let store: CountingStore;

before(() => {
  work = temporaryDir("build-test-");
  ({ builder, store } = testBuilder(path.join(work.dir, "cache")));
});
after(() => work.remove());

describe("diagnostics", () => {
  it("places a Rust syntax error at its line and UTF-16 column", SLOW, async () => {
    const source = 'pub fn answer() -> i32 {\n    let s = "héllo, wörld"; let x = 1 + ;\n    x\n}\n';
    const result = failed(await builder.build({ language: "rust", kind: "reactor", source }));
    const [error] = only(result.diagnostics, "error");
    assert.ok(error, "one error");
    assert.equal(error.message, "expected expression, found `;`");
    assert.deepEqual([error.line, error.column, error.endLine, error.endColumn], [2, placeOf(source, "+ ;").column + 2, 2, placeOf(source, "+ ;").column + 3]);
    assert.match(error.rendered ?? "", /--> lib\.rs:2:/);
    assert.equal(result.error, `build failed (1 error): lib.rs:2:${error.column}: expected expression, found \`;\``);
    assert.equal(result.limit, undefined);
  });

  it("places a C syntax error at its line and UTF-16 column", SLOW, async () => {
    const source = '/* ünïcode */\nint f(void) { const char *s = "é"; return 1 + ; }\n';
    const result = failed(await builder.build({ language: "c", kind: "reactor", source }));
    const [error] = only(result.diagnostics, "error");
    assert.ok(error, "one error");
    assert.equal(error.message, "expected expression");
    assert.deepEqual([error.line, error.column], [2, placeOf(source, "+ ;").column + 2]);
    assert.match(error.rendered ?? "", /^main\.c:2:\d+: error: expected expression/);
  });

  it("reports warnings of a module that builds, with their codes", SLOW, async () => {
    const rust = succeeded(await builder.build({ language: "rust", kind: "reactor", source: "pub fn f() -> i32 {\n    let unused = 2;\n    1\n}\n" }));
    const [rustWarning] = only(rust.diagnostics, "warning");
    assert.deepEqual(
      rustWarning && [rustWarning.code, rustWarning.line, rustWarning.column, rustWarning.endColumn],
      ["unused_variables", 2, 9, 15],
    );
    assert.match(rustWarning?.message ?? "", /^unused variable: `unused`/);

    const c = succeeded(await builder.build({ language: "c", kind: "reactor", source: "int f(void) {\n    int unused;\n    return 1;\n}\n" }));
    assert.deepEqual(
      c.diagnostics.map((d) => [d.severity, d.code, d.line, d.column, d.message]),
      [["warning", "-Wunused-variable", 2, 9, "unused variable 'unused'"]],
    );
  });

  it("refuses a server file read at compile time with the compiler's not-found error", SLOW, async () => {
    const rust = failed(await builder.build({ language: "rust", kind: "reactor", source: 'pub static P: &str = include_str!("/etc/passwd");\n' }));
    assert.equal(rust.diagnostics[0]?.message, "couldn't read /etc/passwd: No such file or directory (os error 2)");
    const c = failed(await builder.build({ language: "c", kind: "reactor", source: '#include "/etc/passwd"\nint x;\n' }));
    assert.deepEqual(c.diagnostics.map((d) => [d.message, d.line, d.column]), [["'/etc/passwd' file not found", 1, 10]]);
  });

  it("embeds none of the server's environment, in the module or in a diagnostic", SLOW, async () => {
    const canary = `canary-${randomBytes(8).toString("hex")}`;
    process.env.PLAYGROUND_TEST_CANARY = canary;
    try {
      const source = [
        'pub static SELF: &[u8] = include_bytes!("/proc/self/environ");',
        'pub static INIT: &[u8] = include_bytes!("/proc/1/environ");',
        '#[no_mangle] pub extern "C" fn environ_self() -> *const u8 { SELF.as_ptr() }',
        '#[no_mangle] pub extern "C" fn environ_init() -> *const u8 { INIT.as_ptr() }',
        "",
      ].join("\n");
      const module = Buffer.from(succeeded(await builder.build({ language: "rust", kind: "reactor", source })).wasm, "base64");
      // The compiler's own environment is in the module: the embedding worked, and it is this.
      assert.ok(module.includes("PATH=/usr/bin\0HOME=/job\0LANG=C.UTF-8\0PWD=/job\0"), "the sandbox's environment is embedded");
      assert.ok(!module.includes(canary), "the server's variable is not in the module");
      assert.ok(!module.includes(`PLAYGROUND_TEST_CANARY`), "nor its name");

      // clang reads the file as C source: whatever it makes of it, module or diagnostics, holds no canary.
      const c = await builder.build({ language: "c", kind: "reactor", source: '#include "/proc/self/environ"\n#include "/proc/1/environ"\n' });
      const answer = c.ok ? Buffer.from(c.wasm, "base64").toString("latin1") : JSON.stringify(c);
      assert.ok(!answer.includes(canary), "the server's variable is not in C's answer");
    } finally {
      delete process.env.PLAYGROUND_TEST_CANARY;
    }
  });
});

describe("format", () => {
  it("re-indents Rust and C", SLOW, async () => {
    assert.deepEqual(await builder.format("rust", "pub fn f()->i32{\nlet x=1;\n        x+1}\n"), { ok: true, source: "pub fn f() -> i32 {\n    let x = 1;\n    x + 1\n}\n" });
    assert.deepEqual(await builder.format("c", "int f(void){\nint x=1;\n        return x;}\n"), { ok: true, source: "int f(void) {\n    int x = 1;\n    return x;\n}\n" });
  });

  it("leaves a source that does not parse as it is, with the parser's message", SLOW, async () => {
    const rust = await builder.format("rust", "pub fn f( {\n}\n");
    assert.equal(rust.ok, false);
    assert.match(!rust.ok ? rust.error : "", /^error: this file contains an unclosed delimiter\n --> lib\.rs:2:/);
    const c = await builder.format("c", "int f( {\n    return 1;\n}\n");
    assert.equal(c.ok, false);
    assert.match(!c.ok ? c.error : "", /^main\.c does not parse, so it was not formatted:\nmain\.c:1:8: error: expected parameter declarator \[Parse Issue\]/);
  });

  it("formats C that parses but does not compile (an undeclared name is no parse error)", SLOW, async () => {
    assert.deepEqual(await builder.format("c", "int f(void){return nope;}"), { ok: true, source: "int f(void) { return nope; }" });
  });
});

describe("cache", () => {
  it("answers a second identical build from the cache, and a changed one not", SLOW, async () => {
    const source = "__attribute__((export_name(\"seven\"))) int seven(void) { return 7; }\n";
    const first = succeeded(await builder.build({ language: "c", kind: "reactor", source }));
    const second = succeeded(await builder.build({ language: "c", kind: "reactor", source }));
    assert.deepEqual([first.cached, second.cached], [false, true]);
    assert.equal(second.sha256, first.sha256);
    assert.equal(second.wasm, first.wasm);
    const module = new WebAssembly.Module(Buffer.from(second.wasm, "base64"));
    assert.deepEqual(WebAssembly.Module.exports(module).map((e) => e.name).sort(), ["_initialize", "memory", "seven"]);
    const command = succeeded(await builder.build({ language: "c", kind: "command", source: `${source}int main(void) { return 0; }\n` }));
    assert.equal(command.cached, false);
    assert.ok(WebAssembly.Module.exports(new WebAssembly.Module(Buffer.from(command.wasm, "base64"))).some((e) => e.name === "_start"));
  });

  it("builds Rust with `fn main` as a reactor unless the kind is command", SLOW, async () => {
    const source = 'fn main() {\n    println!("hi");\n}\n#[no_mangle]\npub extern "C" fn on_reload() {}\n';
    const exportsOf = (wasm: string) => WebAssembly.Module.exports(new WebAssembly.Module(Buffer.from(wasm, "base64"))).map((e) => e.name).sort();
    const reactor = succeeded(await builder.build({ language: "rust", kind: "reactor", source }));
    assert.deepEqual(exportsOf(reactor.wasm), ["__data_end", "__heap_base", "memory", "on_reload"]);
    assert.deepEqual(reactor.diagnostics.map((d) => [d.severity, d.message, d.line, d.column]), [["warning", "function `main` is never used\nnote: `#[warn(dead_code)]` on by default", 1, 4]]);
    const command = succeeded(await builder.build({ language: "rust", kind: "command", source }));
    assert.ok(exportsOf(command.wasm).includes("_start"));
  });

  it("shares one compile between identical builds in flight", SLOW, async () => {
    const source = "__attribute__((export_name(\"twins\"))) int twins(void) { return 2; }\n";
    const puts = store.puts;
    const results = await Promise.all([1, 2, 3].map(() => builder.build({ language: "c", kind: "reactor", source })));
    assert.equal(new Set(results.map((r) => succeeded(r).sha256)).size, 1);
    assert.equal(store.puts - puts, 1);
  });
});

describe("limits", () => {
  it("stops a build over its CPU time and says so", SLOW, async () => {
    const { builder: tight } = testBuilder(path.join(work.dir, "cpu"), { cpuSeconds: 1 });
    const result = failed(await tight.build({ language: "rust", kind: "reactor", source: slowRustSource() }));
    assert.equal(result.limit, "cpu");
    assert.equal(result.error, "the build was stopped by the CPU time limit (1 s of CPU per process, cpuSeconds)");
  });

  it("stops a build over its wall-clock time and says so", SLOW, async () => {
    const { builder: tight } = testBuilder(path.join(work.dir, "wall"), { wallMs: 1000 });
    const result = failed(await tight.build({ language: "rust", kind: "reactor", source: slowRustSource() }));
    assert.equal(result.limit, "wall");
    assert.equal(result.error, "the build was stopped by the wall-clock time limit (1 s, wallMs)");
  });

  it("stops a build over its memory and says so", SLOW, async () => {
    const { builder: tight } = testBuilder(path.join(work.dir, "memory"), { addressSpaceBytes: 2 ** 30 });
    const result = failed(await tight.build({ language: "rust", kind: "reactor", source: 'pub static ZEROS: &[u8] = include_bytes!("/dev/zero");\n' }));
    assert.equal(result.limit, "memory");
    assert.equal(result.error, "the build was stopped by the memory limit (1 GiB of address space per process, addressSpaceBytes)");
  });

  it("stops a build over its output: compiler messages, or a file written", SLOW, async () => {
    const warnings = Array.from({ length: 50 }, (_, i) => `int f${i}(void) { int unused${i}; return 0; }`).join("\n");
    const { builder: quiet } = testBuilder(path.join(work.dir, "output"), { outputBytes: 2000 });
    assert.equal(failed(await quiet.build({ language: "c", kind: "reactor", source: warnings })).limit, "output");
    const { builder: small } = testBuilder(path.join(work.dir, "file"), { fileBytes: 4096 });
    const big = failed(await small.build({ language: "c", kind: "reactor", source: "char big[100000] = {1};\n" }));
    assert.equal(big.limit, "output");
    assert.match(big.error, /^the build was stopped by the output limit \(4 KiB per file written, fileBytes; 1 MiB of compiler messages, outputBytes\)$/);
  });

  it("stops a build over its processes and says so", SLOW, async () => {
    // clang runs its linker as a second process; with room for one, it cannot.
    const { builder: tight } = testBuilder(path.join(work.dir, "processes"), { processes: 2 });
    const result = failed(await tight.build({ language: "c", kind: "reactor", source: "int x = 1;\n" }));
    assert.equal(result.limit, "processes");
    assert.equal(result.error, "the build was stopped by the process limit (2 processes and threads, processes)");
  });
});

describe("queue", () => {
  it("finishes 20 concurrent builds, at most `concurrency` at a time, dropping none", SLOW, async () => {
    const { builder: two } = testBuilder(path.join(work.dir, "queue"), { concurrency: 2 });
    let peakActive = 0;
    let peakQueued = 0;
    const watch = setInterval(() => {
      peakActive = Math.max(peakActive, two.queue.active);
      peakQueued = Math.max(peakQueued, two.queue.queued);
    }, 5);
    try {
      const sources = Array.from({ length: 20 }, (_, i) => `__attribute__((export_name("n"))) int n(void) { return ${i}; }\n`);
      const results = await Promise.all(sources.map((source) => two.build({ language: "c", kind: "reactor", source })));
      const modules = results.map((r) => succeeded(r));
      assert.equal(modules.length, 20);
      assert.equal(new Set(modules.map((m) => m.sha256)).size, 20, "20 different modules");
      assert.ok(modules.every((m) => !m.cached));
      assert.ok(peakActive <= 2, `at most 2 ran at once (saw ${peakActive})`);
      assert.ok(peakQueued >= 10, `the others waited in the queue (saw ${peakQueued} waiting)`);
    } finally {
      clearInterval(watch);
    }
    assert.deepEqual([two.queue.active, two.queue.queued], [0, 0]);
  });
});

/** Resolves once `condition()` holds (checked every 10 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("requesters that leave", () => {
  it("runs a shared build while one requester waits, and skips it when all have left", SLOW, async () => {
    const { builder: one, store: counted } = testBuilder(path.join(work.dir, "leave"), { concurrency: 1, cpuSeconds: 1 });
    const block = () => one.build({ language: "rust", kind: "reactor", source: slowRustSource() });

    const kept = { language: "c" as const, kind: "reactor" as const, source: "int kept;\n" };
    const first = block();
    await until(() => one.queue.active === 1);
    const [stays, goes] = [new AbortController(), new AbortController()];
    const both = Promise.all([one.build(kept, stays.signal), one.build(kept, goes.signal)]);
    await until(() => one.queue.queued === 1);
    goes.abort();
    const [staying] = await both;
    assert.equal(succeeded(staying).cached, false);
    assert.equal(failed(await first).limit, "cpu");

    const dropped = { language: "c" as const, kind: "reactor" as const, source: "int dropped;\n" };
    const second = block();
    await until(() => one.queue.active === 1);
    const [a, b] = [new AbortController(), new AbortController()];
    const gone = Promise.allSettled([one.build(dropped, a.signal), one.build(dropped, b.signal)]);
    await until(() => one.queue.queued === 1);
    const puts = counted.puts;
    a.abort();
    b.abort();
    const settled = await gone;
    assert.deepEqual(settled.map((r) => r.status === "rejected" && r.reason instanceof Abandoned), [true, true]);
    await second;
    assert.equal(counted.puts, puts, "the abandoned build stored nothing");
  });
});

describe("job folders", () => {
  it("removes each job's folder", SLOW, async () => {
    const { dir, remove } = temporaryDir("build-jobs-");
    try {
      // Searchable by the sandbox's user (nobody, when the tests run as root), as /tmp is.
      fs.chmodSync(dir, 0o755);
      const scratch = path.join(dir, "work");
      fs.mkdirSync(scratch, { mode: 0o755 });
      const { builder: local } = testBuilder(path.join(dir, "cache"), {}, scratch);
      succeeded(await local.build({ language: "c", kind: "reactor", source: "int x;\n" }));
      failed(await local.build({ language: "c", kind: "reactor", source: "int x\n" }));
      assert.deepEqual(fs.readdirSync(scratch), []);
    } finally {
      remove();
    }
  });
});
