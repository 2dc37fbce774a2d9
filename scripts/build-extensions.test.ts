/**
 * Tests for scripts/build-extensions.ts and for the example extensions it
 * builds.
 *
 * 1. The build script itself, on throwaway extension folders in a temp dir:
 *    discovery (nested groups), both hook forms, up-to-date skipping,
 *    compile errors and missing toolchains.
 * 2. The built examples in public/extensions/ (run the build first:
 *    `npx tsx scripts/build-extensions.ts`): they validate, import exactly
 *    the expected host functions from the expected namespace and export
 *    `memory` and their manifest's handlers.
 * 3. The examples actually run: a deliberately tiny host below (ft_log,
 *    ft_get_env, ft_return_buffer_read and a few WASI preview1 stubs)
 *    instantiates each one, calls `_initialize` if exported, calls hooks and
 *    checks every log line and every byte of stdout/stderr. It is a test
 *    fixture, not the playground's host.
 *
 * Run: node --import tsx --test scripts/build-extensions.test.ts
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  buildAll,
  clangArgs,
  CompileError,
  defaultBuildConfig,
  discoverExtensions,
  ExtensionLayoutError,
  type BuildConfig,
  type IndexEntry,
  readManifest,
  rustArgs,
  ToolchainMissingError,
} from "./build-extensions";

const scriptDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(scriptDir, "..");
const publicDir = path.join(repoRoot, "public", "extensions");

// ---------------------------------------------------------------------------
// 1. The build script
// ---------------------------------------------------------------------------

function tempConfig(root: string, overrides: Partial<BuildConfig> = {}): BuildConfig {
  return {
    ...defaultBuildConfig(),
    extensionsDir: path.join(root, "extensions"),
    outDir: path.join(root, "public", "extensions"),
    extraInputs: [],
    log: () => {},
    ...overrides,
  };
}

function writeExtension(root: string, rel: string, files: Record<string, string>): void {
  const dir = path.join(root, "extensions", rel);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

const tinyWat = `(module
  (import "env" "ft_log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "tiny")
  (func (export "on_reload") (call $log (i32.const 2) (i32.const 0) (i32.const 4))))
`;

function manifest(name: string, hooks = `[[hooks]]\nevent = "config.reload"\nhandler = "on_reload"\n`): string {
  return `[extension]\nname = "${name}"\ndescription = "test ${name}"\n\n[engine]\ntype = "wasm"\nentry = "${name}.wasm"\n\n${hooks}`;
}

describe("build script", () => {
  let root = "";
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "build-extensions-test-"));
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("reads both hook forms and says which one a manifest used", () => {
    const documented = readManifest(manifest("a"), "a");
    assert.equal(documented.hookForm, "array");
    assert.deepEqual(documented.hooks, [{ event: "config.reload", handler: "on_reload" }]);
    const code = readManifest(manifest("b", `[hooks]\n"pane.focus" = "on_focus"\n`), "b");
    assert.equal(code.hookForm, "table");
    assert.deepEqual(code.hooks, [{ event: "pane.focus", handler: "on_focus" }]);
    assert.throws(() => readManifest(`[extension]\nversion = "1"\n`, "x/extension.toml"), /x\/extension.toml: \[extension\] name is required/);
  });

  it("finds nested extensions, compiles WAT with wabt and writes the index with groups", async () => {
    writeExtension(root, "tiny", { "extension.toml": manifest("tiny"), "tiny.wat": tinyWat });
    writeExtension(root, "hostile/loop", { "extension.toml": manifest("loop"), "loop.wat": tinyWat });
    const config = tempConfig(root);

    const found = discoverExtensions(config.extensionsDir).map((e) => [e.group, e.name, e.language]);
    assert.deepEqual(found, [["", "tiny", "wat"], ["hostile", "loop", "wat"]]);

    const report = await buildAll(config);
    assert.deepEqual(report.compiled, ["tiny", "hostile/loop"]);
    assert.ok(WebAssembly.validate(fs.readFileSync(path.join(config.outDir, "tiny.wasm"))));
    assert.ok(fs.existsSync(path.join(config.outDir, "hostile", "loop.wasm")));
    assert.equal(fs.readFileSync(path.join(config.outDir, "hostile", "loop.wat"), "utf8"), tinyWat);
    const index = JSON.parse(fs.readFileSync(report.indexPath, "utf8")) as IndexEntry[];
    assert.deepEqual(index, [
      { name: "tiny", description: "test tiny", language: "wat", wasm: "/extensions/tiny.wasm", manifest: "/extensions/tiny.toml", source: "/extensions/tiny.wat" },
      {
        name: "loop", description: "test loop", language: "wat",
        wasm: "/extensions/hostile/loop.wasm", manifest: "/extensions/hostile/loop.toml", source: "/extensions/hostile/loop.wat",
        group: "hostile",
      },
    ]);
  });

  it("skips up-to-date outputs and rebuilds when the source changes", async () => {
    const config = tempConfig(root);
    const wasm = path.join(config.outDir, "tiny.wasm");
    const before = fs.statSync(wasm).mtimeMs;
    const again = await buildAll(config);
    assert.deepEqual(again.compiled, []);
    assert.deepEqual(again.upToDate, ["tiny", "hostile/loop"]);
    assert.equal(fs.statSync(wasm).mtimeMs, before);

    const future = new Date(Date.now() + 5_000);
    fs.utimesSync(path.join(config.extensionsDir, "tiny", "tiny.wat"), future, future);
    const third = await buildAll(config);
    assert.deepEqual(third.compiled, ["tiny"]);
  });

  it("reports a WAT syntax error with wabt's diagnostic and keeps no output", async () => {
    const bad = fs.mkdtempSync(path.join(root, "bad-"));
    writeExtension(bad, "broken", { "extension.toml": manifest("broken"), "broken.wat": "(module (func (i32.const)))" });
    const config = tempConfig(bad);
    await assert.rejects(buildAll(config), (err: unknown) => {
      assert.ok(err instanceof CompileError);
      assert.match(err.message, /broken\.wat/);
      assert.match(err.output, /error/);
      return true;
    });
    assert.equal(fs.existsSync(path.join(config.outDir, "broken.wasm")), false);
  });

  it("reports a Rust compile error with rustc's output", async () => {
    const bad = fs.mkdtempSync(path.join(root, "bad-rs-"));
    writeExtension(bad, "oops", { "extension.toml": manifest("oops"), "lib.rs": "pub fn f() -> u32 { \"no\" }\n" });
    await assert.rejects(buildAll(tempConfig(bad)), (err: unknown) => {
      assert.ok(err instanceof CompileError);
      assert.match(err.output, /error\[E0308\]: mismatched types/);
      assert.match(err.command, /--target wasm32-wasi --crate-type cdylib/);
      return true;
    });
  });

  it("names the missing tool and the apt package when a toolchain is absent", async () => {
    const rs = fs.mkdtempSync(path.join(root, "norust-"));
    writeExtension(rs, "r", { "extension.toml": manifest("r"), "lib.rs": "" });
    await assert.rejects(buildAll(tempConfig(rs, { rustc: "/nonexistent/rustc" })), (err: unknown) => {
      assert.ok(err instanceof ToolchainMissingError);
      assert.match(err.message, /rustc not found at \/nonexistent\/rustc/);
      assert.match(err.message, /apt-get install rustc libstd-rust-dev-wasm32/);
      return true;
    });
    const c = fs.mkdtempSync(path.join(root, "noclang-"));
    writeExtension(c, "c", { "extension.toml": manifest("c"), "main.c": "" });
    await assert.rejects(buildAll(tempConfig(c, { clang: "/nonexistent/clang-14" })), (err: unknown) => {
      assert.ok(err instanceof ToolchainMissingError);
      assert.match(err.message, /\/nonexistent\/clang-14 not found/);
      assert.match(err.message, /apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32/);
      return true;
    });
  });

  it("rejects a manifest whose name or entry does not match its folder", async () => {
    const bad = fs.mkdtempSync(path.join(root, "misnamed-"));
    writeExtension(bad, "folder", { "extension.toml": manifest("other"), "x.wat": tinyWat });
    await assert.rejects(buildAll(tempConfig(bad)), (err: unknown) => {
      assert.ok(err instanceof ExtensionLayoutError);
      assert.match(err.message, /name is "other" but the folder is "folder"/);
      return true;
    });
    const entry = fs.mkdtempSync(path.join(root, "entry-"));
    writeExtension(entry, "e", { "extension.toml": manifest("e").replace('entry = "e.wasm"', 'entry = "main.wasm"'), "e.wat": tinyWat });
    await assert.rejects(buildAll(tempConfig(entry)), /\[engine\] entry is "main.wasm"; it must be "e.wasm"/);
  });

  it("builds main.rs, and main.c marked `// build: command`, as WASI commands exporting _start", async () => {
    const cmd = fs.mkdtempSync(path.join(root, "commands-"));
    const noHooks = "";
    writeExtension(cmd, "tools/rs-cmd", { "extension.toml": manifest("rs-cmd", noHooks), "main.rs": "fn main() { println!(\"hi\"); }\n" });
    writeExtension(cmd, "tools/c-cmd", { "extension.toml": manifest("c-cmd", noHooks), "main.c": "// build: command\nint main(void) { return 0; }\n" });
    writeExtension(cmd, "tools/c-reactor", { "extension.toml": manifest("c-reactor", noHooks), "main.c": "// build: reactor, not a command\nvoid f(void) {}\n" });
    const config = tempConfig(cmd);
    const found = discoverExtensions(config.extensionsDir).map((e) => [e.name, e.language, e.command]);
    assert.deepEqual(found, [["c-cmd", "c", true], ["c-reactor", "c", false], ["rs-cmd", "rust", true]]);
    const [cCmd, cReactor, rsCmd] = discoverExtensions(config.extensionsDir);
    assert.ok(cCmd && cReactor && rsCmd);
    assert.ok(!clangArgs(cCmd, "o.wasm").includes("-mexec-model=reactor"));
    assert.ok(clangArgs(cReactor, "o.wasm").includes("-mexec-model=reactor"));
    assert.deepEqual(rustArgs(rsCmd, "o.wasm").slice(4, 6), ["--crate-type", "bin"]);

    const report = await buildAll(config);
    const exportsOf = (name: string) => {
      const mod = new WebAssembly.Module(fs.readFileSync(path.join(config.outDir, "tools", `${name}.wasm`)));
      return WebAssembly.Module.exports(mod).map((e) => e.name).sort();
    };
    for (const command of ["rs-cmd", "c-cmd"]) {
      assert.ok(exportsOf(command).includes("_start"), `${command} exports _start`);
      assert.ok(!exportsOf(command).includes("_initialize"), `${command} is not a reactor`);
    }
    assert.ok(exportsOf("c-reactor").includes("_initialize"));
    assert.ok(!exportsOf("c-reactor").includes("_start"));
    assert.deepEqual(report.entries.map((e) => [e.name, e.command]), [["c-cmd", true], ["c-reactor", undefined], ["rs-cmd", true]]);
  });

  it("exits non-zero from the command line, printing the compiler output", () => {
    const bad = fs.mkdtempSync(path.join(root, "cli-"));
    writeExtension(bad, "broken", { "extension.toml": manifest("broken"), "broken.wat": "(module (func (i32.const)))" });
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(scriptDir, "build-extensions.ts")], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, EXTENSIONS_SRC_DIR: path.join(bad, "extensions"), EXTENSIONS_OUT_DIR: path.join(bad, "out") },
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /build-extensions: .*broken\.wat: compilation failed/);
  });
});

// ---------------------------------------------------------------------------
// 2. The built examples: shape
// ---------------------------------------------------------------------------

type HostFunction = "ft_log" | "ft_get_env" | "ft_return_buffer_read" | "ft_command";

interface Expected {
  namespace: "env" | "frankenterm";
  hostImports: HostFunction[];
  language: IndexEntry["language"];
  initialize: boolean;
  /** WASI preview1 imports: pinned, so a toolchain change is noticed. */
  wasi: string[];
}

