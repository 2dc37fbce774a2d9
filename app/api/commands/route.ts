/**
 * POST /api/commands: validates a command document (one command or a batch) against
 * `schemas/command.schema.json`, runs the native executor once on it, validates its answer
 * against `schemas/result.schema.json` and returns it.
 *
 * Statuses: 200 results; 400 malformed JSON or a schema error (with the failing JSON
 * Pointer); 413 a body over 1 MiB; 504 the executor ran over 5 s and was killed; 502 the
 * executor answered something the result schema refuses; 500 it could not run.
 * Concurrent executor processes are capped; requests over the cap wait in order and are
 * never dropped (past 1000 waiting, a flood, the route answers 503 rather than hold more
 * memory). A request whose client went away while it waited is not run.
 */

import { availableParallelism } from "node:os";
import { answerCommand } from "../../../lib/commands/answer";
import { ConcurrencyLimit } from "../../../lib/commands/concurrency";
import { commandError, MAX_COMMAND_BYTES } from "../../../lib/commands/protocol";
import { defaultExecutorOptions } from "../../../lib/commands/run-executor";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Executor processes at once: one per core of the machine this runs on, at least 2. */
const EXECUTORS = Math.max(2, availableParallelism());
/**
 * Requests that may wait for an executor. Requests are queued, never dropped; this bound
 * only stops an abusive flood from holding unbounded memory (each waiting request holds
 * up to 1 MiB of body), far above what the playground sends.
 */
const MAX_WAITING = 1000;
const executors = new ConcurrencyLimit(EXECUTORS, MAX_WAITING);

export async function POST(request: Request): Promise<Response> {
  const body = await readBody(request, MAX_COMMAND_BYTES);
  if (body === "too large") return Response.json(commandError("too_large", `the request body is over ${MAX_COMMAND_BYTES} bytes`), { status: 413 });
  // The pipeline (validate, run, validate) is shared with the CLI: lib/commands/answer.ts.
  const { status, document } = await answerCommand(body, executors, defaultExecutorOptions(), request.signal);
  return Response.json(document, { status });
}

/** Reads the body, refusing it as soon as it passes `limit` bytes (declared or streamed). */
async function readBody(request: Request, limit: number): Promise<Uint8Array | "too large"> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return "too large";
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return "too large";
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
