/**
 * `ft_command(ptr i32, len i32) -> i32`: the playground's addition to FrankenTerm's ABI.
 *
 * A guest cannot run native code, so it describes a command (or a batch) as JSON
 * (`schemas/command.schema.json`); the host validates it, checks `[permissions] commands`,
 * sends it to the route, which runs the native executor once per batch
 * (`seeds/command-pattern.md`). The answer's JSON goes into the return buffer:
 * - success: the result document; returns its byte length.
 * - failure: `-1`, and the return buffer holds `{"error":{"code","message","path"?}}`
 *   (invalid JSON, schema error with its JSON Pointer, denied action, route or executor
 *   failure). Unlike `ft_get_env`, a failure does replace the buffer: the guest needs the reason.
 *
 * The guest is synchronous. With the `jspi` transport this function returns a Promise and
 * is imported through `WebAssembly.Suspending`; the other transports block (see
 * `lib/commands/transport.ts`). Every call is audited as `ft_command`.
 */

import { AuditFn, Outcome, type AuditTrail } from "../audit/trail";
import { commandError, MAX_COMMAND_BYTES, type CommandErrorCode } from "../commands/protocol";
import type { CommandTransport, HttpAnswer } from "../commands/transport";
import type { CommandDocument } from "../commands/schema-types";
import type { SchemaProblem } from "../commands/validate";
import { decodeUtf8, describeFault, encodeUtf8, type GuestMemory } from "../memory";
import type { ReturnBuffer } from "./return-buffer";

/** What `ft_command` of one instance works on. */
export interface CommandContext {
  memory: GuestMemory;
  audit: AuditTrail;
  returnBuffer: ReturnBuffer;
  /** Actions `[permissions] commands` allows. */
  permitted: readonly string[];
  transport: CommandTransport;
  /**
   * The schema check of a command document (`checkCommandDocument` of lib/commands/validate).
   * Passed in rather than imported: ajv is the largest part of the extension Worker's
   * bundle, and only instances that import `ft_command` need it (lib/instance.ts loads it).
   */
  check: (document: unknown) => SchemaProblem | undefined;
}

/** Creates `ft_command` for one instance. */
export function createFtCommand(ctx: CommandContext): (ptr: number, len: number) => number | Promise<number> {
  return (ptr, len) => ftCommand(ctx, ptr, len);
}

/** See the module comment. Returns a Promise only with the `jspi` transport. */
export function ftCommand(ctx: CommandContext, ptr: number, len: number): number | Promise<number> {
  const start = ctx.memory.checkedStart(ptr, len);
  if (start < 0) return refuse(ctx, undefined, "bad_pointer", describeFault(ctx.memory.fault(ptr, len)));
  if (len >>> 0 > MAX_COMMAND_BYTES) return refuse(ctx, undefined, "too_large", `the command is ${len >>> 0} bytes; at most ${MAX_COMMAND_BYTES} are accepted`);
  // A copy: with JSPI the guest's memory may change before the answer comes back.
  const bytes = ctx.memory.bytes().slice(start, start + (len >>> 0));
  const text = decodeUtf8(bytes);
  if (text === undefined) return refuse(ctx, bytes, "malformed_json", "the command is not valid UTF-8");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return refuse(ctx, bytes, "malformed_json", `the command is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = ctx.check(document);
  if (problem) return refuse(ctx, bytes, "invalid_command", `${problem.path || "the document"} ${problem.message}`, problem.path);
  const denied = [...new Set(actionsOf(document as CommandDocument))].filter((action) => !ctx.permitted.includes(action));
  if (denied.length > 0) {
    const allowed = ctx.permitted.length > 0 ? ctx.permitted.join(", ") : "none";
    return refuse(ctx, bytes, "denied", `command not permitted: ${denied.join(", ")} ([permissions] commands allows: ${allowed})`);
  }
  const answer = ctx.transport.send(bytes);
  return answer instanceof Promise ? answer.then((a) => accept(ctx, bytes, a)) : accept(ctx, bytes, answer);
}

/** The route answered: 200 is the result document; anything else carries an error document. */
function accept(ctx: CommandContext, command: Uint8Array, answer: HttpAnswer): number {
  if (answer.status === 200) {
    ctx.returnBuffer.set(answer.body);
    ctx.audit.recordStated(AuditFn.ftCommand, Outcome.ok, "", command, answer.body.length);
    return answer.body.length;
  }
  ctx.returnBuffer.set(answer.body);
  ctx.audit.recordStated(AuditFn.ftCommand, Outcome.error, `HTTP ${answer.status || "-"}: ${errorSummary(answer.body)}`, command, -1);
  return -1;
}

/** Refuses a command before it leaves the worker: -1 with an error document in the return buffer. */
function refuse(ctx: CommandContext, command: Uint8Array | undefined, code: CommandErrorCode, message: string, path?: string): number {
  ctx.returnBuffer.set(encodeUtf8(JSON.stringify(commandError(code, message, path))));
  const outcome = code === "denied" ? Outcome.denied : Outcome.error;
  ctx.audit.recordStated(AuditFn.ftCommand, outcome, code === "denied" ? message : `${code}: ${message}`, command, -1);
  return -1;
}

/** The `action` of every command in a document the schema accepted. */
function actionsOf(document: CommandDocument): string[] {
  return (Array.isArray(document) ? document : [document]).map((command) => command.action);
}

/** `code: message` of an error document, or its first bytes when it is something else. */
function errorSummary(body: Uint8Array): string {
  try {
    const { error } = JSON.parse(new TextDecoder().decode(body)) as { error?: { code?: string; message?: string } };
    if (error?.code) return `${error.code}: ${error.message ?? ""}`;
  } catch {
    // Not JSON: show the start of it below.
  }
  return new TextDecoder().decode(body.subarray(0, 120));
}
