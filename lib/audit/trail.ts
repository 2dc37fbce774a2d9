/**
 * The audit trail: one record per host call, as FrankenTerm's `src/audit.rs` keeps it
 * (`elapsed`, `extension_id`, `function`, `args_summary`, `outcome`), in a ring buffer.
 *
 * Host calls are the hot path, so {@link AuditTrail.recordBytes} (and `recordWords`,
 * `recordNumbers`, `recordFrom`, `recordAt`) store numbers and a byte copy of the summary's
 * raw material into preallocated typed arrays and allocate nothing. Strings
 * (`level=2 msg=…`, `Denied(…)`) and elapsed times are made by {@link AuditTrail.entries}
 * when the page displays them.
 *
 * Every record reads the clock once, for itself (unless the caller hands over a reading it
 * made in the same call, `recordAt`: `clock_time_get` the time it returns, `fd_write` the
 * one it takes as it starts, which the output stream's interval uses too): Node's
 * `performance.now()` has nanosecond resolution, so a reading shared across calls or skipped
 * would put a wrong time on a record there.
 */

import { copyBytes, copyWords, decodeUtf8, utf8Prefix, type GuestMemory } from "../memory";
import { Detail, formatRecord, type AuditEntry, type AuditFunction, type Outcome } from "./format";

export { AuditFn, Detail, Outcome, type AuditEntry, type AuditFunction } from "./format";

/** Bytes of raw argument material kept per record (the host cuts summaries at 256 bytes). */
export const SUMMARY_BYTES = 256;

/**
 * Doubles per slot in {@link AuditTrail}'s `numbers`: the clock reading (ms), `a`…`d`, the
 * result and the raw bytes' full length. One array for every number of a record, so that
 * recording touches two typed arrays (and the byte arena), not seven.
 */
const NUMBERS = 7;
const TIME = 0;
const RESULT = 5;
const LENGTH = 6;

/** A record's function, outcome and detail in one word: `fn | outcome << 8 | detail << 16`. */
function code(fn: AuditFunction, outcome: Outcome, detail: Detail): number {
  return fn | (outcome << 8) | (detail << 16);
}

/**
 * The clock object, looked up once: in Node `globalThis.performance` is an accessor that
 * runs on every lookup, a cost paid per record if looked up there (the reading is the same).
 */
const clock: Performance = performance;

/** Slots a new trail allocates; it doubles them as records arrive, up to its capacity. */
const INITIAL_SLOTS = 256;

/** How a trail is set up beyond its capacity. */
export interface AuditOptions {
  /**
   * False for a trail that keeps nothing ("audit off": bench and command-line runs; the page
   * always audits). Every record call returns at once, and {@link AuditTrail.total} stays 0.
   */
  enabled?: boolean;
}

/**
 * A fixed-capacity ring of audit records, struct-of-arrays: a code word per slot (function,
 * outcome, detail), {@link NUMBERS} doubles per slot (clock reading, arguments, result,
 * raw length) and a byte arena of {@link SUMMARY_BYTES} per slot, allocated ahead of the
 * records (doubling until the ring is full, then reused). Recording writes numbers and
 * copies bytes into them; it creates no object, closure or view.
 */
export class AuditTrail {
  /** Records written since creation, including those overwritten. */
  private written = 0;
  /** The slot the next record goes to (`written % capacity`, kept without a division). */
  private next = 0;
  /**
   * Slots allocated so far: the arrays start at {@link INITIAL_SLOTS} and double as records
   * arrive, up to `capacity` (a full ring is 3 MB, and most runs record far fewer calls).
   */
  private size: number;
  /** Per slot, {@link code} of function, outcome and detail. */
  private codes: Uint32Array;
  /** Per slot, {@link NUMBERS} doubles. */
  private numbers: Float64Array;
  private bytes: Uint8Array;
  private bytesView: DataView;
  private bytesWords: Int32Array;
  /** Reason texts of {@link AuditTrail.recordStated} records, by slot (sparse). */
  private readonly stated = new Map<number, string>();
  /** `stated.size`, as a plain field: the hot path checks it on every record. */
  private statedCount = 0;
  /** The clock's reading at creation, in ms. */
  private readonly origin: number;
  /** Whether records are kept ({@link AuditOptions.enabled}). */
  readonly enabled: boolean;

