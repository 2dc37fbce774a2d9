/**
 * The FrankenTerm host ABI: `ft_log`, `ft_get_env`, `ft_return_buffer_read`.
 *
 * Behaviour follows the documentation (`seeds/wasm-extensions.md`) where it speaks and the
 * host code (`frankenterm/scripting/src/wasm_host.rs`) where it is more precise; each
 * function's comment names the host code's behaviour it reproduces. Pointers and lengths
 * are `u32` (the documentation's types; the code's `i32` is reinterpreted with `>>> 0`).
 * Nothing is thrown across the import boundary: every failure is a return value plus an
 * audit record.
 */

import { AuditFn, Detail, Outcome, SUMMARY_BYTES, type AuditTrail } from "../audit/trail";
import { decodeUtf8, SHORT_COPY_BYTES, type GuestMemory } from "../memory";
import type { EnvironmentAccess } from "./environment";
import type { LogSink } from "./log-sink";
import type { ReturnBuffer } from "./return-buffer";

/**
 * What the host functions of one instance work on. Only `env` may be replaced between
 * calls (each hook call may bring its own environment); the host functions choose their
 * paths once, from `audit.enabled`, when they are created.
 */
export interface HostContext {
  readonly memory: GuestMemory;
  readonly audit: AuditTrail;
  readonly logs: LogSink;
  readonly returnBuffer: ReturnBuffer;
  env: EnvironmentAccess;
}

/** The import names of the ABI, as the guest spells them. */
export interface HostFunctions {
  ft_log(level: number, ptr: number, len: number): void;
  ft_get_env(keyPtr: number, keyLen: number): number;
  ft_return_buffer_read(outPtr: number, outLen: number): number;
}

/** The host functions' import names. */
export const HOST_FUNCTION_NAMES = ["ft_log", "ft_get_env", "ft_return_buffer_read"] as const;

const EMPTY = new Uint8Array(0);

/**
 * Creates the host functions of one instance over `ctx`.
 *
 * Each import is a closure with a short fast path for the common case (a range well inside
 * memory, a message the audit quotes whole) that falls back to the complete function
 * ({@link ftLog}, {@link ftGetEnv}, {@link ftReturnBufferRead}) for everything else, so
 * the behaviour is the complete function's and the hot path stays small enough for the
 * JIT to inline whole. With the audit off (`LoadRequest.audit = false`), `ft_log` is a
 * closure that does not touch the trail at all: bounds check, copy, done.
 */
export function createHostFunctions(ctx: HostContext): HostFunctions {
  return {
    ft_log: ctx.audit.enabled ? auditedLog(ctx) : unauditedLog(ctx),
    ft_get_env: getEnv(ctx),
    ft_return_buffer_read: returnBufferRead(ctx),
  };
}

/**
 * `ft_get_env`. Fast path: the key lies inside memory and names a variable that is set and
 * permitted (the bytes are compared, not decoded); everything else is {@link ftGetEnv}'s,
 * which repeats the lookup (nothing has changed before it).
 */
function getEnv(ctx: HostContext): HostFunctions["ft_get_env"] {
  const { memory, audit, returnBuffer } = ctx;
  return (keyPtr, keyLen) => {
    const bytes = memory.bytes();
    const start = keyPtr >>> 0;
    const length = keyLen >>> 0;
    if (start + length >= bytes.length) return ftGetEnv(ctx, keyPtr, keyLen);
    const known = ctx.env.find(bytes, start, length, memory.words());
    if (known === undefined || !known.allowed) return ftGetEnv(ctx, keyPtr, keyLen);
    // Shared, never modified: the return buffer only copies out of it.
    returnBuffer.set(known.value);
    audit.recordBytes(AuditFn.envGet, Outcome.ok, Detail.none, memory, start, length, known.value.length, NaN);
    return known.value.length;
  };
}

/**
 * `ft_return_buffer_read`. Fast path: something to copy, and the target lies inside memory;
 * everything else is {@link ftReturnBufferRead}'s.
 */
