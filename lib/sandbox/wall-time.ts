/**
 * The wall-time watchdog: `max_wall_time_secs` limits how long *guest* code runs (the start
 * function, `_initialize`, each hook call, a command's `_start`), as FrankenTerm's "10 s
 * execution timeout" does. The host's own work (starting the worker, hashing, the module
 * cache, validating, instrumenting, compiling, linking, collecting a call's output) is not
 * charged to it: it has a bound of its own, {@link HOST_BOUND_SECS}, so that a hung worker
 * is still ended.
 *
 * A guest running synchronously cannot be interrupted from inside its thread, so the
 * watchdog runs in the thread that owns the worker (the page, or the CLI's main thread)
 * and the only way to stop an overrun is to terminate the worker. The worker reports when
 * it enters and leaves the guest ({@link GuestListener}), with the absolute time of each
 * event, and the deadline is derived from the moment the guest was entered, not from when
 * the owner asked or when the message arrived.
 */

import type { GuestListener } from "../instance";

/**
 * How long the host may work before the guest is entered, or after it returns, before its
 * worker is taken for hung (seconds). Generous: a large module on two busy cores can take
 * seconds to hash, instrument and compile.
 */
export const HOST_BOUND_SECS = 60;

/** Why a watched operation was stopped. */
export type Overrun =
  /** The guest ran past `max_wall_time_secs`; `afterMs` counts from when it was entered. */
  | { kind: "wall-time"; limitSecs: number; afterMs: number }
  /** The host's own work ran past {@link HOST_BOUND_SECS}; `beforeGuest` when no guest had run yet. */
  | { kind: "host"; boundSecs: number; afterMs: number; beforeGuest: boolean };

/** Options of {@link watchWallTime}. */
export interface WatchOptions<C> {
  /** Settles the watch early (the worker ended): its value is returned and the timers cleared. */
  until?: Promise<C>;
  /** The host's bound in seconds; {@link HOST_BOUND_SECS} by default. */
  hostBoundSecs?: number;
  /** Now, in milliseconds since the Unix epoch; the same clock the worker reports in. */
  now?: () => number;
}

/**
 * Runs `work` under the wall-time limit. `work` receives the listener to hand to the worker
 * (wrapped in a comlink proxy, or posted over a MessagePort); the watchdog arms the host's
 * bound at once, switches to `limitSecs` from each "enter" (at the time the worker stamped
 * on it) and back to the host's bound on each "leave".
 *
 * @param limitSecs `max_wall_time_secs`, seconds of guest time per guest call (may be fractional).
 * @returns what `work` resolved to, an {@link Overrun} when a bound ran out first (the caller
 *   must then terminate the worker), or what `options.until` settled with.
 */
export function watchWallTime<T, C = never>(
  limitSecs: number,
  work: (onGuest: GuestListener) => Promise<T>,
  options: WatchOptions<C> = {},
): Promise<T | Overrun | C> {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const hostBoundSecs = options.hostBoundSecs ?? HOST_BOUND_SECS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let settled = false;
  let guestRan = false;
  let stop!: (overrun: Overrun) => void;
  const overrun = new Promise<Overrun>((resolve) => (stop = resolve));
  // Timers may fire a little early against this clock: re-arm for what is left, so that a
  // guest is never stopped before its limit.
  const arm = (fireAt: number, describe: () => Overrun) => {
    clearTimeout(timer);
    if (settled) return;
    const left = fireAt - now();
    timer = setTimeout(() => (now() >= fireAt ? stop(describe()) : arm(fireAt, describe)), Math.max(0, Math.ceil(left)));
  };
  const hostPhase = () => {
    const since = now();
    const beforeGuest = !guestRan;
    arm(since + hostBoundSecs * 1000, () => ({ kind: "host", boundSecs: hostBoundSecs, afterMs: now() - since, beforeGuest }));
  };
  const onGuest: GuestListener = (event, atMs) => {
    if (event === "leave") return hostPhase();
    guestRan = true;
    arm(atMs + limitSecs * 1000, () => ({ kind: "wall-time", limitSecs, afterMs: now() - atMs }));
  };
  hostPhase();
  const racers: Promise<T | Overrun | C>[] = [work(onGuest), overrun];
  if (options.until) racers.push(options.until);
  return Promise.race(racers).finally(() => {
    settled = true;
    clearTimeout(timer);
  });
}

/** True when `value` is an {@link Overrun} (results of `work` are never shaped like one). */
export function isOverrun(value: unknown): value is Overrun {
  return typeof value === "object" && value !== null && "kind" in value && (value.kind === "wall-time" || value.kind === "host") && "afterMs" in value;
}

/**
 * The message for an overrun of `what` ("hook on_reload (config.reload)", "loading hello"):
 * names the limit, its value and the time it was stopped after, in seconds.
 */
export function describeOverrun(what: string, overrun: Overrun): { title: string; message: string; note: string } {
  const after = (overrun.afterMs / 1000).toFixed(1);
  if (overrun.kind === "wall-time") {
    return {
      title: `${what} timed out`,
      message:
        `${what} ran longer than max_wall_time_secs = ${overrun.limitSecs} s and was stopped after ${after} s of guest time ` +
        `by terminating its worker. The instance has ended: load again to continue.`,
      note: `${what} stopped after ${after} s (wall time)`,
    };
  }
  const phase = overrun.beforeGuest ? "preparing the module" : "the host's work after the guest returned";
  return {
    title: `${what} did not finish`,
    message:
      `${phase} took longer than ${overrun.boundSecs} s (the host's own bound, not charged to max_wall_time_secs); ` +
      `its worker was terminated. The instance has ended: load again to continue.`,
    note: `${what} stopped after ${after} s (host bound)`,
  };
}
