import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseManifest } from "../manifest/parse";
import { wat } from "../sandbox/test-support";
import { inspectModule } from "./inspect";
import { sizeTips } from "./size-tips";
import { functionLabel, readModuleStructure } from "./module-structure";

const examples = new URL("../../public/extensions/", import.meta.url);

function example(name: string) {
  return {
    bytes: new Uint8Array(readFileSync(new URL(`${name}.wasm`, examples))),
    manifest: parseManifest(readFileSync(new URL(`${name}.toml`, examples), "utf8")),
  };
}

/** Every built example, groups included (`hostile/loop`). */
const exampleNames = ["", "hostile/", "conformance/"].flatMap((group) =>
  readdirSync(new URL(group || ".", examples))
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => `${group}${f.slice(0, -5)}`),
);

const minimalManifest = (extra = "") => parseManifest(`[extension]\nname = "t"\n${extra}`);

describe("inspectModule on every built example", () => {
  it("finds the examples", () => assert.ok(exampleNames.length >= 30, exampleNames.join(", ")));

  for (const name of exampleNames) {
    it(`${name}: the same imports and exports as the engine, sizes that add up`, () => {
      const { bytes, manifest } = example(name);
      const report = inspectModule(bytes, manifest);
      const module = new WebAssembly.Module(bytes);
      const imports = report.importGroups.flatMap((g) => g.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind })));
      const engineImports = WebAssembly.Module.imports(module).map(({ module: m, name: n, kind }) => ({ module: m, name: n, kind }));
      assert.deepEqual(
        [...imports].sort((a, b) => `${a.module}.${a.name}`.localeCompare(`${b.module}.${b.name}`)),
        [...engineImports].sort((a, b) => `${a.module}.${a.name}`.localeCompare(`${b.module}.${b.name}`)),
      );
      assert.deepEqual(report.exports.map((e) => ({ name: e.name, kind: e.kind })), WebAssembly.Module.exports(module));
      const sectionTotal = report.sections.reduce((sum, s) => sum + s.bytes, 0);
      assert.equal(sectionTotal + 8, bytes.length, "sections plus the 8-byte header are the whole module");
      assert.deepEqual(report.missingHandlers, [], "every example exports its handlers");
      for (const hook of manifest.hooks) {
        assert.ok(report.exports.some((e) => e.name === hook.handler && e.role === "hook" && e.events.includes(hook.event)));
      }
    });
  }
});

describe("env-reader, exactly", () => {
  const { bytes, manifest } = example("env-reader");
  const report = inspectModule(bytes, manifest);

  it("groups its imports by namespace with signatures and fates", () => {
    assert.deepEqual(
      report.importGroups.map((g) => ({ namespace: g.namespace, role: g.role, imports: g.imports.map((i) => `${i.name} ${i.signature} ${i.fate}`) })),
      [
        {
          namespace: "frankenterm",
          role: "host code's namespace",
          imports: [
            "ft_get_env (i32, i32) -> i32 host function",
            "ft_return_buffer_read (i32, i32) -> i32 host function",
            "ft_log (i32, i32, i32) -> () host function",
          ],
        },
        {
          namespace: "wasi_snapshot_preview1",
          role: "WASI preview1",
          imports: [
            "fd_write (i32, i32, i32, i32) -> i32 WASI",
            "environ_get (i32, i32) -> i32 WASI",
            "environ_sizes_get (i32, i32) -> i32 WASI",
            "proc_exit (i32) -> () WASI",
          ],
        },
      ],
    );
  });

  it("marks on_reload as the config.reload hook and memory as the linear memory", () => {
    assert.deepEqual(
      report.exports.map((e) => [e.name, e.kind, e.signature, e.role, e.events.join(",")]),
      [
        ["memory", "memory", "", "linear memory", ""],
        ["__heap_base", "global", "", "other", ""],
        ["__data_end", "global", "", "other", ""],
        ["on_reload", "function", "() -> ()", "hook", "config.reload"],
      ],
    );
  });

  it("names functions from the exports when the name section is stripped", () => {
    const onReload = report.structure.exports.find((e) => e.name === "on_reload");
    assert.ok(onReload);
    assert.equal(functionLabel(report.structure, onReload.index), "on_reload");
    assert.equal(functionLabel(report.structure, 0), "frankenterm.ft_get_env");
    assert.equal(report.structure.functionNames.size, 0);
  });

  it("sorts the functions by body size and accounts for the whole code section", () => {
    const sizes = report.functionsBySize.map((f) => f.bodyBytes);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
    assert.equal(report.functionsBySize.length, 183);
    const code = report.sections.find((s) => s.label === "code");
    assert.ok(code);
    const bodies = sizes.reduce((a, b) => a + b, 0);
    // id byte + size field (3 bytes for these sizes) + count field (2 bytes for 183) + bodies
    assert.equal(code.bytes, 1 + 3 + 2 + bodies);
  });

  it("reads the memory against the default cap", () => {
    assert.equal(report.memory.source, "defined");
    assert.equal(report.memory.exported, true);
    assert.equal(report.memory.capPages, 1024);
    assert.equal(report.memory.refused, false);
    assert.match(report.memory.verdict, /^starts at 17 pages \(1,114,112 bytes\) and can grow to max_memory_bytes = 67,108,864 bytes \(1024 pages\)/);
  });
});

