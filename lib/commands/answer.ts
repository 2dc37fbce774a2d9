/**
 * Server only (Node: spawns the executor). One command request answered end to end, as
 * the route answers it and as the CLI answers its workers: parse the body, validate it
 * against `schemas/command.schema.json`, run the executor once (through a
 * {@link ConcurrencyLimit}), validate its output against `schemas/result.schema.json`.
 *
 * Statuses: 200 results; 400 malformed JSON or a schema error (with the failing JSON
 * Pointer) or an executor refusal (exit 2); 413 a body over {@link MAX_COMMAND_BYTES};
 * 503 the queue is full; 499 the caller went away while it waited; 504 the executor ran
 * past its timeout and was killed; 502 its answer fails the result schema; 500 it could
 * not run.
 */

import { Abandoned, QueueFull, type ConcurrencyLimit } from "./concurrency";
import { commandError, MAX_COMMAND_BYTES, type CommandErrorCode } from "./protocol";
import { runExecutor, type ExecutorOptions } from "./run-executor";
import { checkCommandDocument, checkResultDocument } from "./validate";

/** An answer: the HTTP status and the JSON document to send back. */
export interface CommandAnswer {
  status: number;
  document: unknown;
}

/**
 * Answers one request body. Never rejects for a bad request or a failed executor: those
 * are answers with an error document.
 * @param body the request's bytes (already bounded by the caller's reader).
 * @param executors the limit on executor processes at once, shared by all requests.
 * @param signal aborted when the caller went away; a request still waiting is then not run.
 */
export async function answerCommand(body: Uint8Array, executors: ConcurrencyLimit, options: ExecutorOptions, signal?: AbortSignal): Promise<CommandAnswer> {
  if (body.length > MAX_COMMAND_BYTES) return fail(413, "too_large", `the request body is over ${MAX_COMMAND_BYTES} bytes`);
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body));
  } catch (error) {
    return fail(400, "malformed_json", `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = checkCommandDocument(document);
  if (problem) return fail(400, "invalid_command", `${problem.path || "the document"} ${problem.message}`, problem.path);

  let outcome: Awaited<ReturnType<typeof runExecutor>>;
  try {
    outcome = await executors.run(() => runExecutor(body, options), signal);
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
  return { status: outcome.exitCode === 0 ? 200 : outcome.exitCode === 2 ? 400 : 500, document: outcome.document };
}

function fail(status: number, code: CommandErrorCode, message: string, path?: string): CommandAnswer {
  return { status, document: commandError(code, message, path) };
}
