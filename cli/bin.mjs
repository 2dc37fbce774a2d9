#!/usr/bin/env node
// The `extension-playground` command (package.json "bin"), plain JavaScript so that it runs
// as is from a clone and after `npm install`. It runs the bundle in cli/dist/ (build.mjs)
// when that is newer than every file it was built from: startup is then a plain module
// load. Otherwise (no bundle, or sources edited since) it compiles the TypeScript on the
// fly with tsx, slower to start but never stale.
import { readFileSync, statSync } from "node:fs";

/** True when cli/dist/ exists and none of its inputs changed after it was built (`EXTENSION_PLAYGROUND_NO_BUNDLE=1`: never). */
function bundleIsFresh() {
  if (process.env.EXTENSION_PLAYGROUND_NO_BUNDLE === "1") return false;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL("./dist/inputs.json", import.meta.url), "utf8"));
    const root = new URL("../", import.meta.url);
    return inputs.every((file) => statSync(new URL(file, root)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

const bundled = bundleIsFresh();
if (!bundled) await import("./register.mjs");
const { main } = await import(bundled ? "./dist/main.mjs" : "./main.ts");
process.exitCode = await main(process.argv.slice(2));
