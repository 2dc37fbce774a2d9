/**
 * `npm run bench`: the hot paths of the playground's host, with peers measured in the same
 * process, in Node and then in a Worker in headless Chromium (the host-call, WASI and fuel
 * groups). Prints one table per group and environment, then the goals table, and writes
 * the same data to `bench/results/latest.json`.
 *
 * Usage: `npm run bench [-- <group id substring>...]`, e.g. `npm run bench -- fd_write fuel`.
 * `BENCH_TIME_MS` sets the timing budget per case (default 300 ms); `BENCH_CHROMIUM=0`
 * skips the Chromium run; `BENCH_PORT` is the port of its local server (default: any free one).
 *
 * Run through `node --expose-gc --import tsx --import ./scripts/test-hooks/register.mjs`:
 * the hook maps `@bytecodealliance/preview2-shim/*` to its browser build (what the Worker
 * runs), and `--expose-gc` enables the allocation columns.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { probeAllocations } from "./allocations";
import { runInChromium, type ChromiumRun } from "./chromium/run";
import { buildGroup } from "./builds";
import { cliGroup } from "./cli";
import { commandsGroup } from "./commands";
import { assemble, readRepoFile } from "./files";
import { fuelGroup } from "./fuel";
import { evaluateGoals, formatGoals, type GroupResults } from "./goals";
import { computeGuestWat, hostGuestWat, wasiGuestWat } from "./guests";
import { hostCallGroups } from "./host-calls";
import { machine } from "./machine";
import { consumed, runGroup, type Group } from "./measure";
import { pageGroups } from "./page-start";
import { nodeWasi } from "./peers-node";
import { formatGroup, groupJson } from "./report";
import { sandboxGroups } from "./sandbox";
import { wasiCallGroups } from "./wasi-calls";

/** Timing budget per case in ms, from `BENCH_TIME_MS`. */
function timeBudget(): number {
  const value = Number(process.env.BENCH_TIME_MS ?? "300");
  if (!Number.isFinite(value) || value <= 0) throw new Error(`BENCH_TIME_MS must be a positive number, got ${process.env.BENCH_TIME_MS}`);
  return value;
}

/** The Chromium server's port, from `BENCH_PORT` (0 = any free port). */
function benchPort(): number {
  const value = Number(process.env.BENCH_PORT ?? "0");
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`BENCH_PORT must be a port number, got ${process.env.BENCH_PORT}`);
  return value;
}

/** True when the group was asked for (no filter: every group). */
function wanted(id: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => id.includes(f));
}

/** The guest binaries, assembled once and shared by the Node and the Chromium runs. */
async function guestBinaries(): Promise<Map<string, Uint8Array<ArrayBuffer>>> {
  const guests = new Map<string, Uint8Array<ArrayBuffer>>([
    ["host-calls.wasm", await assemble("host-calls", hostGuestWat())],
    ["wasi-calls.wasm", await assemble("wasi-calls", wasiGuestWat())],
    ["compute.wasm", await assemble("compute", computeGuestWat())],
  ]);
  const rust = readRepoFile("lib/sandbox/testdata/compute-rs.wasm");
  if (rust) guests.set("compute-rs.wasm", rust);
  const hello = readRepoFile("public/extensions/hello.wasm");
  const helloManifest = readRepoFile("public/extensions/hello.toml");
  if (hello && helloManifest) {
    guests.set("hello.wasm", hello);
    guests.set("hello.toml", helloManifest);
  }
  return guests;
}

function guestOf(guests: ReadonlyMap<string, Uint8Array<ArrayBuffer>>, name: string): Uint8Array<ArrayBuffer> {
  const bytes = guests.get(name);
  if (!bytes) throw new Error(`guest ${name} was not assembled`);
  return bytes;
}

