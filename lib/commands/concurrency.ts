/**
 * A first-in, first-out limit on how many tasks run at once. Tasks over the limit wait
 * their turn; none is ever dropped. The route uses it to cap executor processes.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** @param max tasks allowed to run at the same time (at least 1). */
  constructor(readonly max: number) {
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

  /** Runs `task` when a slot is free; settles as `task` does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
