/**
 * The CLI's exit statuses and the two errors that end it before or around a run. One
 * status per cause, so an author's CI can tell a load error from a trap from a denial.
 */

import type { TrapKind } from "../lib/traps";

/** Exit statuses (documented in cli/README.md). */
export const ExitStatus = {
  /** Every call returned (and, with `--deny-is-error`, nothing was denied); every expectation held. */
  ok: 0,
  /** `test`: an expectation did not hold. */
  failed: 1,
  /** An unknown flag or a bad argument (usage is printed). */
  usage: 2,
  /** A file that cannot be read or used: module, manifest, spec, env file, stdin, `--file`, payload. */
  input: 3,
  /** The extension did not load: manifest, compile, limits, link or instantiate. */
  load: 4,
  /** `--deny-is-error`: the audit trail has a `Denied` record. */
  denied: 5,
  /** A call ended with `proc_exit` and a non-zero status. */
  exit: 6,
  /** A trap of another kind (divide by zero, a bad indirect call, a host error, …). */
  trap: 10,
  outOfFuel: 11,
  /** An out-of-bounds memory access. */
  memory: 12,
  /** The Worker was terminated: a load or call ran past `max_wall_time_secs`. */
  wallTime: 13,
  unreachable: 14,
  stackOverflow: 15,
  /** A bug in the CLI itself. */
  internal: 70,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** The status a trap of `kind` gives. */
export function trapStatus(kind: TrapKind): ExitStatus {
  switch (kind) {
    case "out_of_fuel":
      return ExitStatus.outOfFuel;
    case "memory_out_of_bounds":
      return ExitStatus.memory;
    case "wall_time":
      return ExitStatus.wallTime;
    case "unreachable":
      return ExitStatus.unreachable;
    case "stack_overflow":
      return ExitStatus.stackOverflow;
    default:
      return ExitStatus.trap;
  }
}

/** Names of statuses, for specs (`exit = "out_of_fuel"`) and messages. */
export const STATUS_NAMES: Record<string, ExitStatus> = {
  ok: ExitStatus.ok,
  failed: ExitStatus.failed,
  usage: ExitStatus.usage,
  input: ExitStatus.input,
  load_error: ExitStatus.load,
  denied: ExitStatus.denied,
  exit: ExitStatus.exit,
  trap: ExitStatus.trap,
  out_of_fuel: ExitStatus.outOfFuel,
  memory_out_of_bounds: ExitStatus.memory,
  wall_time: ExitStatus.wallTime,
  unreachable: ExitStatus.unreachable,
  stack_overflow: ExitStatus.stackOverflow,
};

/** The name of a status, for messages. */
export function statusName(status: number): string {
  return Object.entries(STATUS_NAMES).find(([, value]) => value === status)?.[0] ?? `status ${status}`;
}

/** A bad command line: the message, then usage, on stderr; status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Input that cannot be used, named with where it is wrong; status 3. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
