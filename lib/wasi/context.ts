/**
 * The state one instance's WASI preview1 layer works on.
 *
 * preview1 is a thin layer over `@bytecodealliance/preview2-shim`'s browser interfaces:
 * stdio and the CLI environment come from `createCli`, the filesystem from
 * `createFilesystem` with the in-memory adapter (both isolated per instance, none of the
 * shim's module globals), clocks and randomness from its `clocks` and `random` packages.
 * What preview2 does not have (fd numbers, offsets, rights, preopen names) is kept here.
 */

import { createCli, type BrowserCliConfig } from "@bytecodealliance/preview2-shim/cli";
import type { AuditTrail } from "../audit/trail";
import { encodeUtf8, type GuestMemory } from "../memory";
import { FdEntry, FdKind, FdTable } from "./fd-table";
import { createWasiFilesystem, type FilesystemPermissions, type InitialFiles, type WasiFilesystem } from "./filesystem";
import type { FileQuota } from "./quota";
import { OutputSink } from "./output";
import { StdinSource } from "./stdio";
import { PREOPEN_RIGHTS_BASE, PREOPEN_RIGHTS_INHERITING, Rights } from "./witx";

export { snapshotFiles, type FilesystemPermissions, type InitialFiles } from "./filesystem";

/** The preview2 CLI interfaces of one instance. */
export type Cli = ReturnType<typeof createCli>;

/** Which output stream a line came from. */
export type OutputStreamName = "stdout" | "stderr";

/**
 * Receives complete lines of stdout or stderr as the guest writes them. `at` is the clock
 * reading (ms, `monotonic.ts`'s clock) the write's audit record was stamped with, or `NaN`
 * when the write read no clock: a listener that needs the time reuses it instead of reading
 * the clock a second time in the same call.
 */
export type OutputListener = (stream: OutputStreamName, lines: string[], at: number) => void;

/**
 * How `poll_oneoff` waits for a clock:
 * - `suspend`: it returns a `Promise`; the import must be wrapped with
 *   `new WebAssembly.Suspending(fn)` and the export called through `WebAssembly.promising`
 *   (JSPI).
 * - `block`: it blocks the thread (`Atomics.wait` where a `SharedArrayBuffer` can be made,
 *   else a busy loop on the monotonic clock), for hosts without JSPI; never use it on a
 *   page's main thread.
 */
export type WaitMode = "suspend" | "block";

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
  /** What fd 0 reads. */
  stdin: StdinSource;
  /** The open fds. */
  fds: FdTable;
  /** The preopens and their trees. */
  filesystem: WasiFilesystem;
  /** How `poll_oneoff` waits. */
  wait: WaitMode;
  /** Storage limits of the filesystem (see quota.ts). */
  quota: FileQuota;
  /**
   * Called with complete lines as the guest writes them (the lines are then no longer in
   * {@link stdout}/{@link stderr}; a trailing partial line stays there until drained with
   * `flush`). May be set or replaced at any time.
   */
  onOutput?: OutputListener;
  /** The clock reading of the `fd_write` in progress (ms), `NaN` outside one or when it read none. */
  callTime: number;
}

/** What the page decides about a run's WASI environment. */
export interface WasiOptions {
  /** `argv`; by convention `argv[0]` is the module's name. */
  args: string[];
  /** Variables visible through `environ_get` (already filtered by permissions). */
  env: [string, string][];
  /** The initial files: absolute path → contents (a string is UTF-8), `null` = directory. */
  files?: InitialFiles;
  /** The manifest's filesystem permissions; none means no preopens at all. */
  permissions?: FilesystemPermissions;
  /** What fd 0 reads before end-of-file. */
  stdin?: Uint8Array;
  /** See {@link WasiContext.onOutput}. */
  onOutput?: OutputListener;
  /** See {@link WaitMode}; default `suspend`. */
  wait?: WaitMode;
  /** Largest file, in bytes; the whole tree may hold four times as much. Default 64 MiB. */
  maxFileBytes?: number;
}

