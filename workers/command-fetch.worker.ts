/**
 * Helper for the `atomics` command transport (lib/commands/transport.ts): fetches on behalf
 * of an extension worker that is blocked in `Atomics.wait`, then writes the answer into
 * their SharedArrayBuffer and wakes it. Layout: Int32 [0] state, [1] status, [2] length,
 * body from byte 12.
 */

let shared: SharedArrayBuffer | undefined;
let url = "/api/commands";

self.onmessage = async (event: MessageEvent<{ shared?: SharedArrayBuffer; url?: string; body?: Uint8Array }>) => {
  if (event.data.shared) {
    shared = event.data.shared;
    url = event.data.url ?? url;
    self.postMessage("ready");
    return;
  }
  if (!shared || !event.data.body) return;
  const header = new Int32Array(shared, 0, 3);
  const room = shared.byteLength - 12;
  let status = 0;
  let body: Uint8Array;
  try {
    const response = await fetch(url, { method: "POST", body: event.data.body as Uint8Array<ArrayBuffer>, headers: { "content-type": "application/json" } });
    status = response.status;
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    body = new TextEncoder().encode(JSON.stringify({ error: { code: "unreachable", message: `the command route could not be reached: ${String(error)}` } }));
  }
  if (body.length > room) {
    status = 0;
    body = new TextEncoder().encode(JSON.stringify({ error: { code: "unreachable", message: `the answer (${body.length} bytes) is larger than the ${room}-byte shared buffer` } }));
  }
  new Uint8Array(shared, 12, body.length).set(body);
  Atomics.store(header, 1, status);
  Atomics.store(header, 2, body.length);
  Atomics.store(header, 0, 1);
  Atomics.notify(header, 0);
};
