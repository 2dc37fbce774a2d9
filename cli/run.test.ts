/**
 * `extension-playground run` as a child process: every example, the hostile modules'
 * statuses, JSON Lines, the module cache, native commands and the bad-input errors.
 */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { zipSync } from "fflate";
import { INSTRUMENTATION_VERSION } from "../lib/sandbox/instrument";
import { writeFtx } from "../lib/share/ftx";
import path from "node:path";
import { BUILT, cli, jsonRecords, ROOT, TMP } from "./test-support";

/** Each example, the event its first hook subscribes to, and a log line that event must produce. */
const EXAMPLES: { name: string; args: string[]; log: string }[] = [
  { name: "hello", args: ["--event", "config.reload"], log: "info: hello from Rust" },
  { name: "env-reader", args: ["--event", "config.reload", "--env", "TERM=xterm-256color"], log: "TERM=xterm-256color" },
  { name: "hello-c", args: ["--event", "config.reload"], log: "info: hello from C" },
  { name: "wat-tour", args: ["--event", "config.reload"], log: "wat-tour: hello from hand-written WebAssembly" },
  { name: "echo-events", args: ["--event", "pane.created", "--payload", '{"pane_id":7}'], log: '#1 {"pane_id":7}' },
  { name: "notes", args: ["--event", "pane.output"], log: "appended to /work/notes.txt" },
  { name: "ticker", args: ["--event", "config.reload"], log: "" },
  { name: "calc", args: ["--event", "config.reload"], log: 'add 2 + 40: {"results":[{"index":0,"action":"add","status":"ok","value":42}]}' },
  { name: "bad-command", args: ["--event", "config.reload"], log: 'run_binary -> -1: {"error":{"code":"denied","message":"command not permitted: run_binary ([permissions] commands allows: add)"}}' },
];

