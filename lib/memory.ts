/**
 * Pure helpers over a guest's linear memory.
 *
 * Every host function and WASI call reads and writes guest memory through these. Two rules
 * from the WebAssembly JS API shape them:
 * - `memory.grow` detaches the old `ArrayBuffer`, so views are rebuilt whenever
 *   `memory.buffer` has changed (checked by identity: one comparison per call).
 * - Pointers and lengths arrive as `i32` but the ABI means `u32` (the documentation's
 *   `msg_len: u32`), so they are reinterpreted with `>>> 0` before any arithmetic.
 */

/** Why a range was refused; formatted for the audit trail only when displayed. */
export interface RangeFault {
  /** The pointer as the guest passed it, unsigned. */
  ptr: number;
  /** The length as the guest passed it, unsigned. */
  len: number;
  /** Size of linear memory at the time, in bytes. */
  memorySize: number;
}

/**
 * Cached views over one instance's exported `memory`.
 *
 * The memory is supplied late (after instantiation) through {@link GuestMemory.attach},
 * because host functions are created before the instance exists. Reading `memory.buffer`
 * costs about 20 ns, and a host call may need the memory several times, so the views are
 * kept until they go stale: `memory.grow` detaches a non-shared buffer, which leaves the
 * cached view with length 0. A shared memory is not detached by growth, so its buffer is
 * read every time.
 */
export class GuestMemory {
  private memory: WebAssembly.Memory | undefined;
  private shared = false;
  private u8 = new Uint8Array(0);
  private dataView = new DataView(new ArrayBuffer(0));
  private i32 = new Int32Array(0);

  /** Binds the instance's exported memory; `undefined` when the module exports none. */
  attach(memory: WebAssembly.Memory | undefined): void {
    this.memory = memory;
    this.shared = typeof SharedArrayBuffer !== "undefined" && memory?.buffer instanceof SharedArrayBuffer;
    this.refresh();
  }

  /** True when the module exports a `memory`. */
  get attached(): boolean {
    return this.memory !== undefined;
  }

  /** Current size in bytes (0 without a memory). */
  get size(): number {
    return this.bytes().length;
  }

  /** A byte view of the whole memory, rebuilt only after growth. */
  bytes(): Uint8Array {
    if (this.u8.length === 0 || this.shared) this.refresh();
    return this.u8;
  }

  /** A little-endian-capable `DataView` of the whole memory, rebuilt only after growth. */
  view(): DataView {
    if (this.u8.length === 0 || this.shared) this.refresh();
    return this.dataView;
  }

  /**
   * An `Int32Array` of the whole memory (its size is a multiple of 64 KiB, so every byte is
   * in a word), rebuilt only after growth: for {@link copyToWords} from 4-aligned pointers.
   */
  words(): Int32Array {
    if (this.u8.length === 0 || this.shared) this.refresh();
    return this.i32;
  }

  /**
   * Copies `n` bytes at `from` out of memory into `dst` at the word-aligned offset `to`
   * ({@link copyToWords}). For a host function that has checked the range against
   * {@link bytes} or {@link words} earlier in the same call: the views are used as they are, without a
   * second staleness check (no guest code runs in between to grow memory, and a shared
   * memory grown by another thread keeps the checked range in its old views). The caller
   * reserves `dst` up to the next multiple of 4 after `to + n`.
   */
  copyOut(from: number, dst: Uint8Array, dstWords: Int32Array, to: number, n: number): void {
    copyToWords(this.u8, this.dataView, this.i32, from, dst, dstWords, to, n);
  }

  /**
   * Checks that `[ptr, ptr + len)` lies inside memory, treating both as unsigned.
   * @returns `ptr >>> 0` when the range fits, `-1` when it does not (or there is no memory).
   *   A number, not an object: this runs on every host call.
   */
  checkedStart(ptr: number, len: number): number {
    const start = ptr >>> 0;
    return this.memory && start + (len >>> 0) <= this.bytes().length ? start : -1;
  }

  /** The fault record for a refused `(ptr, len)`, for the audit trail. */
  fault(ptr: number, len: number): RangeFault {
    return { ptr: ptr >>> 0, len: len >>> 0, memorySize: this.size };
  }

  private refresh(): void {
    const buffer = this.memory?.buffer;
    if (buffer && buffer === this.u8.buffer && this.u8.length === buffer.byteLength) return;
    this.u8 = buffer ? new Uint8Array(buffer) : new Uint8Array(0);
    this.dataView = buffer ? new DataView(buffer) : new DataView(new ArrayBuffer(0));
    this.i32 = buffer ? new Int32Array(buffer) : new Int32Array(0);
  }
}

