// Bundles the CLI into cli/dist/ with esbuild: plain JavaScript with every dependency
// inside, so `run` starts without compiling TypeScript (the launcher, bin.mjs, uses the
// bundle while it is newer than all of its inputs, and tsx otherwise). Run by setup
// (`npm run build:cli`) and by npm's `prepare` (before `npm pack` and on install from git).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = path.join(root, "cli", "dist");
const staging = `${dist}.${process.pid}.tmp`;
// lib/wasi is written against preview2-shim's browser build (the Web Worker's), which the
// tests and the tsx path reach through scripts/test-hooks/browser-shim.mjs; same here.
const shim = ["cli", "clocks", "filesystem", "io", "random"];
const alias = Object.fromEntries(shim.map((name) => [`@bytecodealliance/preview2-shim/${name}`, path.join(root, "node_modules/@bytecodealliance/preview2-shim/dist/browser", `${name}.js`)]));

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "cli/main.ts", worker: "cli/worker.ts" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: staging,
  outExtension: { ".js": ".mjs" },
  alias,
  // Keep `new URL("…", import.meta.url)` to the browser-only helper worker as it is: never used in Node.
  logLevel: "warning",
  metafile: true,
  legalComments: "none",
});
const sources = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith("node_modules/"));
// Each input's SHA-256: the launcher compares them for files whose mtime is newer than the
// bundle (an installed package's files are all newer: npm does not keep mtimes).
const inputs = Object.fromEntries(
  [...sources, "package-lock.json"].map((file) => [file, createHash("sha256").update(readFileSync(path.join(root, file))).digest("hex")]),
);
mkdirSync(staging, { recursive: true });
writeFileSync(path.join(staging, "inputs.json"), `${JSON.stringify({ builtAt: Date.now(), inputs }, null, 1)}\n`);
rmSync(dist, { recursive: true, force: true });
renameSync(staging, dist);
// On stderr: `npm pack --json` runs this (prepare) and its stdout must stay JSON.
console.error(`cli: bundled ${sources.length} files into cli/dist/`);