  /**
   * @param extensionId the manifest's `[extension] name`, shown in every record.
   * @param capacity records kept; older ones are overwritten and counted as dropped.
   * @param now clock in milliseconds, for tests; by default `performance.now()`, called
   *   directly, once per record (a record's time is the clock's own, at its resolution).
   *   Elapsed counts from the trail's creation, as in the host code.
   */
  constructor(
    readonly extensionId: string,
    readonly capacity = 10_000,
    private readonly now?: () => number,
    options: AuditOptions = {},
  ) {
    this.enabled = options.enabled !== false;
    this.size = this.enabled ? Math.min(capacity, INITIAL_SLOTS) : 0;
    this.codes = new Uint32Array(this.size);
    this.numbers = new Float64Array(this.size * NUMBERS);
    this.bytes = new Uint8Array(this.size * SUMMARY_BYTES);
    this.bytesView = new DataView(this.bytes.buffer);
    this.bytesWords = new Int32Array(this.bytes.buffer);
    this.origin = now ? now() : clock.now();
  }

  /**
   * Appends a record. For callers that hold a view of just the raw bytes; host calls on the
   * hot path use {@link recordFrom}, which needs no view.
   * @param raw guest bytes the summary quotes (a log message, a variable name), copied up to
   *   {@link SUMMARY_BYTES} bytes and decoded only when displayed; `undefined` for none.
   * @param result what the call returned to the guest (`NaN` for nothing).
   * @param a,b,c,d numbers the summary or reason needs; their meaning per function and
   *   detail is documented in `format.ts` (`NaN` for unused).
   */
  record(
    fn: AuditFunction,
    outcome: Outcome,
    detail: Detail,
    raw: Uint8Array | undefined,
    result = NaN,
    a = NaN,
    b = NaN,
    c = NaN,
    d = NaN,
  ): void {
    const slot = this.store(fn, outcome, detail, raw === undefined ? 0 : raw.length, result, a, b, c, d);
    if (slot < 0 || raw === undefined || raw.length === 0) return;
    // No view when the whole of `raw` fits (almost always): a subarray would allocate.
    this.bytes.set(raw.length <= SUMMARY_BYTES ? raw : raw.subarray(0, SUMMARY_BYTES), slot * SUMMARY_BYTES);
  }

  /**
   * The host functions' record: `length` bytes at `start` of guest memory (the caller has
   * checked the range against `memory.bytes()` or `memory.words()` in the same call) as raw
   * bytes, the result and one number `a`. Short raw bytes are copied word by word into the
   * slot (`GuestMemory.copyOut`: slots start on words), where `set(subarray(…))` would
   * allocate a view per call. Reads the clock once. Allocates nothing.
   */
  recordBytes(
    fn: AuditFunction,
    outcome: Outcome,
    detail: Detail,
    memory: GuestMemory,
    start: number,
    length: number,
    result: number,
    a: number,
  ): void {
    const slot = this.store(fn, outcome, detail, length, result, a, NaN, NaN, NaN);
    if (slot < 0) return;
    const kept = length < SUMMARY_BYTES ? length : SUMMARY_BYTES;
    memory.copyOut(start, this.bytes, this.bytesWords, slot * SUMMARY_BYTES, kept);
  }