/** Human form of a refused range: `0x10000..0x10010 (16 bytes) is outside memory (65536 bytes)`. */
export function describeFault(fault: RangeFault): string {
  const end = fault.ptr + fault.len;
  return (
    `range 0x${fault.ptr.toString(16)}..0x${end.toString(16)} (${fault.len} bytes) ` +
    `is outside linear memory (${fault.memorySize} bytes)`
  );
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes UTF-8 strictly.
 * @returns the string, or `undefined` when the bytes are not valid UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

const utf8 = new TextEncoder();

/** Encodes a string as UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}

/**
 * The first `max` bytes of `bytes`, shortened so that they do not end inside a UTF-8
 * sequence: a kept prefix of a longer text must still decode. Looks only at the kept bytes.
 */
export function utf8Prefix(bytes: Uint8Array, max: number): Uint8Array {
  const end = Math.min(bytes.length, max);
  // The last sequence starts at its lead byte (not 10xxxxxx) within the final 4 bytes.
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return bytes.subarray(0, i + size <= end ? end : i);
  }
  return bytes.subarray(0, end);
}

/** Copies of at most this many bytes go word by word (see {@link copyBytes}). */
export const SHORT_COPY_BYTES = 64;

/**
 * Copies `n` bytes from `src[from…]` to `dst[to…]` (both views must cover the range; the
 * caller has checked it). Host calls copy short guest strings on every call, and
 * `dst.set(src.subarray(…))` allocates a view each time (about 100 heap bytes and a third of
 * a 16-byte `ft_log`'s cost), so copies up to {@link SHORT_COPY_BYTES} go through the two
 * `DataView`s in 4-byte words, allocating nothing; longer ones use `set`.
 */
export function copyBytes(src: Uint8Array, srcView: DataView, from: number, dst: Uint8Array, dstView: DataView, to: number, n: number): void {
  if (n > SHORT_COPY_BYTES) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  let i = 0;
  for (; i + 4 <= n; i += 4) dstView.setInt32(to + i, srcView.getInt32(from + i, true), true);
  for (; i < n; i++) dstView.setUint8(to + i, srcView.getUint8(from + i));
}

/**
 * Copies `count` words from `src[from…]` to `dst[to…]` (word indices; the caller has checked
 * both ranges). The first four are written out rather than looped: most log lines and keys
 * are a few words long, and for so few words the loop's own compare and branch cost about
 * as much as the copying (Node's `ft_log` of 16 bytes with the audit off: 0.5 ns of ~7 ns
 * above a bare import, `npm run bench -- ft_log`).
 */
export function copyWords(src: Int32Array, from: number, dst: Int32Array, to: number, count: number): void {
  if (count > 0) {
    dst[to] = src[from] as number;
    if (count > 1) {
      dst[to + 1] = src[from + 1] as number;
      if (count > 2) {
        dst[to + 2] = src[from + 2] as number;
        if (count > 3) {
          dst[to + 3] = src[from + 3] as number;
          for (let i = 4; i < count; i++) dst[to + i] = src[from + i] as number;
        }
      }
    }
  }
}

/** True when typed arrays store words little-endian (the DataView reads below must match). */
const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Copies `n` bytes from `src[from…]` to `dst[to…]` where `to` is a multiple of 4, for the
 * arenas of the log sink and the audit trail (whose slots and lines start on words).
 * `srcWords` and `srcView` view all of `src`'s buffer, whose length is a multiple of 4
 * (guest memory is); `dstWords` views all of `dst`'s. The caller has checked the range.
 *
 * Short copies are the hot path of `ft_log`, and a word costs one element load and store
 * where `DataView` accesses (see {@link copyBytes}) cost more: from a 4-aligned `from`
 * (a heap-allocated string, most log messages) whole words are copied, the last one
 * possibly beyond `n`: that word still lies inside `src` (it ends at most at the next
 * multiple of 4, and `src`'s length is one) and overwrites only `dst` bytes up to the
 * next multiple of 4 after `to + n`, which the caller reserves. From other offsets, whole
 * words are read through `srcView` and the last `n % 4` bytes copied one by one, so
 * nothing past `src[from + n - 1]` is read. Longer copies use `set`.
 */
export function copyToWords(
  src: Uint8Array,
  srcView: DataView,
  srcWords: Int32Array,
  from: number,
  dst: Uint8Array,
  dstWords: Int32Array,
  to: number,
  n: number,
): void {
  if (n > SHORT_COPY_BYTES) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  const w = to >> 2;
  if ((from & 3) === 0) return copyWords(srcWords, from >>> 2, dstWords, w, (n + 3) >> 2);
  let i = 0;
  for (; i + 4 <= n; i += 4) dstWords[w + (i >> 2)] = srcView.getInt32(from + i, NATIVE_LITTLE_ENDIAN);
  for (; i < n; i++) dst[to + i] = src[from + i] as number;
}