const WASI = "wasi_snapshot_preview1";

const expected: Record<string, Expected> = {
  hello: {
    namespace: "env",
    hostImports: ["ft_log"],
    language: "rust",
    initialize: false,
    wasi: ["environ_get", "environ_sizes_get", "fd_write", "proc_exit"],
  },
  "env-reader": {
    namespace: "frankenterm",
    hostImports: ["ft_get_env", "ft_log", "ft_return_buffer_read"],
    language: "rust",
    initialize: false,
    wasi: ["environ_get", "environ_sizes_get", "fd_write", "proc_exit"],
  },
  "hello-c": {
    namespace: "env",
    hostImports: ["ft_log"],
    language: "c",
    initialize: true,
    wasi: ["fd_close", "fd_fdstat_get", "fd_seek", "fd_write"],
  },
  "wat-tour": {
    namespace: "env",
    hostImports: ["ft_get_env", "ft_log", "ft_return_buffer_read"],
    language: "wat",
    initialize: false,
    wasi: [],
  },
  calc: {
    namespace: "env",
    hostImports: ["ft_command", "ft_log", "ft_return_buffer_read"],
    language: "rust",
    initialize: false,
    wasi: ["environ_get", "environ_sizes_get", "fd_write", "proc_exit"],
  },
  "bad-command": {
    namespace: "env",
    hostImports: ["ft_command", "ft_log", "ft_return_buffer_read"],
    language: "rust",
    initialize: false,
    wasi: ["environ_get", "environ_sizes_get", "fd_write", "proc_exit"],
  },
  notes: {
    namespace: "env",
    hostImports: ["ft_log", "ft_return_buffer_read"],
    language: "rust",
    initialize: false,
    wasi: [
      "environ_get", "environ_sizes_get", "fd_close", "fd_filestat_get", "fd_prestat_dir_name", "fd_prestat_get",
      "fd_read", "fd_readdir", "fd_seek", "fd_write", "path_filestat_get", "path_open", "proc_exit",
    ],
  },
  ticker: {
    namespace: "env",
    hostImports: [],
    language: "rust",
    initialize: false,
    wasi: ["clock_time_get", "environ_get", "environ_sizes_get", "fd_write", "poll_oneoff", "proc_exit"],
  },
  "echo-events": {
    namespace: "env",
    hostImports: ["ft_log", "ft_return_buffer_read"],
    language: "rust",
    initialize: false,
    wasi: ["environ_get", "environ_sizes_get", "fd_write", "proc_exit"],
  },
};

