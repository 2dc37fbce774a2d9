#!/usr/bin/env node
// The `extension-playground` command (package.json "bin"), plain JavaScript so that it runs
// as is from a clone and after `npm install`. It runs the bundle in cli/dist/ (build.mjs)
// when that is newer than every file it was built from: startup is then a plain module
// load. Otherwise (no bundle, or sources edited since) it compiles the TypeScript on the
// fly with tsx, slower to start but never stale.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";

/**
 * True when cli/dist/ exists and was built from the files as they are now: each input is
 * unchanged when its mtime is not after the build, or else when its SHA-256 is the one
 * recorded (npm does not keep mtimes, so in an installed package every file is "newer").
 * A missing input (an installed package has no lock file) cannot have been edited.
 * `EXTENSION_PLAYGROUND_NO_BUNDLE=1`: never.
 */
function bundleIsFresh() {
  if (process.env.EXTENSION_PLAYGROUND_NO_BUNDLE === "1") return false;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL("./dist/inputs.json", import.meta.url), "utf8"));
    const root = new URL("../", import.meta.url);
    return Object.entries(inputs).every(([file, sha256]) => {
      const url = new URL(file, root);
      const stat = statSync(url, { throwIfNoEntry: false });
      return !stat || stat.mtimeMs <= builtAt || createHash("sha256").update(readFileSync(url)).digest("hex") === sha256;
    });
  } catch {
    return false;
  }
}

const bundled = bundleIsFresh();
if (!bundled) await import("./register.mjs");
const { main } = await import(bundled ? "./dist/main.mjs" : "./main.ts");
process.exitCode = await main(process.argv.slice(2));