/** The options of a run that supplies nothing: no args, env, files, permissions or stdin. */
export function defaultWasiOptions(): Required<Omit<WasiOptions, "onOutput">> {
  return {
    args: [],
    env: [],
    files: {},
    permissions: { read: [], write: [] },
    stdin: new Uint8Array(0),
    wait: "suspend",
    maxFileBytes: 64 * 1024 * 1024,
  };
}

/**
 * Creates the WASI state of one instance.
 * @throws {Error} when `options.files` is contradictory (a file where a directory must be).
 */
export function createWasiContext(memory: GuestMemory, audit: AuditTrail, options: WasiOptions): WasiContext {
  const settings = { ...defaultWasiOptions(), ...options };
  const stdout = new OutputSink();
  const stderr = new OutputSink();
  const stdin = new StdinSource(settings.stdin);
  const config: BrowserCliConfig = {
    arguments: settings.args,
    environment: Object.fromEntries(settings.env),
    stdin: { blockingRead: (len) => stdin.blockingRead(len) },
    stdout: { write: (bytes) => emit(ctx, "stdout", stdout, bytes) },
    stderr: { write: (bytes) => emit(ctx, "stderr", stderr, bytes) },
  };
  const cli = createCli(config);
  const nulTerminated = (text: string) => encodeUtf8(`${text}\0`);
  const filesystem = createWasiFilesystem(settings.files, settings.permissions);
  const ctx: WasiContext = {
    memory,
    audit,
    cli,
    stdout,
    stderr,
    argsEncoded: cli.environment.getArguments().map(nulTerminated),
    environEncoded: cli.environment.getEnvironment().map(([key, value]) => nulTerminated(`${key}=${value}`)),
    stdin,
    fds: createFdTable(filesystem),
    filesystem,
    wait: settings.wait,
    quota: { maxFileBytes: settings.maxFileBytes, totalBytes: 4 * settings.maxFileBytes, usedBytes: initialBytes(settings.files) },
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    callTime: NaN,
  };
  return ctx;
}

/** Bytes of the initial files (strings counted as UTF-8). */
function initialBytes(files: InitialFiles): number {
  let total = 0;
  for (const content of Object.values(files)) {
    if (content !== null) total += typeof content === "string" ? encodeUtf8(content).length : content.length;
  }
  return total;
}

/** fds 0-2, then one directory per preopen. */
function createFdTable(filesystem: WasiFilesystem): FdTable {
  const fds = new FdTable();
  const poll = Rights.POLL_FD_READWRITE;
  fds.add(new FdEntry(FdKind.stdin, undefined, "<stdin>", Rights.FD_READ | poll, 0));
  fds.add(new FdEntry(FdKind.stdout, undefined, "<stdout>", Rights.FD_WRITE | poll, 0));
  fds.add(new FdEntry(FdKind.stderr, undefined, "<stderr>", Rights.FD_WRITE | poll, 0));
  for (const { path, descriptor } of filesystem.preopens) {
    const entry = new FdEntry(FdKind.directory, descriptor, path, PREOPEN_RIGHTS_BASE, PREOPEN_RIGHTS_INHERITING, 0, encodeUtf8(path));
    entry.times = filesystem.times.get(descriptor.metadataHash().upper);
    fds.add(entry);
  }
  return fds;
}

/** Collects `bytes` and hands complete lines to the listener, when there is one. */
function emit(ctx: WasiContext, stream: OutputStreamName, sink: OutputSink, bytes: Uint8Array): void {
  sink.write(bytes);
  notifyOutput(ctx, stream, sink);
}

/**
 * Hands the complete lines `sink` holds to the listener, when there is one: what the stream
 * handler does after each write (`fd_write` calls it directly, see `stdio.ts`).
 */
export function notifyOutput(ctx: WasiContext, stream: OutputStreamName, sink: OutputSink): void {
  if (!ctx.onOutput || !sink.hasLines) return;
  const lines = sink.takeLines();
  if (lines.length > 0) ctx.onOutput(stream, lines, ctx.callTime);
}