function builtFile(name: string): string {
  const file = path.join(publicDir, name);
  assert.ok(fs.existsSync(file), `${file} is missing: run \`npx tsx scripts/build-extensions.ts\` first`);
  return file;
}

function loadModule(name: string): WebAssembly.Module {
  const bytes = fs.readFileSync(builtFile(`${name}.wasm`));
  assert.ok(WebAssembly.validate(bytes), `${name}.wasm does not validate`);
  return new WebAssembly.Module(bytes);
}

describe("built examples", () => {
  it("index.json lists the top-level examples with their files", () => {
    const index = JSON.parse(fs.readFileSync(builtFile("index.json"), "utf8")) as IndexEntry[];
    const top = index.filter((e) => e.group === undefined);
    assert.deepEqual(top.map((e) => e.name).sort(), Object.keys(expected).sort());
    for (const entry of top) {
      const exp = expected[entry.name];
      assert.ok(exp);
      assert.equal(entry.language, exp.language);
      assert.equal(entry.wasm, `/extensions/${entry.name}.wasm`);
      assert.equal(entry.manifest, `/extensions/${entry.name}.toml`);
      assert.ok(entry.description.length > 0);
      for (const url of [entry.wasm, entry.manifest, entry.source]) {
        builtFile(url.replace(/^\/extensions\//, ""));
      }
    }
  });

  for (const [name, exp] of Object.entries(expected)) {
    it(`${name}: imports exactly ${exp.hostImports.join(", ")} from "${exp.namespace}", exports memory and its handlers`, () => {
      const mod = loadModule(name);
      const imports = WebAssembly.Module.imports(mod);
      const host = imports.filter((i) => i.module !== WASI);
      assert.deepEqual(
        host.map((i) => `${i.module}.${i.name}:${i.kind}`).sort(),
        exp.hostImports.map((f) => `${exp.namespace}.${f}:function`),
      );
      assert.deepEqual(imports.filter((i) => i.module === WASI).map((i) => i.name).sort(), exp.wasi);

      const exports = new Map(WebAssembly.Module.exports(mod).map((e) => [e.name, e.kind]));
      assert.equal(exports.get("memory"), "memory");
      assert.equal(exports.get("_initialize") === "function", exp.initialize);
      assert.equal(exports.has("_start"), false);
      const manifestText = fs.readFileSync(builtFile(`${name}.toml`), "utf8");
      const { hooks } = readManifest(manifestText, name);
      assert.ok(hooks.length > 0);
      for (const { handler } of hooks) assert.equal(exports.get(handler), "function", `${name} does not export ${handler}`);
    });
  }

  it("the manifests use the forms the brief asks for", () => {
    const form = (name: string) => readManifest(fs.readFileSync(builtFile(`${name}.toml`), "utf8"), name);
    assert.equal(form("hello").hookForm, "array");
    assert.equal(form("env-reader").hookForm, "table");
    assert.deepEqual(form("env-reader").environment, ["TERM", "FT_*"]);
    assert.deepEqual(form("wat-tour").environment, ["TERM"]);
  });
});

// ---------------------------------------------------------------------------
// 3. The built examples: behaviour, under a throwaway host
// ---------------------------------------------------------------------------

/** [level, message] as received by ft_log. */
type LogLine = [number, string];

class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;

/**
 * Just enough host to run the examples: the three host functions (offered
 * under both `env` and `frankenterm`) and WASI preview1 stubs. Unknown WASI
 * calls return ENOSYS.
 */
class TestHost {
  readonly logs: LogLine[] = [];
  stdout = "";
  stderr = "";
  private returnBuffer = new Uint8Array(0);
  private memory: WebAssembly.Memory | undefined;
  private readonly instance: WebAssembly.Instance;

  constructor(
    mod: WebAssembly.Module,
    private readonly env: Record<string, string>,
    private readonly permitted: string[],
  ) {
    const host = {
      ft_log: (level: number, ptr: number, len: number) => {
        this.logs.push([level, this.readUtf8(ptr, len)]);
      },
      ft_get_env: (keyPtr: number, keyLen: number): number => {
        const key = this.readUtf8(keyPtr, keyLen);
        const value = this.env[key];
        if (key === "" || value === undefined || !this.isPermitted(key)) return -1;
        this.returnBuffer = new TextEncoder().encode(value);
        return this.returnBuffer.length;
      },
      ft_return_buffer_read: (outPtr: number, outLen: number): number => {
        const n = Math.min(this.returnBuffer.length, outLen >>> 0);
        if (n === 0) return 0;
        const mem = this.bytes();
        if ((outPtr >>> 0) + n > mem.length) return -1;
        mem.set(this.returnBuffer.subarray(0, n), outPtr >>> 0);
        return n;
      },
    };
    const implemented: Record<string, (...args: never[]) => number> = {
      fd_write: (fd: number, iovs: number, iovsLen: number, nwritten: number) => {
        if (fd !== 1 && fd !== 2) return ERRNO_BADF;
        const view = this.view();
        let text = "";
        let total = 0;
        for (let i = 0; i < iovsLen; i++) {
          const ptr = view.getUint32(iovs + i * 8, true);
          const len = view.getUint32(iovs + i * 8 + 4, true);
          text += new TextDecoder().decode(this.bytes().subarray(ptr, ptr + len));
          total += len;
        }
        if (fd === 1) this.stdout += text;
        else this.stderr += text;
        view.setUint32(nwritten, total, true);
        return ERRNO_SUCCESS;
      },
      environ_sizes_get: (count: number, size: number) => {
        this.view().setUint32(count, 0, true);
        this.view().setUint32(size, 0, true);
        return ERRNO_SUCCESS;
      },
      environ_get: () => ERRNO_SUCCESS,
      proc_exit: (code: number) => {
        throw new ProcExit(code);
      },
      random_get: (ptr: number, len: number) => {
        randomFillSync(this.bytes(), ptr, len);
        return ERRNO_SUCCESS;
      },
      clock_time_get: (_id: number, _precision: bigint, out: number) => {
        this.view().setBigUint64(out, process.hrtime.bigint(), true);
        return ERRNO_SUCCESS;
      },
      fd_fdstat_get: (fd: number, out: number) => {
        if (fd > 2) return ERRNO_BADF;
        const view = this.view();
        view.setUint8(out, 2); // filetype: CHARACTER_DEVICE
        view.setUint16(out + 2, 0, true); // flags
        view.setBigUint64(out + 8, 0n, true); // rights_base
        view.setBigUint64(out + 16, 0n, true); // rights_inheriting
        return ERRNO_SUCCESS;
      },
    };
    const wasi: Record<string, (...args: never[]) => number> = {};
    for (const imp of WebAssembly.Module.imports(mod)) {
      if (imp.module === WASI) wasi[imp.name] = implemented[imp.name] ?? (() => ERRNO_NOSYS);
    }
    this.instance = new WebAssembly.Instance(mod, { env: host, frankenterm: host, [WASI]: wasi });
    const memory = this.instance.exports.memory;
    assert.ok(memory instanceof WebAssembly.Memory);
    this.memory = memory;
    if (typeof this.instance.exports._initialize === "function") this.call("_initialize");
  }

  /** Calls an export; `payload`, when given, is put into the return buffer first. */
  call(name: string, payload?: string): void {
    const fn = this.instance.exports[name];
    assert.equal(typeof fn, "function", `no exported function ${name}`);
    if (payload !== undefined) this.returnBuffer = new TextEncoder().encode(payload);
    (fn as () => void)();
  }

  /** Returns and clears what was logged and printed since the last take(). */
  take(): { logs: LogLine[]; stdout: string; stderr: string } {
    const out = { logs: this.logs.splice(0), stdout: this.stdout, stderr: this.stderr };
    this.stdout = "";
    this.stderr = "";
    return out;
  }

  private isPermitted(key: string): boolean {
    return this.permitted.some((p) => (p.endsWith("*") ? key.startsWith(p.slice(0, -1)) : key === p));
  }

  private bytes(): Uint8Array {
    assert.ok(this.memory);
    return new Uint8Array(this.memory.buffer);
  }

  private view(): DataView {
    assert.ok(this.memory);
    return new DataView(this.memory.buffer);
  }

  private readUtf8(ptr: number, len: number): string {
    if (len <= 0) return "";
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes().subarray(ptr >>> 0, (ptr >>> 0) + len));
    } catch {
      return "";
    }
  }
}