describe("every example", () => {
  for (const example of EXAMPLES) {
    test(`${example.name}: loads, calls its hook, exits 0; --json parses line by line`, () => {
      const wasm = path.join(BUILT, `${example.name}.wasm`);
      const run = cli(["run", wasm, ...example.args, "--json"]);
      assert.equal(run.stderr, "");
      assert.equal(run.status, 0, run.stdout);
      const records = jsonRecords(run.stdout);
      const load = records.find((r) => r.type === "load");
      assert.equal(load?.extension, example.name);
      const results = records.filter((r) => r.type === "result" && r.handler !== "_initialize");
      assert.equal(results.length, 1);
      assert.equal(results[0]?.outcome, "returned");
      if (example.log) assert.ok(records.some((r) => r.type === "log" && r.message === example.log), `no log line ${example.log}`);
      assert.deepEqual(records.at(-1), { type: "exit", status: 0, reason: `every call returned (${example.name === "hello-c" ? 2 : 1} call${example.name === "hello-c" ? "s" : ""})` });
    });
  }

  test("text output: log lines by level, stdout and stderr, audit records, the exit line", () => {
    const run = cli(["run", path.join(BUILT, "hello.wasm"), "--event", "config.reload"]);
    assert.equal(run.status, 0);
    const lines = run.stdout.split("\n");
    assert.match(lines[0] ?? "", /^loaded hello 0\.1\.0 from hello\.wasm \(76,549 bytes, sha256 [0-9a-f]{12}…, cache (none|disk), [\d.]+ ms\)$/);
    for (const line of [
      '▶ config.reload payload {"changed":{"font.size":{"old":12,"new":13}}}',
      "  ▷ on_reload",
      "    stdout hello, stdout",
      "    stderr hello, stderr",
      "    TRACE trace: hello from Rust",
      "    WARN  warn: hello from Rust",
      "    audit ft_log level=2 msg=info: hello from Rust Ok",
      "exit 0 (ok): every call returned (1 call)",
    ]) {
      assert.ok(lines.includes(line), `missing line ${JSON.stringify(line)} in\n${run.stdout}`);
    }
    // Not a terminal: no colour; FORCE_COLOR asks for it anyway.
    assert.doesNotMatch(run.stdout, /\x1b\[/);
    const coloured = cli(["run", path.join(BUILT, "hello.wasm"), "--event", "config.reload"], { env: { FORCE_COLOR: "1" } });
    assert.ok(coloured.stdout.includes("\x1b[32m✓\x1b[39m on_reload returned"), coloured.stdout);
    assert.ok(coloured.stdout.includes("\x1b[31mERROR\x1b[39m error: hello from Rust"), coloured.stdout);
  });

  test("events and hooks run in the order given; state persists between them", () => {
    const run = cli(["run", path.join(BUILT, "hello.wasm"), "--event", "pane.focus", "--hook", "on_focus", "--event", "pane.focus", "--json"]);
    assert.equal(run.status, 0);
    const logs = jsonRecords(run.stdout).filter((r) => r.type === "log").map((r) => r.message);
    assert.deepEqual(logs, ["focus #1", "focus #2", "focus #3"]);
  });

  test("a WASI command runs _start with --args, --env-file and --stdin; proc_exit 3 gives status 6", () => {
    const dir = path.join(TMP, "inputs");
    execFileSync("mkdir", ["-p", dir]);
    writeFileSync(path.join(dir, "env"), '# conformance\nCONFORMANCE_GREETING=hello\nTERM="xterm-256color"\n');
    writeFileSync(path.join(dir, "stdin"), "line one\nline two ✓\n");
    const args = cli(["run", path.join(BUILT, "conformance", "args-env-c.wasm"), "--env-file", path.join(dir, "env"), "--args", "one"]);
    assert.equal(args.status, 0, args.stdout + args.stderr);
    const stdin = cli(["run", path.join(BUILT, "conformance", "stdin-rs.wasm"), "--stdin", path.join(dir, "stdin"), "--json"]);
    assert.equal(stdin.status, 0, stdin.stdout);
    assert.ok(jsonRecords(stdin.stdout).some((r) => r.type === "stdout" && String(r.line).startsWith("stdin-rs: ok")));
    const exit = cli(["run", path.join(BUILT, "conformance", "exit-code-c.wasm"), "--json"]);
    assert.equal(exit.status, 6);
    const result = jsonRecords(exit.stdout).find((r) => r.type === "result");
    assert.equal(result?.outcome, "exit");
    assert.equal(result?.exitCode, 3);
  });

  test("--file maps a local folder into the guest; denied writes are audited; --deny-is-error gives 5", () => {
    const dir = path.join(TMP, "data");
    execFileSync("mkdir", ["-p", dir]);
    writeFileSync(path.join(dir, "readme.txt"), "first line\nsecond\n");
    const args = ["run", path.join(BUILT, "notes.wasm"), "--file", `/data=${dir}`, "--event", "config.reload", "--json"];
    const run = cli(args);
    assert.equal(run.status, 0);
    const records = jsonRecords(run.stdout);
    assert.ok(records.some((r) => r.type === "log" && r.message === "/data/readme.txt: first line"));
    assert.ok(records.some((r) => r.type === "audit" && r.function === "fs_write" && r.args === "/data/forbidden.txt" && String(r.outcome).startsWith("Denied")));
    const strict = cli([...args, "--deny-is-error"]);
    assert.equal(strict.status, 5);
    assert.match(String(jsonRecords(strict.stdout).at(-1)?.reason), /^--deny-is-error: on_reload \(config\.reload\): fs_write \/data\/forbidden\.txt Denied/);
  });

  test("the module cache: a miss, then a disk hit keyed by the same SHA-256", () => {
    const cache = path.join(TMP, "fresh-cache");
    const first = jsonRecords(cli(["run", path.join(BUILT, "wat-tour.wasm"), "--json", "--cache-dir", cache]).stdout).find((r) => r.type === "load");
    const second = jsonRecords(cli(["run", path.join(BUILT, "wat-tour.wasm"), "--json", "--cache-dir", cache]).stdout).find((r) => r.type === "load");
    assert.equal(first?.cache, "none");
    assert.equal(second?.cache, "disk");
    assert.equal(first?.sha256, second?.sha256);
    const files = execFileSync("ls", [cache], { encoding: "utf8" }).trim().split("\n");
    assert.deepEqual(files, [`${String(first?.sha256)}-v${INSTRUMENTATION_VERSION}.bin`]);
  });

  test("ft_command reaches the executor without a server, with the route's schema errors", () => {
    const run = cli(["run", path.join(BUILT, "bad-command.wasm"), "--event", "config.reload", "--json"]);
    const audit = jsonRecords(run.stdout).filter((r) => r.type === "audit" && r.function === "ft_command");
    assert.deepEqual(
      audit.map((r) => r.outcome),
      ['Error("invalid_command: /1/args/a must be integer")', 'Denied("command not permitted: run_binary ([permissions] commands allows: add)")'],
    );
    const load = jsonRecords(run.stdout).find((r) => r.type === "load");
    assert.equal(load?.commandTransport, "parent-thread");
  });
});

test("without the bundle (sources edited since it was built), tsx runs the same code", () => {
  const run = cli(["run", path.join(BUILT, "calc.wasm"), "--event", "config.reload", "--json"], { env: { EXTENSION_PLAYGROUND_NO_BUNDLE: "1" } });
  assert.equal(run.status, 0, run.stderr);
  const records = jsonRecords(run.stdout);
  assert.ok(records.some((r) => r.type === "log" && r.message === 'add 2 + 40: {"results":[{"index":0,"action":"add","status":"ok","value":42}]}'));
});

describe("a .ftx package", () => {
  test("runs the module its manifest's [engine] entry names, with that manifest", () => {
    const file = path.join(TMP, "hello.ftx");
    const manifestText = readFileSync(path.join(ROOT, "extensions", "hello", "extension.toml"), "utf8");
    writeFileSync(file, writeFtx({ manifestText, module: readFileSync(path.join(BUILT, "hello.wasm")) }, "hello.ftx"));
    const run = cli(["run", file, "--event", "pane.focus", "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const records = jsonRecords(run.stdout);
    assert.equal(records.find((r) => r.type === "load")?.module, "hello.wasm");
    assert.ok(records.some((r) => r.type === "log" && r.message === "focus #1"));
  });

  test("a package without a manifest: status 3, what is missing", () => {
    const file = path.join(TMP, "broken.ftx");
    writeFileSync(file, zipSync({ "main.wasm": readFileSync(path.join(BUILT, "hello.wasm")) }));
    const run = cli(["run", file]);
    assert.equal(run.status, 3);
    assert.equal(run.stderr, `error: the package ${file}: extension.toml: missing: a package needs its manifest at the root\n`);
  });
});

describe("hostile modules give their trap's status", () => {
  const hostile = (name: string, ...args: string[]) => cli(["run", path.join(BUILT, "hostile", `${name}.wasm`), "--event", "config.reload", "--json", ...args]);
  const cases: [string, number, string][] = [
    ["loop", 11, "out_of_fuel"],
    ["recursion", 15, "stack_overflow"],
    ["unreachable", 14, "unreachable"],
  ];
  for (const [name, status, kind] of cases) {
    test(`${name}: ${kind}, status ${status}`, () => {
      const run = hostile(name);
      assert.equal(run.status, status, run.stdout);
      const result = jsonRecords(run.stdout).find((r) => r.type === "result") as { trap?: { kind: string } } | undefined;
      assert.equal(result?.trap?.kind, kind);
    });
  }

  test("memory-bomb: memory.grow refused at the cap (audited), then the guest aborts: unreachable, 14", () => {
    const run = cli(["run", path.join(BUILT, "hostile", "memory-bomb.wasm"), "--event", "pane.focus", "--json"]);
    assert.equal(run.status, 14);
    const records = jsonRecords(run.stdout);
    assert.ok(records.some((r) => r.type === "audit" && r.function === "memory.grow" && String(r.outcome).startsWith("Denied")));
  });

  test("start-loop: the start function runs out of fuel while loading, status 11", () => {
    const run = hostile("start-loop");
    assert.equal(run.status, 11);
    assert.match(run.stderr, /^error: could not load \(start\): the start function trapped \(out_of_fuel\)/);
  });

  test("unknown-import and wrong-signature are load errors, status 4", () => {
    assert.equal(hostile("unknown-import").status, 4);
    const wrong = hostile("wrong-signature");
    assert.equal(wrong.status, 4);
    assert.match(wrong.stderr, /\(link\): "env"\."ft_get_env" is imported as \(i64, i32\) -> i32, but the host function is \(i32, i32\) -> i32/);
  });

  test("bad-pointers and log-flood return: the host refuses, the guest goes on", () => {
    assert.equal(hostile("bad-pointers").status, 0);
    const flood = jsonRecords(hostile("log-flood").stdout);
    const result = flood.find((r) => r.type === "result") as { dropped?: { logs: number } } | undefined;
    assert.ok((result?.dropped?.logs ?? 0) > 0);
    assert.equal(flood.filter((r) => r.type === "log").length, 1000);
  });

  test("wall time: a busy loop is stopped by terminating its worker, status 13, later calls skipped", () => {
    const run = cli(["run", path.join(BUILT, "hostile", "loop.wasm"), "--manifest", path.join(ROOT, "cli", "testdata", "loop-wall-1s.toml"), "--event", "config.reload", "--event", "config.reload", "--json"]);
    assert.equal(run.status, 13);
    const records = jsonRecords(run.stdout);
    assert.equal(records.filter((r) => r.type === "result").length, 1);
    assert.ok(records.some((r) => r.type === "note" && r.message === "the instance has ended: 1 planned call(s) not made"));
  });

  test("wall time: a guest blocked in a sleep is stopped too; output streamed before the stop is kept", () => {
    const run = cli(["run", path.join(BUILT, "ticker.wasm"), "--manifest", path.join(ROOT, "cli", "testdata", "ticker-wall-1s.toml"), "--event", "config.reload", "--json"]);
    assert.equal(run.status, 13);
    const ticks = jsonRecords(run.stdout).filter((r) => r.type === "stdout");
    // Ticks at 300, 600, 900 ms come before the 1 s stop (the fifth, at 1.5 s, never does);
    // how many exactly depends on how busy the machine is.
    assert.ok(ticks.length >= 1 && ticks.length <= 4, `${ticks.length} ticks`);
    assert.match(String(ticks[0]?.line), /^tick 1 at \d+ ms$/);
  });
});

describe("bad input: a clear error on stderr, a non-zero status", () => {
  test("a missing module: status 3", () => {
    const run = cli(["run", "no/such/module.wasm"]);
    assert.equal(run.status, 3);
    assert.equal(run.stderr, "error: cannot read the module no/such/module.wasm: no such file or directory\n");
    assert.equal(run.stdout, "");
  });

  test("a malformed module: status 4, the engine's reason", () => {
    const run = cli(["run", path.join(ROOT, "cli", "testdata", "not-a-module.wasm"), "--manifest", path.join(ROOT, "extensions", "hello", "extension.toml")]);
    assert.equal(run.status, 4);
    assert.match(run.stderr, /^error: could not load \(compile\): not a valid WebAssembly module \(16 bytes\): /);
  });

  test("a bad manifest: status 4, the file, line and key", () => {
    const manifest = path.join("cli", "testdata", "bad-manifest.toml");
    const run = cli(["run", path.join(BUILT, "hello.wasm"), "--manifest", manifest]);
    assert.equal(run.status, 4);
    assert.match(run.stderr, /^error: could not load \(manifest\): cli\/testdata\/bad-manifest\.toml line 5, key `hooks\[0\]\.event`: unknown event "pane\.focussed"/);
  });

  test("no manifest beside the module: status 3, where it looked", () => {
    const run = cli(["run", path.join(ROOT, "cli", "testdata", "not-a-module.wasm")]);
    assert.equal(run.status, 3);
    assert.match(run.stderr, /^error: no manifest for .*not-a-module\.wasm: pass --manifest FILE \(looked for .*extension\.toml and .*not-a-module\.toml\)/);
  });

  test("an unknown flag: status 2, the flag and the usage", () => {
    const run = cli(["run", path.join(BUILT, "hello.wasm"), "--frobnicate"]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^error: unknown flag --frobnicate\n\nusage: extension-playground run <module\.wasm \| package\.ftx>/);
  });

  test("a payload that is not JSON, an unknown event, a misplaced --payload", () => {
    const hello = path.join(BUILT, "hello.wasm");
    const payload = cli(["run", hello, "--event", "pane.focus", "--payload", "{nope"]);
    assert.equal(payload.status, 3);
    assert.match(payload.stderr, /^error: --payload \{nope: not JSON: /);
    const event = cli(["run", hello, "--event", "pane.focussed"]);
    assert.equal(event.status, 3);
    assert.match(event.stderr, /^error: --event pane\.focussed: unknown event; expected one of config\.reload, /);
    const misplaced = cli(["run", hello, "--payload", "{}"]);
    assert.equal(misplaced.status, 2);
    assert.match(misplaced.stderr, /^error: --payload must follow the --event or --hook it belongs to/);
  });

  test("a hook the module does not export: status 3, its exports listed", () => {
    const run = cli(["run", path.join(BUILT, "hello.wasm"), "--hook", "on_nothing", "--json"]);
    assert.equal(run.status, 3);
    assert.match(String(jsonRecords(run.stdout).at(-1)?.reason), /^--hook on_nothing: the module does not export a function "on_nothing" \(its function exports: .*on_focus/);
  });

  test("a bad env file line: status 3, file and line", () => {
    const file = path.join(TMP, "bad.env");
    writeFileSync(file, "OK=1\nnot an assignment\n");
    const run = cli(["run", path.join(BUILT, "hello.wasm"), "--env-file", file]);
    assert.equal(run.status, 3);
    assert.equal(run.stderr, `error: ${file} line 2: expected KEY=VALUE, found "not an assignment"\n`);
  });
});