function returnBufferRead(ctx: HostContext): HostFunctions["ft_return_buffer_read"] {
  const { memory, audit, returnBuffer } = ctx;
  return (outPtr, outLen) => {
    const source = returnBuffer.bytes;
    const requested = outLen >>> 0;
    const count = source.length < requested ? source.length : requested;
    const target = memory.bytes();
    const start = outPtr >>> 0;
    if (count === 0 || start + count >= target.length) return ftReturnBufferRead(ctx, outPtr, outLen);
    copyInto(source, target, start, count);
    audit.recordNumbers(AuditFn.returnBufferRead, Outcome.ok, Detail.none, count, start, requested);
    return count;
  };
}

/** Copies `source[0…count)` to `target[start…]`; the caller has checked the range. */
function copyInto(source: Uint8Array, target: Uint8Array, start: number, count: number): void {
  // A short value byte by byte: `set` is a builtin call that costs more than 16 stores.
  if (count <= 16) for (let i = 0; i < count; i++) target[start + i] = source[i] as number;
  else target.set(count === source.length ? source : source.subarray(0, count), start);
}

/**
 * `ft_log` with the audit on. Fast path: the message lies inside memory (strictly, so that
 * memory is attached: a missing memory is an empty view) and is short enough to be judged
 * lazily (see {@link ftLog}); its bytes go straight from guest memory into the sink's and
 * the trail's arenas. Leanest when the message is short and word-aligned (see
 * {@link unauditedLog}).
 */
function auditedLog(ctx: HostContext): HostFunctions["ft_log"] {
  const { memory, logs, audit } = ctx;
  return (level, ptr, len) => {
    const start = ptr >>> 0;
    const length = len >>> 0;
    const words = memory.words();
    if (length <= SHORT_COPY_BYTES && (start & 3) === 0 && start + length < words.length * 4) {
      logs.pushAligned(level, memory, words, start, length);
      audit.recordWords(AuditFn.ftLog, words, start, length, level);
      return;
    }
    if (start + length >= memory.bytes().length || length > SUMMARY_BYTES) return ftLog(ctx, level, ptr, len);
    logs.pushRange(level, memory, start, length);
    audit.recordBytes(AuditFn.ftLog, Outcome.ok, Detail.none, memory, start, length, NaN, level);
  };
}

/** `ft_log` with the audit off: the same fast path without the record (see {@link auditedLog}). */
function unauditedLog(ctx: HostContext): HostFunctions["ft_log"] {
  const { memory, logs } = ctx;
  return (level, ptr, len) => {
    const start = ptr >>> 0;
    const length = len >>> 0;
    // Leanest: a short message at a word-aligned pointer (a heap-allocated string), copied
    // word by word; the word view's length is memory's size / 4.
    const words = memory.words();
    if (length <= SHORT_COPY_BYTES && (start & 3) === 0 && start + length < words.length * 4) {
      return logs.pushAligned(level, memory, words, start, length);
    }
    if (start + length >= memory.bytes().length || length > SUMMARY_BYTES) return ftLog(ctx, level, ptr, len);
    logs.pushRange(level, memory, start, length);
  };
}

/**
 * `ft_log(level, msg_ptr, msg_len)`: logs `msg_len` UTF-8 bytes at `msg_ptr`.
 *
 * Host code: the level is not validated; bytes out of bounds or not UTF-8 give the message
 * `""`. UTF-8 is judged over the whole message: lazily, when the line is displayed (see
 * `LogSink.drain`) for messages of up to 256 bytes, here for longer ones, so the audit's
 * outcome and the line shown always agree. Audit: `ft_log`,
 * `level=L msg=<first 80 bytes>`; an out-of-bounds range is an `Error` naming it.
 */
export function ftLog({ memory, audit, logs }: HostContext, level: number, ptr: number, len: number): void {
  const bytes = memory.bytes();
  const start = ptr >>> 0;
  const length = len >>> 0;
  if (start + length > bytes.length || !memory.attached) {
    logs.push(level, EMPTY);
    const detail = memory.attached ? Detail.outOfBounds : Detail.noMemory;
    audit.record(AuditFn.ftLog, Outcome.error, detail, undefined, NaN, start, length, memory.size, level);
    return;
  }
  // Short messages are judged lazily, whole, by the audit and the log sink alike; the audit
  // keeps only SUMMARY_BYTES and the sink MESSAGE_BYTES, so a longer one is judged here.
  if (length > SUMMARY_BYTES && decodeUtf8(bytes.subarray(start, start + length)) === undefined) {
    logs.push(level, EMPTY);
    audit.record(AuditFn.ftLog, Outcome.error, Detail.badUtf8, undefined, NaN, level);
    return;
  }
  // Copied straight from guest memory into the sink's and the trail's arenas: no view.
  logs.pushRange(level, memory, start, length);
  audit.recordBytes(AuditFn.ftLog, Outcome.ok, Detail.none, memory, start, length, NaN, level);
}