function hostFor(name: string, env: Record<string, string>): TestHost {
  const { environment } = readManifest(fs.readFileSync(builtFile(`${name}.toml`), "utf8"), name);
  return new TestHost(loadModule(name), env, environment);
}

const ENV = { TERM: "xterm-256color", HOME: "/home/user", FT_THEME: "dracula" };

describe("examples at run time", () => {
  it("hello: on_reload logs at all five levels and prints to stdout and stderr", () => {
    const host = hostFor("hello", ENV);
    host.call("on_reload");
    assert.deepEqual(host.take(), {
      logs: [
        [0, "trace: hello from Rust"],
        [1, "debug: hello from Rust"],
        [2, "info: hello from Rust"],
        [3, "warn: hello from Rust"],
        [4, "error: hello from Rust"],
      ],
      stdout: "hello, stdout\n",
      stderr: "hello, stderr\n",
    });
  });

  it("hello: on_focus keeps its counter between calls", () => {
    const host = hostFor("hello", ENV);
    host.call("on_focus");
    host.call("on_focus");
    host.call("on_reload");
    host.call("on_focus");
    const { logs } = host.take();
    assert.deepEqual(logs.filter(([, m]) => m.startsWith("focus")), [
      [2, "focus #1"],
      [2, "focus #2"],
      [2, "focus #3"],
    ]);
  });

  it("env-reader: TERM permitted, HOME denied, FT_THEME permitted by FT_*", () => {
    const host = hostFor("env-reader", ENV);
    host.call("on_reload");
    assert.deepEqual(host.take(), {
      logs: [
        [2, "TERM=xterm-256color"],
        [3, "HOME: not set or denied (-1)"],
        [2, "FT_THEME=dracula"],
      ],
      stdout: "",
      stderr: "",
    });
  });

  it("env-reader: an unset permitted variable reads as -1 too", () => {
    const host = hostFor("env-reader", { TERM: "dumb" });
    host.call("on_reload");
    assert.deepEqual(host.take().logs, [
      [2, "TERM=dumb"],
      [3, "HOME: not set or denied (-1)"],
      [3, "FT_THEME: not set or denied (-1)"],
    ]);
  });

  it("hello-c: _initialize then on_reload logs Info and Warn and flushes stdout", () => {
    const host = hostFor("hello-c", ENV);
    host.call("on_reload");
    assert.deepEqual(host.take(), {
      logs: [
        [2, "info: hello from C"],
        [3, "warn: hello from C"],
      ],
      stdout: "hello from C, stdout\n",
      stderr: "",
    });
  });

  it("wat-tour: on_reload logs its greeting", () => {
    const host = hostFor("wat-tour", ENV);
    host.call("on_reload");
    assert.deepEqual(host.take().logs, [[2, "wat-tour: hello from hand-written WebAssembly"]]);
  });

  it("wat-tour: on_focus reads TERM through the return buffer", () => {
    const host = hostFor("wat-tour", ENV);
    host.call("on_focus", '{"pane_id":1}');
    assert.deepEqual(host.take().logs, [[2, "TERM=xterm-256color"]]);
  });

  it("wat-tour: on_focus with TERM unset warns instead of reading the stale buffer", () => {
    const host = hostFor("wat-tour", {});
    host.call("on_focus", '{"pane_id":1}');
    assert.deepEqual(host.take().logs, [[3, "TERM: not set or denied (-1)"]]);
  });

  it("wat-tour: on_output logs the payload found in the return buffer at entry", () => {
    const host = hostFor("wat-tour", ENV);
    host.call("on_output", '{"pane_id":3,"text":"ls -l\\n"}');
    host.call("on_output", '{"pane_id":3,"text":"é ✓"}');
    assert.deepEqual(host.take().logs, [
      [2, 'payload: {"pane_id":3,"text":"ls -l\\n"}'],
      [2, 'payload: {"pane_id":3,"text":"é ✓"}'],
    ]);
  });

  it("wat-tour: on_output with an empty return buffer warns", () => {
    const host = hostFor("wat-tour", ENV);
    host.call("on_output");
    assert.deepEqual(host.take().logs, [[3, "no payload in the return buffer"]]);
  });
});
