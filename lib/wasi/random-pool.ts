/**
 * A pool of cryptographically random bytes for `random_get`'s small requests.
 *
 * `crypto.getRandomValues` costs about a microsecond per call whatever its size (a call into
 * the embedder's CSPRNG), while a guest asks for a few bytes at a time (hash seeds, UUIDs:
 * 8-32 bytes). So the pool draws {@link POOL_BYTES} at once and hands out consecutive slices.
 * Every byte is handed out at most once: the read position only moves forward, and when the
 * rest is too short for a request it is thrown away and the whole pool is drawn again. The
 * bytes are as random as the source's (WASI `random_get`: "This function may return
 * unpredictable bytes... a CSPRNG"; the Web Crypto `getRandomValues` is one).
 */

/** Bytes drawn per refill (at most `getRandomValues`' 65,536). */
export const POOL_BYTES = 4096;

/** The largest request served from the pool; longer ones go to the source directly. */
export const POOLED_REQUEST_BYTES = 256;

/** Fills `bytes` with random bytes (the shape of `crypto.getRandomValues`). */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => unknown;

const webCrypto: RandomSource = (bytes) => crypto.getRandomValues(bytes);

/** Random bytes drawn ahead, handed out once each, in order. */
export class RandomPool {
  private readonly bytes: Uint8Array<ArrayBuffer>;
  /** A view of {@link bytes} for word-sized copies. */
  readonly view: DataView;
  /** The next byte not handed out; `size` when the pool is used up (or never drawn). */
  private next: number;

  /**
   * @param size bytes per draw (at most 65,536).
   * @param source where the bytes come from; `crypto.getRandomValues` by default (tests
   *   pass a counting source to see which bytes went where).
   */
  constructor(
    readonly size = POOL_BYTES,
    private readonly source: RandomSource = webCrypto,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
    this.next = size;
  }

  /** The pool's bytes; only {@link take}'s range is the caller's to read. */
  get buffer(): Uint8Array<ArrayBuffer> {
    return this.bytes;
  }

  /**
   * Reserves `length` fresh bytes (1 to {@link size}), drawing a new pool when the rest is
   * shorter. Allocates nothing.
   * @returns the offset in {@link buffer} where they start; they are never handed out again.
   */
  take(length: number): number {
    if (this.size - this.next < length) {
      this.source(this.bytes);
      this.next = 0;
    }
    const at = this.next;
    this.next = at + length;
    return at;
  }
}

/** The pool `random_get` draws from: one per thread (Worker), shared by its instances. */
export const randomPool = new RandomPool();
