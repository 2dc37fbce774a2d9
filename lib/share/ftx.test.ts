import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { strToU8, zipSync } from "fflate";
import { FtxError, defaultFtxLimits, readFtx, writeFtx } from "./ftx";

const MANIFEST = `[extension]\nname = "demo"\n\n[[hooks]]\nevent = "config.reload"\nhandler = "on_reload"\n`;
/** A real module: the smallest valid one plus a custom section, so its bytes are recognisable. */
const MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, 5, 4, 0x64, 0x65, 0x6d, 0x6f]);

const work = mkdtempSync(join(tmpdir(), "ftx-test-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Builds a package with Info-ZIP's `zip`, as FrankenTerm's docs tell users to: `zip NAME.ftx FILES…` run in the folder. */
function zipTool(name: string, files: Record<string, Uint8Array | string>): Uint8Array {
  const folder = mkdtempSync(join(work, "src-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  execFileSync("zip", ["-q", "-r", `../${name}`, ...Object.keys(files)], { cwd: folder });
  return new Uint8Array(readFileSync(join(folder, "..", name)));
}

/** The error `readFtx` throws, checked to be an {@link FtxError}. */
function refusal(bytes: Uint8Array, limits = defaultFtxLimits()): FtxError {
  try {
    readFtx(bytes, "demo.ftx", limits);
  } catch (error) {
    assert.ok(error instanceof FtxError, `expected an FtxError, got ${String(error)}`);
    return error;
  }
  assert.fail("the package was accepted");
}

describe(".ftx reader", () => {
  test("reads a package built with zip as the docs build it", () => {
    const pkg = readFtx(zipTool("a.ftx", { "extension.toml": MANIFEST, "main.wasm": MODULE }), "a.ftx");
    assert.equal(pkg.manifestText, MANIFEST);
    assert.equal(pkg.entry, "main.wasm");
    assert.deepEqual(pkg.module, MODULE);
    assert.deepEqual(pkg.assets, []);
  });

  test("finds the module by [engine] entry and lists the other files as assets", () => {
    const manifest = `${MANIFEST}\n[engine]\nentry = "bin/demo.wasm"\n`;
    const pkg = readFtx(
      zipTool("b.ftx", { "extension.toml": manifest, "bin/demo.wasm": MODULE, "README.md": "# demo\n", "icons/logo.txt": "logo" }),
    );
    assert.equal(pkg.entry, "bin/demo.wasm");
    assert.deepEqual(pkg.module, MODULE);
    // zip -r also stores the folders bin/ and icons/; they are not assets.
    assert.deepEqual(
      pkg.assets.map((a) => [a.path, new TextDecoder().decode(a.bytes)]),
      [
        ["README.md", "# demo\n"],
        ["icons/logo.txt", "logo"],
      ],
    );
  });

  test("a missing manifest is an error naming extension.toml, with a hint for a zipped folder", () => {
    const flat = refusal(zipTool("c.ftx", { "main.wasm": MODULE }));
    assert.equal(flat.file, "extension.toml");
    assert.equal(flat.message, "demo.ftx: extension.toml: missing: a package needs its manifest at the root");
    const nested = refusal(zipTool("d.ftx", { "demo/extension.toml": MANIFEST, "demo/main.wasm": MODULE }));
    assert.match(nested.message, /found demo\/extension\.toml: zip the files themselves, not the folder holding them/);
  });

  test("a missing entry module is an error naming it", () => {
    const missing = refusal(zipTool("e.ftx", { "extension.toml": MANIFEST, "other.wasm": MODULE }));
    assert.equal(missing.file, "main.wasm");
    assert.equal(missing.message, "demo.ftx: main.wasm: missing: the default [engine] entry names main.wasm, which is not in the package");
    const named = refusal(zipTool("f.ftx", { "extension.toml": `${MANIFEST}[engine]\nentry = "x.wasm"\n`, "main.wasm": MODULE }));
    assert.equal(named.message, "demo.ftx: x.wasm: missing: [engine] entry names x.wasm, which is not in the package");
  });

  test("paths with .. and absolute paths are refused, naming the path", () => {
    const escape = refusal(zipSync({ "extension.toml": strToU8(MANIFEST), "main.wasm": MODULE, "../evil.sh": strToU8("rm -rf ~") }));
    assert.equal(escape.file, "../evil.sh");
    assert.match(escape.message, /paths with \.\. are refused/);
    const absolute = refusal(zipSync({ "extension.toml": strToU8(MANIFEST), "/etc/passwd": strToU8("x"), "main.wasm": MODULE }));
    assert.equal(absolute.file, "/etc/passwd");
    assert.match(absolute.message, /absolute paths are refused/);
    const entry = refusal(zipSync({ "extension.toml": strToU8(`${MANIFEST}[engine]\nentry = "../main.wasm"\n`), "main.wasm": MODULE }));
    assert.equal(entry.file, "../main.wasm");
  });

  test("an entry that inflates past its cap is refused while inflating", () => {
    const bomb = zipSync({ "extension.toml": strToU8(MANIFEST), "main.wasm": new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    assert.ok(bomb.length < 20_000, `the bomb is small (${bomb.length} bytes)`);
    const error = refusal(bomb, { ...defaultFtxLimits(), maxEntryBytes: 1024 * 1024 });
    assert.equal(error.message, "demo.ftx: main.wasm: inflates past 1048576 bytes (a zip bomb?)");
    const total = refusal(bomb, { ...defaultFtxLimits(), maxTotalBytes: 2 * 1024 * 1024 });
    assert.equal(total.message, "demo.ftx: main.wasm: the package inflates past 2097152 bytes in all (a zip bomb?)");
  });

  test("a header that understates an entry's size does not raise the cap", () => {
    const bomb = zipSync({ "extension.toml": strToU8(MANIFEST), "main.wasm": new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    // Patch the uncompressed sizes fflate wrote (local header and central directory) down to 10 bytes.
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    for (let i = 0; i + 4 <= bomb.length; i++) {
      if (view.getUint32(i, true) === 4 * 1024 * 1024) view.setUint32(i, 10, true);
    }
    assert.match(refusal(bomb, { ...defaultFtxLimits(), maxEntryBytes: 1024 * 1024 }).message, /main\.wasm: inflates past 1048576 bytes/);
  });

  test("too many entries are refused", () => {
    const files: Record<string, Uint8Array> = { "extension.toml": strToU8(MANIFEST), "main.wasm": MODULE };
    for (let i = 0; i < 20; i++) files[`assets/${i}.txt`] = strToU8(String(i));
    assert.equal(refusal(zipSync(files), { ...defaultFtxLimits(), maxEntries: 10 }).message, "demo.ftx: more than 10 entries");
  });

  test("a truncated archive, a non-zip and an oversized file are refused", () => {
    const noise = new Uint8Array(50_000);
    for (let i = 0, x = 1; i < noise.length; i++) noise[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    const whole = zipTool("g.ftx", { "extension.toml": MANIFEST, "main.wasm": noise });
    assert.ok(whole.length > 40_000, "the module does not compress");
    assert.match(refusal(whole.subarray(0, 20_000)).message, /^demo\.ftx(: main\.wasm)?: .*(truncated|cut short)/);
    assert.equal(refusal(MODULE).message, "demo.ftx: not a zip archive (a .ftx is a zip: `zip NAME.ftx extension.toml main.wasm`)");
    assert.match(refusal(whole, { ...defaultFtxLimits(), maxPackageBytes: 1000 }).message, /^demo\.ftx: the package is \d+ bytes; at most 1000 are read$/);
  });
});

describe(".ftx writer", () => {
  test("writes exactly extension.toml and the entry module, which unzip extracts unchanged", () => {
    const bytes = writeFtx({ manifestText: MANIFEST, module: MODULE });
    const file = join(work, "out.ftx");
    writeFileSync(file, bytes);
    assert.deepEqual(execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).trim().split("\n"), ["extension.toml", "main.wasm"]);
    const out = mkdtempSync(join(work, "unzipped-"));
    execFileSync("unzip", ["-q", file, "-d", out]);
    assert.deepEqual(new Uint8Array(readFileSync(join(out, "main.wasm"))), MODULE);
    assert.equal(readFileSync(join(out, "extension.toml"), "utf8"), MANIFEST);
  });

  test("round trip: the same module bytes come back, and the same inputs give the same package bytes", () => {
    const manifest = `${MANIFEST}[engine]\nentry = "demo.wasm"\n`;
    const bytes = writeFtx({ manifestText: manifest, module: MODULE });
    const pkg = readFtx(bytes);
    assert.equal(pkg.entry, "demo.wasm");
    assert.deepEqual(pkg.module, MODULE);
    assert.equal(pkg.manifestText, manifest);
    assert.deepEqual(writeFtx({ manifestText: manifest, module: MODULE }), bytes);
  });
});
