/**
 * The sandbox's costs measured in Node: how long instrumenting takes and how much it grows
 * a module. The fuel overhead (`fuel.ts`) and instance load (`load.ts`) groups run in
 * Chromium too.
 */

import { readdirSync } from "node:fs";
import { instrument } from "../lib/sandbox/instrument";
import { sectionId, splitSections } from "../lib/sandbox/module-sections";
import { readRepoFile, readRepoText } from "./files";
import { loadGroup } from "./load";
import { check, type Case, type Group } from "./measure";

const both = { fuel: true, memoryCap: true } as const;

/** Size of a module's code section content, in bytes (0 without one). */
function codeSectionBytes(bytes: Uint8Array): number {
  const code = splitSections(bytes).find((s) => s.id === sectionId.code);
  return code ? code.end - code.contentStart : 0;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function growth(before: number, after: number): string {
  return `+${(((after - before) / before) * 100).toFixed(0)}%`;
}

/** The modules to instrument: the sandbox's test data and every shipped extension. */
function instrumentTargets(notes: string[]): { path: string; bytes: Uint8Array<ArrayBuffer> }[] {
  const targets: { path: string; bytes: Uint8Array<ArrayBuffer> }[] = [];
  for (const path of ["lib/sandbox/testdata/compute-rs.wasm", "lib/sandbox/testdata/reactor-c.wasm"]) {
    const bytes = readRepoFile(path);
    if (bytes) targets.push({ path, bytes });
  }
  const dir = new URL("../public/extensions/", import.meta.url);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".wasm")).sort();
  } catch {
    notes.push("public/extensions/ is missing (run `npm run build:extensions`): only the test data was instrumented.");
  }
  for (const name of names) {
    const bytes = readRepoFile(`public/extensions/${name}`);
    if (bytes) targets.push({ path: `public/extensions/${name}`, bytes });
  }
  return targets;
}

/** Time to instrument each module, with the size growth in the detail column. */
function instrumentGroup(timeMs: number): Group {
  const notes = ["detail: module size before → after, and the code section's growth."];
  const cases: Case[] = instrumentTargets(notes).map(({ path, bytes }) => {
    const out = instrument(bytes, both).bytes;
    const codeBefore = codeSectionBytes(bytes);
    const codeAfter = codeSectionBytes(out);
    return {
      name: `instrument ${path.split("/").pop() ?? path}`,
      role: "ours",
      ops: 1,
      run: () => instrument(bytes, both).bytes.length,
      verify: () => check(WebAssembly.validate(out), `the instrumented ${path} does not validate`),
      detail: () => `${kb(bytes.length)} → ${kb(out.length)} (${growth(bytes.length, out.length)}), code ${growth(codeBefore, codeAfter)}`,
    };
  });
  return {
    id: "instrument",
    title: "Instrumentation (fuel + memoryCap) time per module",
    per: "module",
    unit: "ms",
    reference: cases.find((c) => c.name.includes("compute-rs"))?.name ?? cases[0]?.name ?? "",
    ratioLabel: "× compute-rs",
    timeMs: Math.max(100, timeMs / 2),
    minIterations: 16,
    cases,
    notes,
  };
}

/** The Node-only sandbox groups; a string in place of a group says why it was skipped. */
export function sandboxGroups(timeMs: number): (Group | string)[] {
  const bytes = readRepoFile("public/extensions/hello.wasm");
  const manifestSource = readRepoText("public/extensions/hello.toml");
  const load =
    bytes && manifestSource
      ? loadGroup(bytes, manifestSource, timeMs)
      : "public/extensions/hello.wasm (or hello.toml) is missing: instance load not measured. Run `npm run build:extensions`.";
  return [instrumentGroup(timeMs), load];
}