  /**
   * `ft_log`'s record on its fast path: `ok`, `length` bytes (at most `SHORT_COPY_BYTES`, 64)
   * at the word-aligned offset `start` of guest memory's word view `words` (the caller has
   * checked `start + length < words.length * 4` in the same call) and one number `a`. The
   * bytes are copied a word at a time, the last word whole (slots start on words and the
   * padding is never read). Reads the clock once. Allocates nothing.
   *
   * Kept small on purpose, with nothing but {@link claim} and `copyWords` to call: V8 then
   * inlines the whole record into the host function with room left in its cumulative
   * inlining budget for the log sink's push, whatever order its optimizing thread meets them
   * in. Through {@link recordBytes} (`store`, `copyOut`) one of the two stayed a call, which
   * one depending on compile timing, and Node's audited `ft_log` ran at two speeds ~5 ns
   * apart from one process to the next.
   */
  recordWords(fn: AuditFunction, words: Int32Array, start: number, length: number, a: number): void {
    if (!this.enabled) return;
    const slot = this.claim();
    this.codes[slot] = fn; // code(fn, Outcome.ok, Detail.none)
    const numbers = this.numbers;
    const n = slot * NUMBERS;
    numbers[n + TIME] = this.now === undefined ? clock.now() : this.now();
    numbers[n + 1] = a;
    numbers[n + 2] = NaN;
    numbers[n + 3] = NaN;
    numbers[n + 4] = NaN;
    numbers[n + RESULT] = NaN;
    numbers[n + LENGTH] = length;
    copyWords(words, start >>> 2, this.bytesWords, slot * (SUMMARY_BYTES >> 2), (length + 3) >> 2);
  }

  /**
   * The host functions' record without raw bytes (`ft_return_buffer_read`): the result and
   * two numbers. Reads the clock once. Allocates nothing.
   */
  recordNumbers(fn: AuditFunction, outcome: Outcome, detail: Detail, result: number, a: number, b: number): void {
    this.store(fn, outcome, detail, 0, result, a, b, NaN, NaN);
  }

  /**
   * {@link record} with the raw bytes given as `length` bytes at `start` of a whole view and
   * its `DataView` (guest memory's, from `GuestMemory`), so that a host call builds no
   * subarray. `length` 0 means no raw bytes. Allocates nothing.
   */
  recordFrom(
    fn: AuditFunction,
    outcome: Outcome,
    detail: Detail,
    source: Uint8Array,
    sourceView: DataView,
    start: number,
    length: number,
    result = NaN,
    a = NaN,
    b = NaN,
    c = NaN,
    d = NaN,
  ): void {
    this.recordAt(NaN, fn, outcome, detail, source, sourceView, start, length, result, a, b, c, d);
  }

  /**
   * {@link recordFrom} stamped with a clock reading the caller already made (`performance.now()`
   * ms, e.g. the one `clock_time_get` returns to the guest), so one call reads the clock
   * once; `NaN` reads it here.
   */
  recordAt(
    time: number,
    fn: AuditFunction,
    outcome: Outcome,
    detail: Detail,
    source: Uint8Array,
    sourceView: DataView,
    start: number,
    length: number,
    result = NaN,
    a = NaN,
    b = NaN,
    c = NaN,
    d = NaN,
  ): void {
    const slot = this.store(fn, outcome, detail, length, result, a, b, c, d, time);
    if (slot < 0 || length === 0) return;
    const kept = length < SUMMARY_BYTES ? length : SUMMARY_BYTES;
    copyBytes(source, sourceView, start, this.bytes, this.bytesView, slot * SUMMARY_BYTES, kept);
  }

  /** Writes a record's numbers into the next slot; returns the slot, or -1 when audit is off. */
  private store(
    fn: AuditFunction,
    outcome: Outcome,
    detail: Detail,
    length: number,
    result: number,
    a: number,
    b: number,
    c: number,
    d: number,
    time = NaN,
  ): number {
    if (!this.enabled) return -1;
    const slot = this.claim();
    this.codes[slot] = code(fn, outcome, detail);
    const numbers = this.numbers;
    const n = slot * NUMBERS;
    numbers[n + TIME] = time === time ? time : this.now === undefined ? clock.now() : this.now(); // NaN: read the clock
    numbers[n + 1] = a;
    numbers[n + 2] = b;
    numbers[n + 3] = c;
    numbers[n + 4] = d;
    numbers[n + RESULT] = result;
    numbers[n + LENGTH] = length;
    return slot;
  }

  /**
   * Takes the next slot of the ring (growing the arrays before the ring first wraps) and
   * forgets a reason text left there by an overwritten record; returns the slot.
   */
  private claim(): number {
    const slot = this.next;
    // Both rare: one test, and the work out of line, keep this small enough to inline anywhere.
    if (slot === this.size || this.statedCount > 0) this.prepare(slot);
    this.next = slot + 1 === this.capacity ? 0 : slot + 1;
    this.written++;
    return slot;
  }

