/**
 * `npm run bench`: the hot paths of the playground's host, with peers measured in the same
 * process. Prints one table per group and writes the same data to
 * `bench/results/latest.json`.
 *
 * Usage: `npm run bench [-- <group id substring>...]`, e.g. `npm run bench -- fd_write fuel`.
 * `BENCH_TIME_MS` sets the timing budget per case (default 300 ms).
 *
 * Run through `node --expose-gc --import tsx --import ./scripts/test-hooks/register.mjs`:
 * the hook maps `@bytecodealliance/preview2-shim/*` to its browser build (what the Worker
 * runs), and `--expose-gc` enables the allocation columns.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { cliGroup } from "./cli";
import { hostCallGroups } from "./host-calls";
import { consumed, runGroup, type Group } from "./measure";
import { formatGroup, groupJson, machine } from "./report";
import { sandboxGroups } from "./sandbox";
import { wasiCallGroups } from "./wasi-calls";

/** Timing budget per case in ms, from `BENCH_TIME_MS`. */
function timeBudget(): number {
  const value = Number(process.env.BENCH_TIME_MS ?? "300");
  if (!Number.isFinite(value) || value <= 0) throw new Error(`BENCH_TIME_MS must be a positive number, got ${process.env.BENCH_TIME_MS}`);
  return value;
}

/** True when the group was asked for (no filter: every group). */
function wanted(id: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => id.includes(f));
}

async function main(): Promise<void> {
  const started = performance.now();
  const timeMs = timeBudget();
  const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const host = machine();
  console.log(`# Extension Playground benchmark`);
  console.log(`node ${host.node} (V8 ${host.v8}), ${host.platform}, ${host.cores} × ${host.cpu}, ${host.memoryGiB} GiB`);
  console.log(`${timeMs} ms per case; allocation columns ${host.gcExposed ? "on" : "off (run with --expose-gc)"}\n`);

  const wasi = await wasiCallGroups(timeMs);
  const planned: (Group | string)[] = [...(await hostCallGroups(timeMs)), ...wasi.groups, ...(await sandboxGroups(timeMs)), cliGroup(timeMs)];
  const json: ReturnType<typeof groupJson>[] = [];
  const skipped: string[] = [];
  try {
    for (const group of planned) {
      if (typeof group === "string") {
        skipped.push(group);
        console.log(`## skipped\n\n  * ${group}\n`);
        continue;
      }
      if (!wanted(group.id, filters)) continue;
      const results = await runGroup(group);
      console.log(`${formatGroup(group, results)}\n`);
      json.push(groupJson(group, results));
    }
  } finally {
    wasi.dispose();
  }

  const seconds = (performance.now() - started) / 1000;
  const file = new URL("./results/latest.json", import.meta.url);
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine: host, timeMsPerCase: timeMs, seconds, groups: json, skipped }, null, 2)}\n`);
  console.log(`done in ${seconds.toFixed(1)} s (consumed ${consumed()}); JSON: bench/results/latest.json`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
