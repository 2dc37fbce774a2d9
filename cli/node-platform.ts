/**
 * The CLI's {@link HostPlatform} (lib/platform.ts): the Node counterparts of what is
 * browser-only, chosen here and nowhere else.
 *
 * - module cache: files on disk keyed by the same SHA-256 (module-store.ts);
 * - `ft_command`: the `parent-thread` transport. The guest is synchronous and Node 20 has
 *   no JSPI, so the worker thread posts the command to its parent and blocks in
 *   `Atomics.wait` on a SharedArrayBuffer; the parent runs the same pipeline as the route
 *   (lib/commands/answer.ts: ajv, executor, ajv) and writes the answer back. The buffer's
 *   layout is the `atomics` transport's (lib/commands/shared-answer.ts), ids included, so a
 *   late answer to a timed-out request is never taken for the next one's.
 */

import type { MessagePort } from "node:worker_threads";
import type { CommandTransport, HttpAnswer } from "../lib/commands/transport";
import { SHARED_HEADER_BYTES, Slot } from "../lib/commands/shared-answer";
import type { HostPlatform } from "../lib/platform";
import { fileModuleStore } from "./module-store";
import type { CommandRequestMessage } from "./protocol";

/** Bytes an answer may take in the shared buffer (as in the browser's `atomics` transport). */
export const SHARED_ANSWER_BYTES = 8 * 1024 * 1024;
/** The longest the worker waits for an answer (the executor's own limit is 5 s, plus queueing). */
const BLOCKING_TIMEOUT_MS = 30_000;

/**
 * The platform of one CLI worker.
 * @param port the worker's `parentPort`, where command requests go.
 * @param shared the buffer the parent writes answers into ({@link SHARED_HEADER_BYTES} + {@link SHARED_ANSWER_BYTES}).
 * @param cacheDir the module cache's folder.
 */
export function nodePlatform(port: MessagePort, shared: SharedArrayBuffer, cacheDir: string): HostPlatform {
  return {
    moduleStore: fileModuleStore(cacheDir),
    async commandTransport(forced) {
      if (forced && forced !== "parent-thread") throw new Error(`the ${forced} transport exists only in the browser; the CLI uses parent-thread`);
      return parentThreadTransport(port, shared);
    },
  };
}

function parentThreadTransport(port: MessagePort, shared: SharedArrayBuffer): CommandTransport {
  const header = new Int32Array(shared, 0, 4);
  let lastId = 0;
  return {
    kind: "parent-thread",
    send(body): HttpAnswer {
      const id = ++lastId;
      Atomics.store(header, Slot.state, 0);
      const message: CommandRequestMessage = { type: "command", id, body };
      port.postMessage(message);
      const deadline = performance.now() + BLOCKING_TIMEOUT_MS;
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0 || Atomics.wait(header, Slot.state, 0, left) === "timed-out") {
          return unreachable(`no answer from the CLI's main thread within ${BLOCKING_TIMEOUT_MS} ms`);
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

/**
 * The parent's half: writes an answer for request `id` and wakes the worker.
 * An answer larger than the buffer becomes an error document (status 0).
 */
export function writeAnswer(shared: SharedArrayBuffer, id: number, status: number, body: Uint8Array): void {
  const header = new Int32Array(shared, 0, 4);
  const room = shared.byteLength - SHARED_HEADER_BYTES;
  if (body.length > room) {
    status = 0;
    body = encodeError(`the answer (${body.length} bytes) is larger than the ${room}-byte shared buffer`);
  }
  new Uint8Array(shared, SHARED_HEADER_BYTES, body.length).set(body);
  Atomics.store(header, Slot.status, status);
  Atomics.store(header, Slot.length, body.length);
  Atomics.store(header, Slot.id, id);
  Atomics.store(header, Slot.state, 1);
  Atomics.notify(header, Slot.state);
}

function encodeError(message: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ error: { code: "unreachable", message } }));
}

function unreachable(message: string): HttpAnswer {
  return { status: 0, body: encodeError(message) };
}