/**
 * `ft_get_env(key_ptr, key_len) -> i32`: the value's byte length, or `-1`.
 *
 * Host code: `-1` when the key is unreadable (out of bounds, not UTF-8), denied by
 * `[permissions] environment`, or unset; on `-1` the return buffer keeps its previous
 * content. On success the value's UTF-8 bytes become the return buffer. Audit: `env_get`
 * with the key; denial is `Denied("environment variable access denied for NAME")`.
 */
export function ftGetEnv({ memory, audit, returnBuffer, env }: HostContext, keyPtr: number, keyLen: number): number {
  const start = memory.checkedStart(keyPtr, keyLen);
  if (start < 0) {
    const detail = memory.attached ? Detail.outOfBounds : Detail.noMemory;
    audit.record(AuditFn.envGet, Outcome.error, detail, undefined, -1, keyPtr >>> 0, keyLen >>> 0, memory.size);
    return -1;
  }
  const bytes = memory.bytes();
  const view = memory.view();
  const length = keyLen >>> 0;
  // A variable that is set is found by its name's bytes, without decoding the key.
  const known = env.find(bytes, start, length);
  if (known !== undefined) {
    if (!known.allowed) {
      audit.recordFrom(AuditFn.envGet, Outcome.denied, Detail.deniedEnv, bytes, view, start, length, -1);
      return -1;
    }
    // Shared, never modified: the return buffer only copies out of it.
    returnBuffer.set(known.value);
    audit.recordFrom(AuditFn.envGet, Outcome.ok, Detail.none, bytes, view, start, length, known.value.length);
    return known.value.length;
  }
  // Not a variable that is set: unreadable, denied or unset, in the host code's order.
  const key = decodeUtf8(bytes.subarray(start, start + length));
  if (key === undefined) {
    audit.recordFrom(AuditFn.envGet, Outcome.error, Detail.badUtf8, bytes, view, start, length, -1);
    return -1;
  }
  if (!env.allowed(key)) {
    audit.recordFrom(AuditFn.envGet, Outcome.denied, Detail.deniedEnv, bytes, view, start, length, -1);
    return -1;
  }
  audit.recordFrom(AuditFn.envGet, Outcome.ok, Detail.unset, bytes, view, start, length, -1);
  return -1;
}

/**
 * `ft_return_buffer_read(out_ptr, out_len) -> i32`: copies `min(buffer length, out_len)`
 * bytes from offset 0 of the return buffer to `out_ptr` and returns the count.
 *
 * Host code, in its order: `0` when that count is 0 (before memory is looked at); `-1` when
 * there is no `memory` export or the write would run past memory's end. A negative
 * `out_len` is a huge unsigned length, so the whole buffer is copied. Reads do not consume
 * the buffer. The host code does not audit this call; the playground does.
 */
export function ftReturnBufferRead({ memory, audit, returnBuffer }: HostContext, outPtr: number, outLen: number): number {
  const source = returnBuffer.bytes;
  const count = Math.min(source.length, outLen >>> 0);
  if (count === 0) {
    audit.record(AuditFn.returnBufferRead, Outcome.ok, Detail.none, undefined, 0, outPtr >>> 0, outLen >>> 0);
    return 0;
  }
  const start = memory.checkedStart(outPtr, count);
  if (start < 0) {
    const detail = memory.attached ? Detail.outOfBounds : Detail.noMemory;
    audit.record(AuditFn.returnBufferRead, Outcome.error, detail, undefined, -1, outPtr >>> 0, count, memory.size);
    return -1;
  }
  copyInto(source, memory.bytes(), start, count);
  audit.record(AuditFn.returnBufferRead, Outcome.ok, Detail.none, undefined, count, outPtr >>> 0, outLen >>> 0);
  return count;
}
