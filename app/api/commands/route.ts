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
import { Abandoned, ConcurrencyLimit, QueueFull } from "../../../lib/commands/concurrency";
import { commandError, MAX_COMMAND_BYTES, type CommandErrorCode } from "../../../lib/commands/protocol";
import { defaultExecutorOptions, runExecutor } from "../../../lib/commands/run-executor";
import { checkCommandDocument, checkResultDocument } from "../../../lib/commands/validate";

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
  if (body === "too large") return fail(413, "too_large", `the request body is over ${MAX_COMMAND_BYTES} bytes`);

  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body));
  } catch (error) {
    return fail(400, "malformed_json", `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = checkCommandDocument(document);
  if (problem) return fail(400, "invalid_command", `${problem.path || "the document"} ${problem.message}`, problem.path);

  const options = defaultExecutorOptions();
  let outcome: Awaited<ReturnType<typeof runExecutor>>;
  try {
    outcome = await executors.run(() => runExecutor(body, options), request.signal);
  } catch (error) {
    if (error instanceof QueueFull) return fail(503, "busy", `${error.message}; try again shortly`);
    if (error instanceof Abandoned) return fail(499, "abandoned", error.message);
    throw error;
  }
  if (outcome.kind === "timeout") return fail(504, "timeout", `the executor ran longer than ${options.timeoutMs} ms and was killed`);
  if (outcome.kind === "failed") return fail(500, "executor_failed", outcome.message);

  const resultProblem = checkResultDocument(outcome.document);
  if (resultProblem) {
    return fail(502, "bad_executor_output", `the executor's answer does not match result.schema.json at ${resultProblem.path || "/"}: ${resultProblem.message}`, resultProblem.path);
  }
  const status = outcome.exitCode === 0 ? 200 : outcome.exitCode === 2 ? 400 : 500;
  return Response.json(outcome.document, { status });
}

function fail(status: number, code: CommandErrorCode, message: string, path?: string): Response {
  return Response.json(commandError(code, message, path), { status });
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
