/**
 * The shared buffer through which the `atomics` transport's helper worker hands an answer
 * to a blocked extension worker (lib/commands/transport.ts, workers/command-fetch.worker.ts).
 * Its own module: the helper must not import the transport, which starts the helper.
 *
 * Layout: Int32 [0] state (0 waiting, 1 answered), [1] HTTP status, [2] body length,
 * [3] the id of the request answered; the body from byte {@link SHARED_HEADER_BYTES}.
 */

/** Bytes before the answer's body (four Int32s). */
export const SHARED_HEADER_BYTES = 16;

/** Int32 slots of the header. */
export const Slot = { state: 0, status: 1, length: 2, id: 3 } as const;