async function runNode(guests: ReadonlyMap<string, Uint8Array<ArrayBuffer>>, timeMs: number, filters: readonly string[]) {
  const wasi = await wasiCallGroups(guestOf(guests, "wasi-calls.wasm"), timeMs, { extraPeers: [nodeWasi()], probe: probeAllocations });
  const planned: (Group | string)[] = [
    ...(await hostCallGroups(guestOf(guests, "host-calls.wasm"), timeMs)),
    ...wasi.groups,
    await fuelGroup(guestOf(guests, "compute.wasm"), guests.get("compute-rs.wasm"), timeMs),
    ...sandboxGroups(timeMs),
    commandsGroup(timeMs),
    cliGroup(timeMs),
  ];
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
      const results = await runGroup(group, probeAllocations);
      console.log(`${formatGroup(group, results)}\n`);
      json.push(groupJson(group, results));
    }
  } finally {
    wasi.dispose();
  }
  // Compiler runs take seconds: timed by hand, not by tinybench (bench/builds.ts).
  if (wanted("builds", filters)) {
    const builds = await buildGroup();
    if (typeof builds === "string") {
      skipped.push(builds);
      console.log(`## skipped\n\n  * ${builds}\n`);
    } else {
      console.log(`${formatGroup(builds.meta, builds.results)}\n`);
      json.push(groupJson(builds.meta, builds.results));
    }
  }
  return { json, skipped };
}

async function main(): Promise<void> {
  const started = performance.now();
  const timeMs = timeBudget();
  const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const host = machine();
  console.log(`# Extension Playground benchmark`);
  console.log(`node ${host.node} (V8 ${host.v8}), ${host.platform}, ${host.cores} × ${host.cpu}, ${host.memoryGiB} GiB`);
  console.log(`${timeMs} ms per case; allocation columns ${host.gcExposed ? "on" : "off (run with --expose-gc)"}\n`);
  const guests = await guestBinaries();

  console.log(`# Node\n`);
  const node = await runNode(guests, timeMs, filters);

  let chromium: (ChromiumRun & { json: ReturnType<typeof groupJson>[] }) | undefined;
  if (process.env.BENCH_CHROMIUM !== "0") {
    console.log(`# Chromium (headless, in a Worker)\n`);
    const run = await runInChromium(guests, { timeMs, filters: [...filters] }, benchPort(), ({ meta, results }) =>
      console.log(`${formatGroup(meta, results)}\n`),
    );
    console.log(`Chromium ${run.browser}, cross-origin isolated: ${run.crossOriginIsolated} (consumed ${run.consumed})\n`);
    chromium = { ...run, json: run.groups.map(({ meta, results }) => groupJson(meta, results)) };
  }

  const fromPage = { start: wanted("page-start", filters), commands: wanted("commands", filters) };
  if (process.env.BENCH_CHROMIUM !== "0" && (fromPage.start || fromPage.commands)) {
    const { groups, skipped } = await pageGroups(benchPort(), fromPage);
    for (const reason of skipped) {
      node.skipped.push(reason);
      console.log(`## skipped\n\n  * ${reason}\n`);
    }
    for (const { meta, results } of groups) {
      console.log(`${formatGroup(meta, results)}\n`);
      chromium?.json.push(groupJson(meta, results));
    }
  }

  const environments: { name: string; groups: GroupResults[] }[] = [{ name: "node", groups: node.json }];
  if (chromium) environments.push({ name: "chromium", groups: chromium.json });
  const goals = evaluateGoals(environments);
  console.log(`${formatGoals(goals)}\n`);

  const seconds = (performance.now() - started) / 1000;
  const file = new URL("./results/latest.json", import.meta.url);
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  const chromiumJson = chromium
    ? { browser: chromium.browser, userAgent: chromium.userAgent, crossOriginIsolated: chromium.crossOriginIsolated, groups: chromium.json }
    : undefined;
  const out = { date: new Date().toISOString(), machine: host, timeMsPerCase: timeMs, seconds, groups: node.json, skipped: node.skipped, chromium: chromiumJson, goals };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`done in ${seconds.toFixed(1)} s (consumed ${consumed()}); JSON: bench/results/latest.json`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
