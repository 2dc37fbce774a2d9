/**
 * The state one instance's WASI preview1 layer works on.
 *
 * preview1 is a thin layer over `@bytecodealliance/preview2-shim`'s browser interfaces:
 * stdio and the CLI environment come from `createCli` (isolated per instance, not the
 * shim's module globals), clocks and randomness from its `clocks` and `random` packages.
 */

import { createCli, type BrowserCliConfig } from "@bytecodealliance/preview2-shim/cli";
import type { AuditTrail } from "../audit/trail";
import type { GuestMemory } from "../memory";
import { OutputSink } from "./output";

/** The preview2 CLI interfaces of one instance. */
export type Cli = ReturnType<typeof createCli>;

/** Everything the preview1 functions of one instance share. */
export interface WasiContext {
  memory: GuestMemory;
  audit: AuditTrail;
  cli: Cli;
  /** Where the guest's fd 1 ends up. */
  stdout: OutputSink;
  /** Where the guest's fd 2 ends up. */
  stderr: OutputSink;
  /** `args` and `environ` pre-encoded as NUL-terminated UTF-8, computed once. */
  argsEncoded: Uint8Array[];
  environEncoded: Uint8Array[];
}

/** What the page decides about a run's WASI environment. */
export interface WasiOptions {
  /** `argv`; by convention `argv[0]` is the module's name. */
  args: string[];
  /** Variables visible through `environ_get` (already filtered by permissions). */
  env: [string, string][];
}

/** Creates the WASI state of one instance. */
export function createWasiContext(memory: GuestMemory, audit: AuditTrail, options: WasiOptions): WasiContext {
  const stdout = new OutputSink();
  const stderr = new OutputSink();
  const config: BrowserCliConfig = {
    arguments: options.args,
    environment: Object.fromEntries(options.env),
    stdout: { write: (bytes) => stdout.write(bytes) },
    stderr: { write: (bytes) => stderr.write(bytes) },
  };
  const cli = createCli(config);
  const encoder = new TextEncoder();
  const nulTerminated = (text: string) => encoder.encode(`${text}\0`);
  return {
    memory,
    audit,
    cli,
    stdout,
    stderr,
    argsEncoded: cli.environment.getArguments().map(nulTerminated),
    environEncoded: cli.environment.getEnvironment().map(([key, value]) => nulTerminated(`${key}=${value}`)),
  };
}
