/**
 * `extension-playground test` as a child process: the example specs beside every example
 * pass, a failing spec prints its diff and exits 1, JUnit XML, and bad specs are named
 * with their file, line and key.
 */

import assert from "node:assert/strict";
import { readdirSync, existsSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import path from "node:path";
import { cli, ROOT, TMP } from "./test-support";

const EXAMPLES = readdirSync(path.join(ROOT, "extensions"))
  .filter((name) => existsSync(path.join(ROOT, "extensions", name, "extension.test.toml")))
  .sort();

describe("example specs", () => {
  test("there is a spec beside every example extension", () => {
    const withManifest = readdirSync(path.join(ROOT, "extensions")).filter((name) => existsSync(path.join(ROOT, "extensions", name, "extension.toml")));
    assert.deepEqual(EXAMPLES, withManifest.sort());
    assert.equal(EXAMPLES.length, 9);
  });

  test("every example's spec passes (TAP)", () => {
    const specs = EXAMPLES.map((name) => path.join("extensions", name, "extension.test.toml"));
    const run = cli(["test", ...specs]);
    assert.equal(run.stderr, "");
    assert.equal(run.status, 0, run.stdout);
    const lines = run.stdout.split("\n");
    assert.equal(lines[0], "TAP version 14");
    assert.equal(lines[1], `1..${EXAMPLES.length}`);
    const top = lines.filter((l) => /^(not )?ok \d+ - /.test(l));
    assert.deepEqual(
      top,
      EXAMPLES.map((name, i) => `ok ${i + 1} - ${name} # extensions/${name}/extension.test.toml`),
    );
    assert.doesNotMatch(run.stdout, /not ok/);
    // Expectations really ran: env-reader's denied HOME, notes' file, calc's native command.
    assert.ok(lines.includes("    ok 5 - step 1 (config.reload): no audit record env_get HOME Ok"));
    assert.ok(lines.includes("    ok 8 - after the last step: file /work/notes.txt has the expected content"));
  });
});

describe("a failing spec", () => {
  const spec = path.join("cli", "testdata", "failing.test.toml");

  test("TAP: each failed expectation with its diff, status 1", () => {
    const run = cli(["test", spec]);
    assert.equal(run.status, 1);
    assert.equal(
      run.stdout,
      [
        "TAP version 14",
        "1..1",
        "# Subtest: hello, wrongly expected",
        "    1..5",
        "    ok 1 - loads",
        "    ok 2 - step 1 (pane.focus): on_focus returns",
        "    not ok 3 - step 1 (pane.focus): logs",
        "      ---",
        '      message: "1 of 2 expected not found in order (first: INFO  \\"focus #9\\") among 1 actual"',
        "      diff: |-",
        '          INFO  "focus #1"',
        '        - INFO  "focus #9"',
        "      ...",
        "    not ok 4 - step 1 (pane.focus): audit",
        "      ---",
        '      message: "1 of 1 expected not found in order (first: env_get HOME Ok) among 2 actual"',
        "      diff: |-",
        "        - env_get HOME Ok",
        "        + environ_sizes_get 1048572, 1048568 Ok",
        "        + ft_log level=2 msg=focus #1 Ok",
        "      ...",
        "    ok 5 - exit status 0 (ok)",
        "not ok 1 - hello, wrongly expected # cli/testdata/failing.test.toml",
        "",
      ].join("\n"),
    );
  });

  test("JUnit XML: a testcase per expectation, the diff in <failure>", () => {
    const run = cli(["test", spec, "--format", "junit"]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="extension-playground" tests="5" failures="2" time="[\d.]+">\n/);
    assert.match(run.stdout, /<testcase name="step 1 \(pane\.focus\): logs" classname="hello, wrongly expected" time="0">\n {6}<failure message="1 of 2 expected not found in order \(first: INFO {2}&quot;focus #9&quot;\) among 1 actual"> {2}INFO {2}"focus #1"\n- INFO {2}"focus #9"<\/failure>/);
    assert.equal((run.stdout.match(/<testcase /g) ?? []).length, 5);
    assert.equal((run.stdout.match(/<failure /g) ?? []).length, 2);
  });

  test("expectations on traps and exit status: a hostile module's trap, expected", () => {
    const file = path.join(TMP, "unreachable.test.toml");
    writeFileSync(
      file,
      [
        `module = "${path.join(ROOT, "public", "extensions", "hostile", "unreachable.wasm")}"`,
        `manifest = "${path.join(ROOT, "extensions", "hostile", "unreachable", "extension.toml")}"`,
        "[[steps]]",
        'event = "config.reload"',
        'trap = "unreachable"',
        "[expect]",
        'exit = "unreachable"',
      ].join("\n"),
    );
    const run = cli(["test", file]);
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /ok 2 - step 1 \(config\.reload\): on_reload traps \(unreachable\)\n {4}ok 3 - exit status 14 \(unreachable\)/);
  });
});

