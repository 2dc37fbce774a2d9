/**
 * A first-in, first-out limit on how many tasks run at once. Tasks over the limit wait
 * their turn, up to `maxQueued` of them; past that `run` refuses at once ({@link QueueFull})
 * rather than letting waits grow without bound. The route uses it to cap executor processes.
 */

/** The queue is full: the caller should answer "busy" (HTTP 503). */
export class QueueFull extends Error {
  constructor(readonly queued: number) {
    super(`${queued} requests are already waiting for an executor`);
    this.name = "QueueFull";
  }
}

/** The task's caller went away while it waited: it was not run. */
export class Abandoned extends Error {
  constructor() {
    super("the request was abandoned while it waited");
    this.name = "Abandoned";
  }
}

export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /**
   * @param max tasks allowed to run at the same time (at least 1).
   * @param maxQueued tasks allowed to wait; more are refused with {@link QueueFull}.
   */
  constructor(
    readonly max: number,
    readonly maxQueued = Number.POSITIVE_INFINITY,
  ) {
    if (!(max >= 1)) throw new RangeError(`max must be at least 1, got ${max}`);
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `task` when a slot is free; settles as `task` does.
   * @param signal when aborted before the task's turn, the task is skipped.
   * @throws {QueueFull} at once when `maxQueued` tasks are already waiting.
   * @throws {Abandoned} when `signal` was aborted while the task waited.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.maxQueued) throw new QueueFull(this.waiting.length);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      if (signal?.aborted) throw new Abandoned();
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
