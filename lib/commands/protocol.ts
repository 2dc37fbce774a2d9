/**
 * What travels between guest, worker, route and executor besides the schemas' documents:
 * the error document (the executor's own shape, `schemas/result.schema.json`
 * `errorDocument`, extended with the codes the route and the worker add) and the limits.
 */

/** The largest command document accepted, in bytes (the route answers 413 past it). */
export const MAX_COMMAND_BYTES = 1024 * 1024;

/** Error codes: the executor's (`malformed_json`, `invalid_command`, `io_error`, `internal_error`) plus the route's and the worker's. */
export type CommandErrorCode =
  | "malformed_json"
  | "invalid_command"
  | "io_error"
  | "internal_error"
  | "too_large"
  | "timeout"
  | "executor_failed"
  | "bad_executor_output"
  | "denied"
  | "bad_pointer"
  | "busy"
  | "abandoned"
  | "unreachable";

/** `{"error":{"code","message","path"?}}`: what the route returns and `ft_command` puts in the return buffer on -1. */
export interface CommandErrorDocument {
  error: { code: CommandErrorCode; message: string; path?: string };
}

/** Builds an error document. */
export function commandError(code: CommandErrorCode, message: string, path?: string): CommandErrorDocument {
  return { error: { code, message, ...(path !== undefined ? { path } : {}) } };
}