describe("what the host does with unusual imports", () => {
  it("flags refused namespaces, kinds, names and signatures, and ENOSYS names", async () => {
    const bytes = await wat(`(module
      (import "env" "ft_log" (func (param i32 i32)))
      (import "frankenterm" "ft_command" (func (param i32 i32) (result i32)))
      (import "env" "ft_unknown" (func))
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "thread_spawn" (func (param i32) (result i32)))
      (import "other" "f" (func))
      (import "env" "memory" (memory 2 10))
      (func $on_focus (export "on_focus"))
      (func $helper (export "_initialize")))`);
    const report = inspectModule(bytes, minimalManifest(`[[hooks]]\nevent = "pane.focus"\nhandler = "on_focus"\n[[hooks]]\nevent = "tab.created"\nhandler = "on_tab"\n`));
    const fates = report.importGroups.flatMap((g) => g.imports.map((i) => `${g.namespace}.${i.name}: ${i.fate}`));
    assert.deepEqual(fates, [
      "env.ft_log: refused",
      "env.ft_unknown: refused",
      "env.memory: refused",
      "frankenterm.ft_command: playground host function",
      "wasi_snapshot_preview1.fd_write: WASI",
      "wasi_snapshot_preview1.thread_spawn: WASI, ENOSYS",
      "other.f: refused",
    ]);
    const ftLog = report.importGroups[0]?.imports[0];
    assert.match(ftLog?.note ?? "", /"env"\."ft_log" is imported as \(i32, i32\) -> \(\), but the host function is \(i32, i32, i32\) -> \(\)/);
    assert.equal(report.importGroups[0]?.imports[2]?.signature, "pages 2..10");
    assert.equal(report.importGroups.at(-1)?.role, "not provided");
    assert.deepEqual(report.missingHandlers.map((h) => h.handler), ["on_tab"]);
    assert.deepEqual(report.exports.map((e) => e.role), ["hook", "reactor initializer"]);
    assert.equal(report.memory.source, "imported");
    assert.equal(report.memory.exported, false);
    assert.deepEqual(report.structure.functions.map((f) => f.label), ["on_focus", "helper"]);
  });

  it("refuses an initial memory over max_memory_bytes and names a declared maximum below it", async () => {
    const big = await wat(`(module (memory 20))`);
    const refused = inspectModule(big, minimalManifest(`[limits]\nmax_memory_bytes = 1048576\n`));
    assert.equal(refused.memory.refused, true);
    assert.equal(
      refused.memory.verdict,
      "refused at load: the initial 20 pages (1,310,720 bytes) are more than max_memory_bytes = 1,048,576 bytes (16 pages)",
    );
    const small = inspectModule(await wat(`(module (memory 1 4))`), minimalManifest());
    assert.equal(small.memory.verdict, "starts at 1 pages (65,536 bytes) and can grow to its declared maximum of 4 pages (262,144 bytes), below max_memory_bytes");
    const none = inspectModule(await wat(`(module)`), minimalManifest());
    assert.equal(none.memory.source, "none");
  });

  it("lists custom sections with their sizes", async () => {
    const bytes = await wat(`(module (func $named))`);
    const report = inspectModule(bytes, minimalManifest());
    assert.deepEqual(report.customSections.map((s) => s.name), ["name"]);
    assert.equal(readModuleStructure(bytes).functionNames.get(0), "named");
  });
});

describe("sizeTips", () => {
  it("counts the name section of a named module and nothing for an unnamed one", async () => {
    const named = readModuleStructure(await wat(`(module (func $a_long_function_name))`));
    const nameSection = named.sections.find((s) => s.customName === "name");
    assert.ok(nameSection);
    const tips = sizeTips(named, 10);
    assert.equal(tips.find((t) => t.tip.startsWith("rustc -C strip=symbols"))?.savesBytes, nameSection.bytes);
    assert.equal(tips.find((t) => t.tip === "wasm-opt -Oz")?.savesBytes, named.byteLength - 10);
    const stripped = readModuleStructure(example("env-reader").bytes);
    assert.deepEqual(sizeTips(stripped).map((t) => t.savesBytes), [0, 0, 0]);
  });

  it("says what the size flags saved on the editor's source, largest saving first", () => {
    const stripped = readModuleStructure(example("env-reader").bytes);
    const tips = sizeTips(stripped, stripped.byteLength - 100, { language: "rust", releaseBytes: 76_549, sizeBytes: 62_732 });
    assert.match(tips[0]?.tip ?? "", /^Cargo profile opt-level = "s", lto = true/);
    assert.equal(tips[0]?.savesBytes, 13_817);
    assert.match(tips[0]?.why ?? "", /76,549 bytes with the release flags → 62,732/);
    assert.equal(tips[1]?.tip, "wasm-opt -Oz");
    assert.equal(sizeTips(stripped, undefined, { language: "c", releaseBytes: 10, sizeBytes: 12 }).find((t) => t.tip === "clang -Os")?.savesBytes, -2, "larger: what they add");
  });
});

describe("the hostile examples the host refuses at link time", () => {
  for (const name of ["hostile/unknown-import", "hostile/wrong-signature"]) {
    it(`${name}: its bad import is flagged refused`, () => {
      const { bytes, manifest } = example(name);
      const refused = inspectModule(bytes, manifest).importGroups.flatMap((g) => g.imports).filter((i) => i.fate === "refused");
      assert.equal(refused.length, 1, JSON.stringify(refused));
    });
  }
});
