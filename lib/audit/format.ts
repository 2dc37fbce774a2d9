/**
 * Codes stored in the audit ring and their display form.
 *
 * The record layout follows FrankenTerm's `src/audit.rs`: `function`, `args_summary` (cut
 * at 256 bytes + `...`) and `outcome` = `Ok | Denied(reason) | Error(reason)`. Function
 * names follow the host code (`ft_log`, `env_get`, `fs_read`, `fs_write`); the playground
 * adds `return_buffer_read` (the host code does not audit it) and one name per WASI call.
 */

import { describeFault } from "../memory";

/** Which host call a record is about. */
export const AuditFn = {
  ftLog: 0,
  envGet: 1,
  returnBufferRead: 2,
  wasi: 3,
  /** A filesystem permission check for reading; the kept bytes are the guest path. */
  fsRead: 4,
  /** A filesystem permission check for writing; the kept bytes are the guest path. */
  fsWrite: 5,
  /** `ft_command`: the kept bytes are the command JSON; the reason text is stored beside. */
  ftCommand: 6,
  /** `memory.grow` refused by the sandbox's cap (`[limits] max_memory_bytes`). */
  memoryGrow: 7,
} as const;
export type AuditFunction = (typeof AuditFn)[keyof typeof AuditFn];

/** The host's outcome variants (`src/audit.rs`). */
export const Outcome = { ok: 0, denied: 1, error: 2 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** Why an outcome is what it is; picks the reason text. */
export const Detail = {
  none: 0,
  /** a = ptr, b = len, c = memory size in bytes. */
  outOfBounds: 1,
  /** The module exports no `memory`. */
  noMemory: 2,
  /** The guest's bytes are not UTF-8. */
  badUtf8: 3,
  /** A permission refused the call; the text is the name refused. */
  deniedEnv: 4,
  /** A WASI function the playground does not implement (ENOSYS). */
  notImplemented: 5,
  /** A WASI call that returned a non-zero errno (`result`). */
  errno: 6,
  /** The variable is not set. */
  unset: 7,
  /** The call trapped (bad pointer); the call's error says how. */
  trapped: 8,
  /** `proc_exit`; `result` is the exit status. */
  exited: 9,
  /** A filesystem permission refused the path (the kept bytes). */
  deniedPath: 10,
  /** The reason is a text stored with the record (slow paths only, such as `ft_command`). */
  stated: 11,
} as const;
export type Detail = (typeof Detail)[keyof typeof Detail];

/** One audit record, formatted for display. */
export interface AuditEntry {
  /** Sequence number since the trail's creation. */
  seq: number;
  /** Microseconds since the trail was created (instance load). */
  elapsedMicros: number;
  /** The manifest's extension name. */
  extensionId: string;
  /** `ft_log`, `env_get`, `fs_read`, `fs_write`, `return_buffer_read`, or the WASI function's name. */
  function: string;
  /** Arguments, at most 256 bytes and `...` when cut. */
  argsSummary: string;
  /** `Ok`, `Denied(reason)` or `Error(reason)`. */
  outcome: string;
  /** What the call returned to the guest, when it returns a value. */
  result?: number;
}

/** The raw fields of a record, as stored in the ring. */
export interface RawRecord {
  seq: number;
  elapsedMicros: number;
  extensionId: string;
  fn: AuditFunction;
  outcome: Outcome;
  detail: Detail;
  numbers: { a: number; b: number; c: number; d: number; result: number };
  /** The kept bytes decoded, or `undefined` when they are not UTF-8. */
  text: string | undefined;
  /** Length in bytes of the material the kept bytes were cut from. */
  fullLength: number;
  /** The reason text of a {@link Detail.stated} record. */
  statedReason?: string;
}

/** Maximum bytes of an args summary (`src/audit.rs`). */
const SUMMARY_LIMIT = 256;
/** Bytes of a log message quoted in its summary (`src/wasm_host.rs`). */
const LOG_QUOTE = 80;

/** Builds the display form of a stored record. */
export function formatRecord(raw: RawRecord): AuditEntry {
  const { a, b, result } = raw.numbers;
  let name: string;
  let summary: string;
  switch (raw.fn) {
    case AuditFn.ftLog:
      name = "ft_log";
      summary =
        raw.detail === Detail.none || raw.detail === Detail.badUtf8
          ? `level=${a} msg=${quote(raw, LOG_QUOTE)}`
          : `level=${raw.numbers.d} ptr=${hex(a)} len=${b >>> 0}`;
      break;
    case AuditFn.envGet:
      name = "env_get";
      summary = raw.detail === Detail.outOfBounds ? `key_ptr=${hex(a)} key_len=${b >>> 0}` : quote(raw, SUMMARY_LIMIT);
      // The host audits an unset variable as Ok with -1, like a denied one but for the outcome:
      // say so, so that "permitted but unset" and "denied" read differently.
      if (raw.detail === Detail.unset) summary = `${summary} (unset)`;
      break;
    case AuditFn.returnBufferRead:
      name = "return_buffer_read";
      summary = `out_ptr=${hex(a)} out_len=${b >>> 0}`;
      break;
    case AuditFn.wasi:
      name = raw.text ?? "wasi";
      summary = wasiArgs(raw.numbers);
      break;
    case AuditFn.ftCommand:
      name = "ft_command";
      summary = quote(raw, SUMMARY_LIMIT);
      break;
    case AuditFn.memoryGrow:
      name = "memory.grow";
      summary = "";
      break;
    case AuditFn.fsRead:
    case AuditFn.fsWrite:
      name = raw.fn === AuditFn.fsRead ? "fs_read" : "fs_write";
      summary = quote(raw, SUMMARY_LIMIT);
      break;
  }
  return {
    seq: raw.seq,
    elapsedMicros: Math.round(raw.elapsedMicros),
    extensionId: raw.extensionId,
    function: name,
    // The ring keeps 256 bytes of the raw material; longer material was cut there.
    argsSummary: cut(summary, quotesWhole(raw.fn) && raw.fullLength > SUMMARY_LIMIT),
    outcome: formatOutcome(raw),
    ...(Number.isNaN(result) ? {} : { result }),
  };
}

function formatOutcome(raw: RawRecord): string {
  // ft_log checks UTF-8 lazily (see LogSink.drain): a message that does not decode was
  // logged as "" by the host's rule, which the audit shows as an error.
  if (raw.fn === AuditFn.ftLog && raw.detail === Detail.none && raw.text === undefined) {
    return `Error(${JSON.stringify(reason({ ...raw, detail: Detail.badUtf8 }))})`;
  }
  switch (raw.outcome) {
    case Outcome.ok:
      return "Ok";
    case Outcome.denied:
      return `Denied(${JSON.stringify(reason(raw))})`;
    case Outcome.error:
      return `Error(${JSON.stringify(reason(raw))})`;
  }
}

function reason(raw: RawRecord): string {
  const { a, b, c, result } = raw.numbers;
  switch (raw.detail) {
    case Detail.outOfBounds:
      return describeFault({ ptr: a, len: b, memorySize: c });
    case Detail.noMemory:
      return "the module exports no memory";
    case Detail.badUtf8:
      return "bytes are not valid UTF-8";
    case Detail.deniedEnv:
      return `environment variable access denied for ${raw.text ?? "?"}`;
    case Detail.notImplemented:
      return "ENOSYS: the playground does not implement this WASI function";
    case Detail.errno:
      return `errno ${result}`;
    case Detail.unset:
      return "not set";
    case Detail.trapped:
      return "the call trapped; see the error below the output";
    case Detail.exited:
      return `exit status ${result}`;
    case Detail.stated:
      return raw.statedReason ?? "";
    case Detail.deniedPath:
      return `${raw.fn === AuditFn.fsWrite ? "write" : "read"} access denied: ${raw.text ?? "?"}`;
    case Detail.none:
      return "";
  }
}

function quote(raw: RawRecord, limit: number): string {
  if (raw.text === undefined) return "";
  const bytes = new TextEncoder().encode(raw.text);
  if (bytes.length <= limit) return raw.text;
  const cutText = new TextDecoder().decode(bytes.subarray(0, limit));
  return cutText.endsWith("\uFFFD") ? cutText.slice(0, -1) : cutText;
}

function cut(summary: string, alreadyCut: boolean): string {
  const bytes = new TextEncoder().encode(summary);
  if (bytes.length <= SUMMARY_LIMIT) return alreadyCut ? `${summary}...` : summary;
  return new TextDecoder().decode(bytes.subarray(0, SUMMARY_LIMIT)).replace(/\uFFFD$/, "") + "...";
}

/** True for records whose summary is the kept bytes themselves (cut at 256 bytes). */
function quotesWhole(fn: AuditFunction): boolean {
  return fn === AuditFn.envGet || fn === AuditFn.fsRead || fn === AuditFn.fsWrite || fn === AuditFn.ftCommand;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function wasiArgs(numbers: RawRecord["numbers"]): string {
  return [numbers.a, numbers.b, numbers.c, numbers.d]
    .filter((n) => !Number.isNaN(n))
    .map((n) => String(n))
    .join(", ");
}
