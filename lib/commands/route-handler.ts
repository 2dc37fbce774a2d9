/**
 * The handler behind POST /api/commands (server only): validates a command document (one
 * command or a batch) against `schemas/command.schema.json`, runs the native executor once
 * on it, validates its answer against `schemas/result.schema.json` and returns it.
 *
 * Statuses: 200 results; 400 malformed JSON or a schema error (with the failing JSON
 * Pointer), or an executor that rejected the document itself (exit status 2); 413 a body
 * over {@link MAX_COMMAND_BYTES}; 504 the executor ran over its time limit and was killed;
 * 502 the executor answered something the result schema refuses; 500 it could not run, or
 * exited with another status; 503 the queue is full; 499 the client went away while its
 * request waited (it was not run).
 */

import { readCappedBody } from "../http/read-body";
import { Abandoned, ConcurrencyLimit, QueueFull } from "./concurrency";
import { commandError, MAX_COMMAND_BYTES, type CommandErrorCode } from "./protocol";
import { runExecutor, type ExecutorOptions } from "./run-executor";
import { checkCommandDocument, checkResultDocument } from "./validate";

/** How one command handler runs its executors. */
export interface CommandHandlerConfig {
  /** Executor processes at once. */
  executors: number;
  /** Requests that may wait for an executor; past it the handler answers 503. */
  maxWaiting: number;
  /** The executor's binary, time limit, allow-list and output cap. */
  options: ExecutorOptions;
}

/** A handler of POST requests carrying a command document; each call returns the response. */
export function createCommandHandler(config: CommandHandlerConfig): (request: Request) => Promise<Response> {
  const executors = new ConcurrencyLimit(config.executors, config.maxWaiting);
  const { options } = config;
  return async (request) => {
    const body = await readCappedBody(request, MAX_COMMAND_BYTES);
    if (body === "too large") return fail(413, "too_large", `the request body is over ${MAX_COMMAND_BYTES} bytes`);

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
    return Response.json(outcome.document, { status: statusOfExit(outcome.exitCode) });
  };
}

/** The HTTP status for the executor's exit status: 0 ran, 2 it rejected the document itself (executor/src/main.rs), else it failed. */
export function statusOfExit(exitCode: number): number {
  return exitCode === 0 ? 200 : exitCode === 2 ? 400 : 500;
}

function fail(status: number, code: CommandErrorCode, message: string, path?: string): Response {
  return Response.json(commandError(code, message, path), { status });
}
