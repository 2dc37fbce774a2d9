/**
 * Recording what each host call did, for the memory view and the timeline: when it started
 * and how long it took, the linear-memory bytes it read or wrote (pointer and length as
 * the guest passed them) and the return buffer after it. WASI calls' ranges are described
 * in `lib/wasi/memory-touches.ts`.
 *
 * Off by default. When off nothing is wrapped, so the host functions run exactly as
 * without it; when on, `lib/link.ts` wraps each host function and each WASI call with
 * {@link CallRecorder.wrap}. The wrapper runs after the call has left its audit
 * record, so the record it makes points at that audit entry by sequence number.
 */

import type { AuditTrail } from "../audit/trail";
import type { GuestMemory } from "../memory";
import type { ReturnBuffer } from "./return-buffer";
import { WASI_TOUCHES, type Touch, type WasiStrings } from "../wasi/memory-touches";
import { PREVIEW1_MODULE } from "../wasi/preview1";

/** What to record; both default to off. */
export interface RecordOptions {
  /** The bytes each host function read or wrote, and the return buffer after it. */
  memory?: boolean;
  /** When each host call and WASI call started and how long it took, and memory size. */
  timing?: boolean;
}

/** Bytes kept of one region or of the return buffer (the rest is counted in `length`). */
export const RECORDED_BYTES = 4096;
/** Host-call records kept per instance; older ones are dropped first. */
export const HOST_CALL_RECORDS_KEPT = 10_000;

/** A range of linear memory a host call read or wrote. */
export interface MemoryRegion {
  readonly access: "read" | "written";
  /** What the bytes are: `message`, `key`, `out`, `command`; for WASI the witx's names (`iovs`, `buf 0`, `path`, `nwritten`). */
  readonly what: string;
  /** The pointer as the guest passed it (unsigned). */
  readonly ptr: number;
  /** The length the call used (unsigned): the guest's, or the count it wrote. */
  readonly length: number;
  /** The first {@link RECORDED_BYTES} bytes of the range that lie inside memory, after the call. */
  readonly bytes: Uint8Array;
  /** True when the range runs past the end of memory (the call refused it). */
  readonly outOfBounds: boolean;
}

/** One host or WASI call, as recorded. */
export interface HostCallRecord {
  /** The import's name (`ft_get_env`, `fd_write`, …). */
  readonly function: string;
  readonly namespace: string;
  /** Sequence number of the first audit record the call left (`-1` for none). */
  readonly auditSeq: number;
  /** Audit records the call left (usually 1). */
  readonly auditRecords: number;
  /** Microseconds since load when the call began, on the audit trail's clock. */
  readonly startMicros: number;
  readonly durationMicros: number;
  /** Linear memory size after the call, in bytes. */
  readonly memoryBytes: number;
  /** With `memory`: the ranges the call read or wrote. */
  readonly regions?: readonly MemoryRegion[];
  /** With `memory`, for calls that set it: the return buffer after the call (first bytes, and its length). */
  readonly returnBuffer?: { readonly bytes: Uint8Array; readonly length: number };
}

type Wasm = (...args: never[]) => unknown;

/** The ranges a function touches, from its unsigned arguments, result and memory after it; and whether it sets the return buffer. */
interface Shape {
  ranges: (args: readonly number[], result: number, memory: DataView) => Touch[];
  setsBuffer: boolean;
}

/**
 * Which bytes each host function reads or writes (`seeds/wasm-extensions.md`), and whether
 * it sets the return buffer.
 */
const touches: Readonly<Record<string, Shape>> = {
  ft_log: { ranges: ([, ptr = 0, len = 0]) => [{ access: "read", what: "message", ptr, length: len }], setsBuffer: false },
  ft_get_env: { ranges: ([ptr = 0, len = 0]) => [{ access: "read", what: "key", ptr, length: len }], setsBuffer: true },
  ft_return_buffer_read: {
    ranges: ([ptr = 0], result) => (result > 0 ? [{ access: "written", what: "out", ptr, length: result }] : []),
    setsBuffer: false,
  },
  ft_command: { ranges: ([ptr = 0, len = 0]) => [{ access: "read", what: "command", ptr, length: len }], setsBuffer: true },
};

/** The host calls of one instance, recorded as {@link RecordOptions} asks. */
export class CallRecorder {
  /** A ring of the newest {@link HOST_CALL_RECORDS_KEPT} records; `written` counts all. */
  private readonly records: HostCallRecord[] = [];
  private written = 0;