describe("bad specs: file, line and key on stderr, status 3", () => {
  const bad = (name: string, text: string) => {
    const file = path.join(TMP, name);
    writeFileSync(file, text);
    return { file, run: cli(["test", file]) };
  };

  test("an unknown event in the second step", () => {
    const run = cli(["test", path.join("cli", "testdata", "bad-spec.test.toml")]);
    assert.equal(run.status, 3);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: cli\/testdata\/bad-spec\.test\.toml line 9, key `steps\[1\]\.event`: unknown event "pane\.focussed"; expected one of config\.reload/);
  });

  test("a TOML syntax error", () => {
    const { file, run } = bad("syntax.test.toml", 'module = "x.wasm"\n[[steps]\n');
    assert.equal(run.status, 3);
    assert.match(run.stderr, new RegExp(`^error: ${file} line 2: TOML syntax error at column \\d+: `));
  });

  test("an unknown key, a wrong level, an audit string without outcome", () => {
    const module = `module = "${path.join(ROOT, "public", "extensions", "hello.wasm")}"\nmanifest = "${path.join(ROOT, "extensions", "hello", "extension.toml")}"\n`;
    const unknown = bad("unknown.test.toml", `${module}[[steps]]\nevent = "pane.focus"\nlog = ["x"]\n`);
    assert.equal(unknown.run.status, 3);
    assert.match(unknown.run.stderr, new RegExp(`^error: ${unknown.file} line 5, key \`steps\\[0\\]\\.log\`: unknown key \\(expected one of event, hook, payload, logs,`));
    const level = bad("level.test.toml", `${module}[[steps]]\nevent = "pane.focus"\n\nlogs = [{ level = "LOUD", text = "x" }]\n`);
    assert.match(level.run.stderr, new RegExp(`^error: ${level.file} line 6, key \`steps\\[0\\]\\.logs\\[0\\]\\.level\`: must be one of TRACE, DEBUG, INFO, WARN, ERROR, found string "LOUD"`));
    const audit = bad("audit.test.toml", `${module}[[steps]]\nevent = "pane.focus"\naudit = ["env_get HOME"]\n`);
    assert.match(audit.run.stderr, new RegExp(`^error: ${audit.file} line 5, key \`steps\\[0\\]\\.audit\\[0\\]\`: "env_get HOME": expected "FUNCTION \\[ARGS\\] OUTCOME"`));
  });

  test("a missing spec file, no module key, an unknown flag", () => {
    const missing = cli(["test", "no/such.test.toml"]);
    assert.equal(missing.status, 3);
    assert.equal(missing.stderr, "error: cannot read the spec no/such.test.toml: no such file or directory\n");
    const { file, run } = bad("no-module.test.toml", "[[steps]]\nhook = \"on_focus\"\n");
    assert.equal(run.status, 3);
    assert.match(run.stderr, new RegExp(`^error: ${file}, key \`module\`: the module to load is required`));
    const flag = cli(["test", "--format", "xml", "x.toml"]);
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /^error: --format xml: expected tap or junit\n\nusage: extension-playground test/);
  });
});
