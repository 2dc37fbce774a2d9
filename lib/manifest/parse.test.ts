import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManifestError, parseManifest } from "./parse";

const DOCUMENTED = `[extension]
name = "demo"
version = "1.2.0"
authors = ["Ada"]

[engine]
type = "wasm"
entry = "demo.wasm"

[permissions]
environment = ["TERM", "FT_*"]
filesystem_read = ["/data"]

[limits]
max_memory_bytes = 1048576
fuel_per_call = 5000
max_wall_time_secs = 2.5

[[hooks]]
event = "config.reload"
handler = "on_reload"

[[hooks]]
event = "pane.*"
handler = "on_pane"
`;

/** Parses `source` expecting a ManifestError and returns it. */
function failure(source: string): ManifestError {
  try {
    parseManifest(source);
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  assert.fail("expected a ManifestError");
}

describe("parseManifest", () => {
  test("reads the documented form and records it", () => {
    const m = parseManifest(DOCUMENTED);
    assert.equal(m.extension.name, "demo");
    assert.equal(m.extension.version, "1.2.0");
    assert.deepEqual(m.extension.authors, ["Ada"]);
    assert.deepEqual(m.engine, { type: "wasm", entry: "demo.wasm" });
    assert.deepEqual(m.permissions.environment, ["TERM", "FT_*"]);
    assert.deepEqual(m.permissions.filesystemRead, ["/data"]);
    assert.equal(m.permissions.filesystemForm, "documented");
    assert.deepEqual(m.limits, { maxMemoryBytes: 1048576, fuelPerCall: 5000, maxWallTimeSecs: 2.5 });
    assert.equal(m.hookForm, "documented");
    assert.deepEqual(
      m.hooks.map((h) => [h.event, h.handler, h.line]),
      [
        ["config.reload", "on_reload", 21],
        ["pane.*", "on_pane", 25],
      ],
    );
  });

  test("reads the host code's [hooks] table and filesystem form", () => {
    const m = parseManifest(`[extension]\nname = "x"\n[permissions]\nfilesystem = ["read:/a", "write:/b", "/c"]\n[hooks]\n"pane.focus" = "on_focus"\n"*" = "on_any"\n`);
    assert.equal(m.hookForm, "host-code");
    assert.deepEqual(m.hooks.map((h) => [h.event, h.handler]), [["pane.focus", "on_focus"], ["*", "on_any"]]);
    assert.deepEqual(m.permissions.filesystemRead, ["/a", "/c"]);
    assert.deepEqual(m.permissions.filesystemWrite, ["/b"]);
    assert.equal(m.permissions.filesystemForm, "host-code");
  });

  test("applies the documented defaults", () => {
    const m = parseManifest(`[extension]\nname = "x"\n`);
    assert.equal(m.extension.version, "0.0.0");
    assert.equal(m.engine.entry, "main.wasm");
    assert.deepEqual(m.limits, { maxMemoryBytes: 67108864, fuelPerCall: 1_000_000_000, maxWallTimeSecs: 10 });
    assert.equal(m.hookForm, "none");
    assert.deepEqual(m.permissions.environment, []);
  });

  test("a TOML syntax error names its line", () => {
    const error = failure(`[extension]\nname = "x"\nversion = = "1"\n`);
    assert.equal(error.line, 3);
    assert.match(error.message, /^extension\.toml line 3: TOML syntax error at column \d+/);
  });

  test("a missing name is an error naming extension.name", () => {
    const error = failure(`[extension]\nversion = "1"\n`);
    assert.equal(error.key, "extension.name");
    assert.equal(error.line, 1);
  });

  test("a missing [extension] table is an error", () => {
    assert.equal(failure(`[engine]\ntype = "wasm"\n`).key, "extension");
  });

  test("an unknown event names the key and line", () => {
    const error = failure(`[extension]\nname = "x"\n\n[[hooks]]\nevent = "config.reload"\nhandler = "a"\n\n[[hooks]]\nevent = "pane.exploded"\nhandler = "b"\n`);
    assert.equal(error.key, "hooks[1].event");
    assert.equal(error.line, 9);
    assert.match(error.detail, /unknown event "pane\.exploded"/);
  });

  test("a prefix pattern needs a known prefix and the dot", () => {
    assert.match(failure(`[extension]\nname = "x"\n[hooks]\n"panes.*" = "a"\n`).detail, /no event starts with "panes\."/);
    assert.match(failure(`[extension]\nname = "x"\n[hooks]\n"pane*" = "a"\n`).detail, /unknown event "pane\*"/);
  });

  test("wrong types name the key", () => {
    assert.equal(failure(`[extension]\nname = 3\n`).key, "extension.name");
    assert.equal(failure(`[extension]\nname = "x"\n[permissions]\nenvironment = "TERM"\n`).key, "permissions.environment");
    assert.equal(failure(`[extension]\nname = "x"\n[limits]\nfuel_per_call = -5\n`).key, "limits.fuel_per_call");
    assert.equal(failure(`[extension]\nname = "x"\n[limits]\nmax_memory_bytes = 1.5\n`).key, "limits.max_memory_bytes");
    assert.equal(failure(`[extension]\nname = "x"\n[permissions]\nnetwork = "yes"\n`).key, "permissions.network");
  });

  test("a hook without a handler names it", () => {
    const error = failure(`[extension]\nname = "x"\n[[hooks]]\nevent = "pane.focus"\n`);
    assert.equal(error.key, "hooks[0].handler");
  });

  test("a lua-only engine is refused", () => {
    assert.match(failure(`[extension]\nname = "x"\n[engine]\ntype = "lua"\n`).detail, /WebAssembly extensions only/);
  });

  test("unknown keys are warnings with their line, not errors", () => {
    const m = parseManifest(`[extension]\nname = "x"\ncolour = "red"\n[extras]\na = 1\n`);
    assert.deepEqual(m.warnings, ["line 4: unknown table [extras] ignored", "line 3: unknown key extension.colour ignored"]);
  });
});