  /**
   * @param now microseconds since load, on the audit trail's clock.
   * @param wasi the instance's WASI context, which sizes what `args_get` and `environ_get`
   *   write; without it those two calls are recorded with no regions.
   */
  constructor(
    readonly options: RecordOptions,
    private readonly audit: AuditTrail,
    private readonly memory: GuestMemory,
    private readonly returnBuffer: ReturnBuffer,
    private readonly now: () => number,
    private readonly wasi?: WasiStrings,
  ) {}

  /** True when anything is recorded (else {@link wrap} is not needed). */
  get active(): boolean {
    return Boolean(this.options.memory || this.options.timing);
  }

  /** Records whose first audit record is at `auditSeq` or later, oldest first. */
  since(auditSeq: number): HostCallRecord[] {
    const kept = Math.min(this.written, HOST_CALL_RECORDS_KEPT);
    const out: HostCallRecord[] = [];
    for (let n = this.written - kept; n < this.written; n++) {
      const record = this.records[n % HOST_CALL_RECORDS_KEPT];
      if (record && record.auditSeq >= auditSeq) out.push(record);
    }
    return out;
  }

  /**
   * Wraps an import so that each call is recorded. A call that returns a Promise (a
   * suspending import) is recorded when it settles; a throw is recorded and rethrown.
   */
  wrap<F extends Wasm>(namespace: string, name: string, fn: F): F {
    const wasi = namespace === PREVIEW1_MODULE ? WASI_TOUCHES[name] : undefined;
    const shape: Shape | undefined = wasi
      ? { ranges: (args, errno, memory) => wasi(args, errno, memory, this.wasi), setsBuffer: false }
      : namespace === PREVIEW1_MODULE
        ? undefined
        : touches[name];
    const wrapped = (...args: (number | bigint)[]) => {
      const seq = this.audit.total;
      const start = this.now();
      let result: unknown;
      try {
        result = (fn as unknown as (...a: (number | bigint)[]) => unknown)(...args);
      } catch (error) {
        this.finish(namespace, name, shape, args, NaN, seq, start);
        throw error;
      }
      if (result instanceof Promise) {
        return result.then(
          (value: unknown) => (this.finish(namespace, name, shape, args, Number(value), seq, start), value),
          (error: unknown) => {
            this.finish(namespace, name, shape, args, NaN, seq, start);
            throw error;
          },
        );
      }
      this.finish(namespace, name, shape, args, typeof result === "number" ? result : NaN, seq, start);
      return result;
    };
    return wrapped as unknown as F;
  }

  private finish(namespace: string, name: string, shape: Shape | undefined, args: readonly (number | bigint)[], result: number, seq: number, start: number): void {
    const end = this.now();
    const auditRecords = this.audit.total - seq;
    const record: HostCallRecord = {
      function: name,
      namespace,
      auditSeq: auditRecords > 0 ? seq : -1,
      auditRecords,
      startMicros: start,
      durationMicros: end - start,
      memoryBytes: this.memory.size,
      ...(this.options.memory && shape ? this.captureMemory(shape, args, result) : {}),
    };
    this.records[this.written % HOST_CALL_RECORDS_KEPT] = record;
    this.written++;
  }

  private captureMemory(shape: Shape, args: readonly (number | bigint)[], result: number): Pick<HostCallRecord, "regions" | "returnBuffer"> {
    // i64 parameters (WASI offsets, rights, timestamps) arrive as BigInt; none is a pointer.
    const unsigned = args.map((a) => (typeof a === "bigint" ? Number(BigInt.asUintN(64, a)) : a >>> 0));
    const regions = shape.ranges(unsigned, result, this.memory.view()).map((t) => this.region(t));
    if (!shape.setsBuffer) return { regions };
    const buffer = this.returnBuffer.bytes;
    return { regions, returnBuffer: { bytes: buffer.slice(0, RECORDED_BYTES), length: buffer.length } };
  }

  private region(touch: Touch): MemoryRegion {
    const memory = this.memory.bytes();
    const outOfBounds = touch.ptr + touch.length > memory.length;
    const start = Math.min(touch.ptr, memory.length);
    const end = Math.min(touch.ptr + Math.min(touch.length, RECORDED_BYTES), memory.length);
    return { ...touch, bytes: memory.slice(start, end), outOfBounds };
  }
}
