/**
 * How `ft_command` gets its answer from the route while the guest waits synchronously.
 *
 * - `jspi` (first choice): `fetch`, with the import wrapped in `WebAssembly.Suspending`.
 * - `atomics` (no JSPI, page cross-origin isolated): a helper Worker fetches and writes the
 *   answer into a SharedArrayBuffer while this worker blocks in `Atomics.wait`.
 * - `sync-xhr` (neither): a synchronous XMLHttpRequest, which Workers still allow.
 * - `parent-thread` (the CLI, cli/node-platform.ts): the `worker_threads` Worker blocks in
 *   `Atomics.wait` while its parent thread runs the executor (lib/commands/answer.ts).
 */

import { jspi } from "../jspi";
import { SHARED_HEADER_BYTES, Slot } from "./shared-answer";

/** Which mechanism carries command requests. */
export type TransportKind = "jspi" | "atomics" | "sync-xhr" | "parent-thread";

/** The route's answer. `status` 0 means no HTTP answer arrived (the body then says why). */
export interface HttpAnswer {
  status: number;
  body: Uint8Array;
}

/** Sends one command document to the route. */
export interface CommandTransport {
  kind: TransportKind;
  /** A Promise only for `jspi`; the other two block. */
  send(body: Uint8Array): Promise<HttpAnswer> | HttpAnswer;
}

/** The route that runs commands, relative to the page's origin. */
export const COMMANDS_URL = "/api/commands";
/** The longest a blocking transport waits (the route's own limit is 5 s of executor time, plus queueing). */
const BLOCKING_TIMEOUT_MS = 30_000;
/** Bytes an answer may take in the `atomics` transport's shared buffer. */
const SHARED_ANSWER_BYTES = 8 * 1024 * 1024;

/** The best transport available here, or `forced` when given (and available). */
export async function chooseTransport(forced?: TransportKind): Promise<CommandTransport> {
  const crossOriginIsolated = typeof globalThis.crossOriginIsolated === "boolean" && globalThis.crossOriginIsolated;
  const kind = forced ?? (jspi() ? "jspi" : crossOriginIsolated ? "atomics" : "sync-xhr");
  if (kind === "jspi" && !jspi()) throw new Error("the jspi transport was asked for, but this engine has no JSPI");
  if (kind === "atomics" && !crossOriginIsolated) throw new Error("the atomics transport needs a cross-origin isolated page");
  if (kind === "parent-thread") throw new Error("the parent-thread transport exists only in the CLI (cli/node-platform.ts)");
  if (kind === "jspi") return { kind, send: fetchAnswer };
  if (kind === "atomics") return atomicsTransport();
  return { kind, send: syncXhrAnswer };
}

async function fetchAnswer(body: Uint8Array): Promise<HttpAnswer> {
  try {
    const response = await fetch(COMMANDS_URL, { method: "POST", body: body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/json" } });
    return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
  } catch (error) {
    return unreachable(error);
  }
}

function syncXhrAnswer(body: Uint8Array): HttpAnswer {
  try {
    const request = new XMLHttpRequest();
    request.open("POST", COMMANDS_URL, false);
    request.responseType = "arraybuffer";
    request.setRequestHeader("content-type", "application/json");
    request.send(body as Uint8Array<ArrayBuffer>);
    return { status: request.status, body: new Uint8Array(request.response as ArrayBuffer) };
  } catch (error) {
    return unreachable(error);
  }
}

/**
 * The `atomics` transport (buffer layout in shared-answer.ts). The request id matters:
 * after a timed-out wait the helper may still answer, and that late answer must not be
 * taken for the next request's.
 */
async function atomicsTransport(): Promise<CommandTransport> {
  const shared = new SharedArrayBuffer(SHARED_HEADER_BYTES + SHARED_ANSWER_BYTES);
  const header = new Int32Array(shared, 0, 4);
  const helper = new Worker(new URL("../../workers/command-fetch.worker.ts", import.meta.url), { type: "module", name: "command-fetch" });
  // Start the helper now: once this worker blocks in Atomics.wait it cannot help it start.
  await new Promise<void>((resolve) => {
    helper.onmessage = () => resolve();
    helper.postMessage({ shared, url: COMMANDS_URL });
  });
  let lastId = 0;
  return {
    kind: "atomics",
    send(body) {
      const id = ++lastId;
      Atomics.store(header, Slot.state, 0);
      helper.postMessage({ body, id });
      const deadline = performance.now() + BLOCKING_TIMEOUT_MS;
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0 || Atomics.wait(header, Slot.state, 0, left) === "timed-out") {
          return unreachable(new Error(`no answer within ${BLOCKING_TIMEOUT_MS} ms`));
        }
        if (Atomics.load(header, Slot.id) === id) break;
        // A late answer to an earlier request: discard it and keep waiting for ours.
        Atomics.store(header, Slot.state, 0);
      }
      const length = Atomics.load(header, Slot.length);
      return { status: Atomics.load(header, Slot.status), body: new Uint8Array(shared, SHARED_HEADER_BYTES, length).slice() };
    },
  };
}

function unreachable(error: unknown): HttpAnswer {
  const message = `the command route could not be reached: ${error instanceof Error ? error.message : String(error)}`;
  return { status: 0, body: new TextEncoder().encode(JSON.stringify({ error: { code: "unreachable", message } })) };
}
