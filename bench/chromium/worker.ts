/**
 * The bench's Worker in Chromium: the host-call, WASI, fuel and load groups, built from the
 * same modules as in Node (`bench/host-calls.ts`, `wasi-calls.ts`, `fuel.ts`, `load.ts`) and timed with the
 * same `runGroup`. Bundled by esbuild for the browser (`bench/chromium/run.ts`), so
 * `lib/wasi` runs on the preview2-shim's browser build, as in the playground's Worker.
 *
 * Protocol: the page posts a {@link StartMessage}; the worker fetches the guest binaries
 * from the bench server and posts one {@link WorkerMessage} per group, then `done` (or
 * `error`). Allocation columns are Node-only (no `--expose-gc` here).
 */

import { fuelGroup } from "../fuel";
import { hostCallGroups } from "../host-calls";
import { loadGroup } from "../load";
import { consumed, runGroup, type CaseResult, type Group } from "../measure";
import type { GroupMeta } from "../report";
import { wasiCallGroups } from "../wasi-calls";

/** What the page asks for. */
export interface StartMessage {
  timeMs: number;
  /** Group id substrings; empty = every group. */
  filters: string[];
}

/** What the worker reports. */
export type WorkerMessage =
  | { type: "group"; meta: GroupMeta; results: CaseResult[] }
  | { type: "done"; consumed: number; crossOriginIsolated: boolean; userAgent: string }
  | { type: "error"; message: string };

const scope = self as unknown as { postMessage(message: WorkerMessage): void; onmessage: ((event: MessageEvent) => void) | null };

/** A guest binary served by the bench server. */
async function guest(name: string): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(`/guests/${name}`);
  if (!response.ok) throw new Error(`GET /guests/${name}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function optionalGuest(name: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const response = await fetch(`/guests/${name}`);
  return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
}

function wanted(id: string, filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => id.includes(f));
}

async function run({ timeMs, filters }: StartMessage): Promise<void> {
  const wasi = await wasiCallGroups(await guest("wasi-calls.wasm"), timeMs);
  const groups: Group[] = [
    ...(await hostCallGroups(await guest("host-calls.wasm"), timeMs)),
    ...wasi.groups,
    await fuelGroup(await guest("compute.wasm"), await optionalGuest("compute-rs.wasm"), timeMs),
  ];
  const hello = await optionalGuest("hello.wasm");
  const helloManifest = await optionalGuest("hello.toml");
  if (hello && helloManifest) groups.push(loadGroup(hello, new TextDecoder().decode(helloManifest), timeMs));
  try {
    for (const group of groups) {
      if (!wanted(group.id, filters)) continue;
      const results = await runGroup(group);
      const { cases: _cases, ...meta } = group;
      scope.postMessage({ type: "group", meta, results });
    }
  } finally {
    wasi.dispose();
  }
  scope.postMessage({ type: "done", consumed: consumed(), crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent });
}

scope.onmessage = (event: MessageEvent) => {
  run(event.data as StartMessage).catch((error: unknown) => {
    scope.postMessage({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
};
