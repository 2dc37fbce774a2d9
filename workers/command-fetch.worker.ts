/**
 * Helper for the `atomics` command transport (lib/commands/transport.ts): fetches on behalf
 * of an extension worker that is blocked in `Atomics.wait`, then writes the answer into
 * their SharedArrayBuffer and wakes it. Layout (lib/commands/transport.ts): Int32 [0] state,
 * [1] status, [2] length, [3] the request's id; the body from byte 16.
 */

import { SHARED_HEADER_BYTES, Slot } from "../lib/commands/shared-answer";

let shared: SharedArrayBuffer | undefined;
/** The newest request: only its answer is written (an older one's waiter has given up). */
let latestId = 0;
let url = "/api/commands";

self.onmessage = async (event: MessageEvent<{ shared?: SharedArrayBuffer; url?: string; body?: Uint8Array; id?: number }>) => {
  if (event.data.shared) {
    shared = event.data.shared;
    url = event.data.url ?? url;
    self.postMessage("ready");
    return;
  }
  if (!shared || !event.data.body) return;
  const id = event.data.id ?? 0;
  latestId = id;
  const header = new Int32Array(shared, 0, 4);
  const room = shared.byteLength - SHARED_HEADER_BYTES;
  let status = 0;
  let body: Uint8Array;
  try {
    const response = await fetch(url, { method: "POST", body: event.data.body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/json" } });
    status = response.status;
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    body = new TextEncoder().encode(JSON.stringify({ error: { code: "unreachable", message: `the command route could not be reached: ${String(error)}` } }));
  }
  if (id !== latestId) return;
  if (body.length > room) {
    status = 0;
    body = new TextEncoder().encode(JSON.stringify({ error: { code: "unreachable", message: `the answer (${body.length} bytes) is larger than the ${room}-byte shared buffer` } }));
  }
  new Uint8Array(shared, SHARED_HEADER_BYTES, body.length).set(body);
  Atomics.store(header, Slot.status, status);
  Atomics.store(header, Slot.length, body.length);
  Atomics.store(header, Slot.id, id);
  Atomics.store(header, Slot.state, 1);
  Atomics.notify(header, Slot.state);
};
