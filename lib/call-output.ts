/** stdout/stderr of one call into the guest: kept up to a bound, streamed to a listener. */

import type { OutputStreamName } from "./wasi/context";
import { clock } from "./wasi/monotonic";

/** stdout or stderr lines kept per call; the rest are counted. */
export const OUTPUT_LINES_PER_CALL = 1_000;
/** Characters of stdout and stderr kept per call (lines are at most 64 KiB each). */
export const OUTPUT_CHARS_PER_CALL = 1024 * 1024;
/** Streamed output is forwarded at most this often (ms), so a flood cannot swamp the page. */
const STREAM_INTERVAL_MS = 50;

/** Receives stdout/stderr lines while a call runs. */
export type OutputListener = (stream: OutputStreamName, lines: string[]) => void;

/**
 * The stdout/stderr lines of one call: kept up to a cap for the result, and forwarded to
 * a listener in batches at most every {@link STREAM_INTERVAL_MS} (the guest may write
 * faster than the page can draw). Time is read on each write because the worker's event
 * loop does not turn while the guest runs (through `monotonic.ts`'s cached `performance`:
 * the global's getter costs more than the clock in a Chromium Worker).
 */
export class CallOutput {
  readonly kept: Record<OutputStreamName, string[]> = { stdout: [], stderr: [] };
  dropped = 0;
  private chars = 0;
  private pending: Record<OutputStreamName, string[]> = { stdout: [], stderr: [] };
  private lastSent = 0;

  constructor(private readonly listener?: OutputListener) {}

  /**
   * Takes lines as the WASI layer completes them (bound: passed as a callback). `at` is the
   * write's own clock reading when it made one (see `lib/wasi/context.ts`), else `NaN`.
   */
  readonly add = (stream: OutputStreamName, lines: string[], at = NaN): void => {
    for (const line of lines) {
      const full = this.kept.stdout.length + this.kept.stderr.length >= OUTPUT_LINES_PER_CALL;
      if (full || this.chars + line.length > OUTPUT_CHARS_PER_CALL) {
        this.dropped++;
        continue;
      }
      this.chars += line.length;
      this.kept[stream].push(line);
      this.pending[stream].push(line);
    }
    const now = at === at ? at : clock.now(); // NaN: read the clock
    if (now - this.lastSent >= STREAM_INTERVAL_MS) this.flush(now);
  };

  /** Forwards what is pending; `now` is a clock reading already made, if any. */
  flush(now = clock.now()): void {
    this.lastSent = now;
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.pending[stream].length === 0) continue;
      this.listener?.(stream, this.pending[stream]);
      this.pending[stream] = [];
    }
  }
}