  /** {@link claim}'s rare work: grows the arrays at their end, forgets a slot's reason text. */
  private prepare(slot: number): void {
    if (slot === this.size) this.grow();
    if (this.statedCount > 0) this.unstate(slot);
  }

  /** Doubles the slots (up to `capacity`), keeping the records: they fill slots 0…written-1. */
  private grow(): void {
    const size = Math.min(this.capacity, this.size * 2);
    const copy = <T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(old: T, make: (n: number) => T, per: number): T => {
      const grown = make(size * per);
      grown.set(old);
      return grown;
    };
    this.codes = copy(this.codes, (n) => new Uint32Array(n), 1);
    this.numbers = copy(this.numbers, (n) => new Float64Array(n), NUMBERS);
    this.bytes = copy(this.bytes, (n) => new Uint8Array(n), SUMMARY_BYTES);
    this.bytesView = new DataView(this.bytes.buffer);
    this.bytesWords = new Int32Array(this.bytes.buffer);
    this.size = size;
  }

  /**
   * Appends a record whose reason is a ready-made text. For slow paths only (a host call
   * that waits on the network), where a string costs nothing next to the call itself.
   */
  recordStated(fn: AuditFunction, outcome: Outcome, reason: string, raw: Uint8Array | undefined, result = NaN): void {
    if (!this.enabled) return;
    const slot = this.next;
    this.record(fn, outcome, Detail.stated, raw, result);
    this.stated.set(slot, reason);
    this.statedCount = this.stated.size;
  }

  /** Forgets the reason text of a slot being overwritten. */
  private unstate(slot: number): void {
    this.stated.delete(slot);
    this.statedCount = this.stated.size;
  }

  /**
   * True when the trail's clock is `performance.now()` (no test clock): a caller that has
   * just read it may pass its reading to {@link recordAt}.
   */
  get sharesClock(): boolean {
    return this.now === undefined;
  }

  /** Records written since creation (including overwritten ones). */
  get total(): number {
    return this.written;
  }

  /** Records lost to the ring's capacity. */
  get dropped(): number {
    return Math.max(0, this.written - this.capacity);
  }

  /**
   * Formats records with sequence number `>= since` that are still in the ring, oldest first.
   * @param since sequence number of the first record wanted (0 = everything kept).
   */
  entries(since = 0): AuditEntry[] {
    if (!this.enabled) return [];
    const first = Math.max(since, this.written - this.capacity, 0);
    const out: AuditEntry[] = [];
    for (let seq = first; seq < this.written; seq++) out.push(this.entry(seq));
    return out;
  }

  private entry(seq: number): AuditEntry {
    const slot = seq % this.capacity;
    const n = slot * NUMBERS;
    const numbers = this.numbers;
    const fullLength = numbers[n + LENGTH] ?? 0;
    const kept = this.bytes.subarray(slot * SUMMARY_BYTES, slot * SUMMARY_BYTES + Math.min(fullLength, SUMMARY_BYTES));
    const codes = this.codes[slot] ?? 0;
    return formatRecord({
      seq,
      // Stored as the clock's reading: the subtraction is done here, once per display.
      elapsedMicros: ((numbers[n + TIME] ?? this.origin) - this.origin) * 1000,
      extensionId: this.extensionId,
      fn: (codes & 0xff) as AuditFunction,
      outcome: ((codes >>> 8) & 0xff) as Outcome,
      detail: ((codes >>> 16) & 0xff) as Detail,
      numbers: {
        a: numbers[n + 1] ?? NaN,
        b: numbers[n + 2] ?? NaN,
        c: numbers[n + 3] ?? NaN,
        d: numbers[n + 4] ?? NaN,
        result: numbers[n + RESULT] ?? NaN,
      },
      // A prefix cut at 256 bytes may end inside a character: trim it back to one that decodes.
      text: decodeUtf8(fullLength > SUMMARY_BYTES ? utf8Prefix(kept, SUMMARY_BYTES) : kept),
      fullLength,
      statedReason: this.stated.get(slot),
    });
  }
}
