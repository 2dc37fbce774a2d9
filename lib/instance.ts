/**
 * One loaded extension: its manifest, its module, and one live instance whose state
 * persists across hook calls (as in a terminal), until its Worker is terminated.
 *
 * Loading goes manifest → compile → check hooks against exports → link → instantiate →
 * `_initialize`; any failure is a {@link LoadError} naming the stage and what was wrong,
 * raised before any hook runs.
 */

import { CallRecorder, type HostCallRecord, type RecordOptions } from "./abi/call-recorder";
import { createEnvironment } from "./abi/environment";
import type { HostContext } from "./abi/host-functions";
import { LogSink, type LogLine } from "./abi/log-sink";
import { ReturnBuffer } from "./abi/return-buffer";
import { AuditFn, AuditTrail, Outcome, type AuditEntry } from "./audit/trail";
import type { TransportKind } from "./commands/transport";
import { CallOutput, type OutputListener } from "./call-output";
import { jspi } from "./jspi";
import { readModuleStructure, functionLabel } from "./inspect/module-structure";
import { checkHooks, checkMemory, checkSignatures, prepare, prepareProfiled, readManifest } from "./load-checks";
import { LoadError } from "./load-error";
import { isHostNamespace, link, namespaceOf, type ImportInfo } from "./link";
import type { Manifest } from "./manifest/types";
import { GuestMemory } from "./memory";
import { browserPlatform, type HostPlatform } from "./platform";
import type { CacheLayer, CompiledModule } from "./cache/module-cache";
import { FuelProfile } from "./sandbox/fuel-profile";
import { injectedExports, pageBytes, PROFILE_EXPORT_PREFIX } from "./sandbox/instrument";
import { Meter } from "./sandbox/meter";
import { classifyThrown, describeFrame, innermostWasmFrame, ProcExit, type TrapKind } from "./traps";
import { createWasiContext, snapshotFiles, type InitialFiles, type WasiContext } from "./wasi/context";
import { warmUpGuestBytes } from "./warm-up-guest";

export type { HostCallRecord, MemoryRegion, RecordOptions } from "./abi/call-recorder";
export { OUTPUT_CHARS_PER_CALL, OUTPUT_LINES_PER_CALL, type OutputListener } from "./call-output";
export { LoadError, type LoadStage } from "./load-error";
export { HOST_NAMESPACES, type ImportInfo } from "./link";

/** `ft_log` lines kept per call; the rest are counted (a log flood must not freeze the page). */
export const LOG_LINES_PER_CALL = 1_000;
/** Functions listed in a call's fuel profile (the hottest ones). */
export const PROFILE_FUNCTIONS_PER_CALL = 100;
/** Audit records returned per call: the newest ones; older ones are counted. */
export const AUDIT_RECORDS_PER_CALL = 1_000;
/** What the page sends to load an extension. */
export interface LoadRequest {
  /** The module's bytes. */
  bytes: Uint8Array;
  /** `extension.toml` text. */
  manifestSource: string;
  /** The environment the extension would see (before permissions filter it). */
  env: Record<string, string>;
  /** The module's file name, used as `argv[0]`. */
  fileName: string;
  /** `argv[1…]` of a WASI command (none by default). */
  args?: string[];
  /** Force a transport for `ft_command` instead of the best available (for comparison and tests). */
  commandTransport?: TransportKind;
  /** The files the extension may see, by absolute path (`null` = directory); permissions decide which. */
  files?: InitialFiles;
  /** What the guest reads on fd 0 before end-of-file. */
  stdin?: Uint8Array;
  /** The page's memory-cache entry for these bytes, if it has one (used when its SHA-256 matches). */
  compiled?: CompiledModule;
  /** Record host calls (memory touched, timing) for the memory view and the timeline; off by default. */
  record?: RecordOptions;
  /**
   * Fuel profile mode: the module is instrumented with a fuel counter per function and each
   * call reports where its fuel went ({@link CallResult.fuelProfile}). Off by default; the
   * profiled module bypasses the module cache.
   */
  profile?: boolean;
  /**
   * False to keep no audit trail (bench and command-line runs: calls return no audit
   * records). The page always audits. Default true.
   */
  audit?: boolean;
}

/** What the page learns about a loaded extension. */
export interface LoadedExtension {
  manifest: Manifest;
  /** Which namespace the host-function imports used: `env` (docs), `frankenterm` (host code). */
  importNamespace: "env" | "frankenterm" | "both" | "none";
  imports: ImportInfo[];
  exports: { name: string; kind: string }[];
  /** True when the module is a WASI reactor (exports `_initialize`, called once at load). */
  reactor: boolean;
  /** True when the module is a WASI command (exports `_start`, no `_initialize`): the page offers to run it. */
  command: boolean;
  /** The directories the manifest's filesystem permissions preopen, in fd order (fd 3 first). */
  preopens: string[];
  /** How `ft_command` reaches the route, when the module imports it. */
  commandTransport?: TransportKind;
  /** True when hooks are entered through `WebAssembly.promising` (an import may suspend). */
  suspends: boolean;
  /** The module: its SHA-256, size, and which cache layer supplied it how fast. */
  module: { sha256: string; byteLength: number; cache: CacheLayer; prepareMs: number };
  /** Output of `_initialize`, when there was one. */
  initialization?: CallResult;
}

/** The outcome of one call into the guest. */
export interface CallResult {
  /** The export called. */
  handler: string;
  /** `ft_log` lines, in order. */
  logs: LogLine[];
  /** Lines beyond the per-call cap, counted not kept. */
  droppedLogs: number;
  /** stdout lines (at most {@link OUTPUT_LINES_PER_CALL}). */
  stdout: string[];
  /** stderr lines (at most {@link OUTPUT_LINES_PER_CALL}). */
  stderr: string[];
  /** stdout and stderr lines beyond the cap, counted not kept. */
  droppedOutput: number;
  /** The preopened trees after the call (absolute path → bytes, `null` = directory). */
  files: Record<string, Uint8Array | null>;
  /** The newest audit records of this call (at most {@link AUDIT_RECORDS_PER_CALL}). */
  audit: AuditEntry[];
  /** Audit records of this call not returned. */
  droppedAudit: number;
  /** Wall time of the call, in milliseconds. */
  durationMs: number;
  /** Linear memory size after the call, in bytes (0 without memory). */
  memoryBytes: number;
  /** Fuel the call consumed (wasmtime's cost model: 1 per instruction, see lib/sandbox). */
  fuelUsed: number;
  /** The call's fuel budget (`[limits] fuel_per_call`). */
  fuelLimit: number;
  /** Present when the call trapped. */
  trap?: { kind: TrapKind; message: string };
  /** Present when the guest called `proc_exit`. */
  exitCode?: number;
  /** When the call began, in microseconds since load (the audit trail's clock). */
  startedMicros: number;
  /** With {@link LoadRequest.record}: this call's host and WASI calls as recorded, oldest first. */
  hostCalls?: HostCallRecord[];
  /**
   * With {@link LoadRequest.profile}: the fuel of each function's own code in this call,
   * most first (at most {@link PROFILE_FUNCTIONS_PER_CALL}); names from the name section,
   * else an export's, else `func[N]`.
   */
  fuelProfile?: { index: number; name: string; fuel: number }[];
}

/**
 * Told when guest code is entered and left: the start function, `_initialize`, each hook
 * call and a command's `_start`. `atMs` is the absolute time of the event in milliseconds
 * since the Unix epoch (`performance.timeOrigin + performance.now()`), so that a page in
 * another thread can derive its deadline from when the guest was entered, not from when it
 * asked. `max_wall_time_secs` limits guest time only (docs: "10 s execution timeout"); the
 * host's own work (hashing, the cache, validating, instrumenting, compiling, linking) is
 * not charged to it.
 */
export type GuestListener = (event: "enter" | "leave", atMs: number) => void;

/** Now, in milliseconds since the Unix epoch, at the resolution of `performance.now()`. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** What the page may change between calls on a live instance. */
export interface CallInputs {
  /** The environment `ft_get_env` sees from this call on (FrankenTerm reads it when `ft_get_env` is called). */
  env?: Record<string, string>;
  /** New stdin: fd 0 reads it from its first byte on (what was left of the old one is dropped). */
  stdin?: Uint8Array;
}

/** A loaded, instantiated extension. */
export class ExtensionInstance {
  private constructor(
    readonly info: LoadedExtension,
    /** The compiled module, for the page's memory cache (none for a profiled module, which must not be reused). */
    readonly compiled: CompiledModule | undefined,
    private readonly exports: WebAssembly.Exports,
    private readonly host: HostContext,
    private readonly wasi: WasiContext,
    private readonly meter: Meter,
    private readonly recorder: CallRecorder,
    /** `performance.now()` when the audit trail was created: elapsed times count from it. */
    private readonly origin: number,
    /** In profile mode: the counters and the names of the functions. */
    private readonly profile?: { counters: FuelProfile; name: (index: number) => string },
  ) {}

  /**
   * Calls an export, through `WebAssembly.promising` when an import may suspend, telling
   * `onGuest` when the guest is entered and left (the wall-time clock runs in between).
   */
  private async invoke(fn: () => unknown, onGuest: GuestListener | undefined): Promise<void> {
    const promising = this.info.suspends ? jspi()?.promising : undefined;
    onGuest?.("enter", epochNow());
    try {
      await (promising ? promising(fn) : fn)();
    } finally {
      onGuest?.("leave", epochNow());
    }
  }

  /**
   * Loads an extension.
   * @param onGuest told when the start function and `_initialize` enter and leave the guest.
   * @param platform what differs between hosts (lib/platform.ts); the browser's by default.
   * @throws {LoadError} when the manifest, the module or linking is wrong, or `_initialize` traps.
   */
  static async load(request: LoadRequest, onGuest?: GuestListener, platform: HostPlatform = browserPlatform): Promise<ExtensionInstance> {
    const manifest = readManifest(request.manifestSource);
    const prepared = request.profile ? await prepareProfiled(request.bytes) : await prepare(request.bytes, request.compiled, platform.moduleStore);
    const { module, facts } = prepared;
    checkMemory(facts, manifest);
    checkSignatures(facts);
    checkHooks(manifest, module);

    const memory = new GuestMemory();
    const origin = performance.now();
    // Created just before the trail, whose elapsed times count from its own creation.
    const audit = new AuditTrail(manifest.extension.name, undefined, undefined, { enabled: request.audit !== false });
    const env = createEnvironment(request.env, manifest.permissions.environment);
    const host: HostContext = { memory, audit, logs: new LogSink(LOG_LINES_PER_CALL), returnBuffer: new ReturnBuffer(), env };
    let wasi: WasiContext;
    try {
      wasi = createWasiContext(memory, audit, {
        args: [request.fileName, ...(request.args ?? [])],
        env: env.permitted(),
        files: request.files ?? {},
        ...(request.stdin ? { stdin: request.stdin } : {}),
        permissions: { read: manifest.permissions.filesystemRead, write: manifest.permissions.filesystemWrite },
        // Without JSPI a clock wait must block this worker's thread instead of suspending.
        wait: jspi() ? "suspend" : "block",
        // Files live in the worker's memory: the memory cap bounds one file (the tree, four).
        maxFileBytes: manifest.limits.maxMemoryBytes,
      });
    } catch (error) {
      throw new LoadError("instantiate", `the file tree cannot be set up: ${error instanceof Error ? error.message : String(error)}`);
    }
    const importsCommand = facts.functionImports.some((i) => i.name === "ft_command" && isHostNamespace(i.module));
    // ajv (the schema check) is loaded only for a module that can send a command: most
    // extensions never do, and evaluating it is a large part of a Worker's start-up.
    const [transport, validation] = importsCommand
      ? await Promise.all([platform.commandTransport(request.commandTransport), import("./commands/validate")])
      : [undefined, undefined];
    const commandContext =
      transport && validation
        ? { memory, audit, returnBuffer: host.returnBuffer, permitted: manifest.permissions.commands, transport, check: validation.checkCommandDocument }
        : undefined;
    const recorder = new CallRecorder(request.record ?? {}, audit, memory, host.returnBuffer, () => (performance.now() - origin) * 1000, wasi);
    const { imports, importInfo, suspends } = link(module, host, wasi, commandContext, recorder);

    let instance: WebAssembly.Instance;
    try {
      // Synchronous: the module is compiled already and the start function was hoisted out by
      // the instrumentation, so nothing runs here; the Promise form costs a task's round trip
      // (~1 ms of a warm load). Allowed off the main thread whatever the module's size, and the
      // host never instantiates on a page's main thread.
      instance = new WebAssembly.Instance(module, imports);
    } catch (error) {
      const { kind, message } = classifyThrown(error);
      throw new LoadError("instantiate", `instantiation failed (${kind}): ${message}`);
    }
    const exported = instance.exports.memory;
    memory.attach(exported instanceof WebAssembly.Memory ? exported : undefined);
    const meter = Meter.attach(instance);
    if (meter.capsMemory) meter.setMaxPages(Math.floor(manifest.limits.maxMemoryBytes / pageBytes));

    const info: LoadedExtension = {
      manifest,
      importNamespace: namespaceOf(importInfo),
      imports: importInfo,
      exports: WebAssembly.Module.exports(module).filter((e) => !INJECTED.has(e.name) && !e.name.startsWith(PROFILE_EXPORT_PREFIX)),
      reactor: typeof instance.exports._initialize === "function",
      command: typeof instance.exports._start === "function" && typeof instance.exports._initialize !== "function",
      preopens: wasi.filesystem.preopens.map((p) => p.path),
      suspends,
      module: { sha256: prepared.sha256, byteLength: request.bytes.length, cache: prepared.layer, prepareMs: prepared.prepareMs },
      ...(transport ? { commandTransport: transport.kind } : {}),
    };
    const counters = request.profile ? FuelProfile.attach(instance) : undefined;
    const structure = counters ? readModuleStructure(request.bytes) : undefined;
    const profile = counters && structure ? { counters, name: (index: number) => functionLabel(structure, index) } : undefined;
    const compiled = request.profile ? undefined : { sha256: prepared.sha256, module, facts, original: prepared.original };
    const loaded = new ExtensionInstance(info, compiled, instance.exports, host, wasi, meter, recorder, origin, profile);
    if (meter.hasStart) {
      const ended = await loaded.runStart(onGuest);
      if (ended instanceof ProcExit) {
        throw new LoadError("start", `the start function exited with status ${ended.code} (proc_exit): the instance ended before any hook could run`);
      }
      if (ended) throw new LoadError("start", `the start function trapped (${ended.kind}): ${ended.message}`, undefined, ended.kind);
    }
    if (info.reactor) {
      const result = await loaded.call("_initialize", undefined, undefined, onGuest);
      info.initialization = result;
      if (result.trap) throw new LoadError("initialize", `_initialize trapped (${result.trap.kind}): ${result.trap.message}`, undefined, result.trap.kind);
    }
    return loaded;
  }

  /**
   * Runs the module's start function (hoisted out by the instrumentation so that it is
   * metered like a hook) with one call's fuel.
   * @returns the trap, when it trapped; the {@link ProcExit}, when it called `proc_exit`.
   */
  private async runStart(onGuest: GuestListener | undefined): Promise<CallResult["trap"] | ProcExit> {
    this.meter.setFuel(this.info.manifest.limits.fuelPerCall);
    try {
      // Through `invoke`: a start function may sleep or send a command (JSPI) like a hook.
      await this.invoke(() => this.meter.runStart(), onGuest);
      return undefined;
    } catch (error) {
      if (error instanceof ProcExit) return error;
      return this.describeTrap(error, "the start function");
    }
  }

  /**
   * Audits `memory.grow` calls the cap refused during a call. The instrumentation counts
   * them without calling out (no new imports), so the record comes after the call.
   */
  private auditRefusedGrowth(refused: number): void {
    if (refused <= 0) return;
    const cap = this.info.manifest.limits.maxMemoryBytes;
    const reason =
      `memory.grow refused ${refused} time${refused === 1 ? "" : "s"}: ` +
      `max_memory_bytes = ${cap.toLocaleString("en")} (${Math.floor(cap / pageBytes)} pages); the guest got -1`;
    this.host.audit.recordStated(AuditFn.memoryGrow, Outcome.denied, reason, undefined, -1);
  }

  /** Names a trap: out of fuel when the meter says so, else by what the engine threw. */
  private describeTrap(error: unknown, what: string): NonNullable<CallResult["trap"]> {
    const trap = classifyThrown(error);
    if (!this.meter.outOfFuel()) return trap;
    const limit = this.info.manifest.limits.fuelPerCall.toLocaleString("en");
    const frame = innermostWasmFrame(error);
    const where = frame ? ` ${describeFrame(frame)}` : "";
    return { kind: "out_of_fuel", message: `${what} ran out of fuel${where}: used all ${limit} of fuel_per_call = ${limit}` };
  }

  /** The hottest functions of the call just made, named. */
  private readProfile(): NonNullable<CallResult["fuelProfile"]> {
    const profile = this.profile;
    if (!profile) return [];
    return profile.counters
      .read()
      .slice(0, PROFILE_FUNCTIONS_PER_CALL)
      .map(({ index, fuel }) => ({ index, name: profile.name(index), fuel }));
  }

  /**
   * Calls an exported no-argument function (a hook) on the live instance.
   * @param handler the export's name.
   * @param payload JSON placed in the return buffer before the call (the playground's
   *   proposal for event payloads); `undefined` leaves the buffer as it is.
   * @param listener receives stdout/stderr lines while the call runs.
   * @param onGuest told when the call enters and leaves the guest.
   * @param inputs the page's edits since the load: the environment `ft_get_env` sees and new
   *   stdin. WASI's `environ_get` keeps the environment of the load, since libc reads it once.
   * @throws {Error} when `handler` is not an exported function.
   */
  async call(handler: string, payload?: string, listener?: OutputListener, onGuest?: GuestListener, inputs: CallInputs = {}): Promise<CallResult> {
    const fn = this.exports[handler];
    if (typeof fn !== "function") throw new Error(`the module does not export a function "${handler}"`);
    if (inputs.env) this.host.env = createEnvironment(inputs.env, this.info.manifest.permissions.environment);
    if (inputs.stdin) this.wasi.stdin.replace(inputs.stdin);
    if (payload !== undefined) this.host.returnBuffer.set(new TextEncoder().encode(payload));
    const auditStart = this.host.audit.total;
    const fuelLimit = this.info.manifest.limits.fuelPerCall;
    this.meter.setFuel(fuelLimit);
    const deniedBefore = this.meter.growDenied();
    const output = new CallOutput(listener);
    this.wasi.onOutput = output.add;
    const started = performance.now();
    const startedMicros = (started - this.origin) * 1000;
    this.profile?.counters.reset();
    let trap: CallResult["trap"];
    let exitCode: number | undefined;
    try {
      await this.invoke(fn as () => unknown, onGuest);
      // A command's _start that returns (main returned 0) exits with status 0 (wasi-libc, Rust std).
      if (handler === "_start") exitCode = 0;
    } catch (error) {
      if (error instanceof ProcExit) exitCode = error.code;
      else trap = this.describeTrap(error, handler);
    }
    const durationMs = performance.now() - started;
    // A region that cannot be paid leaves the counter negative: the call used all of it.
    const fuelUsed = Math.min(fuelLimit, Math.max(0, fuelLimit - Number(this.meter.fuelLeft())));
    this.auditRefusedGrowth(this.meter.growDenied() - deniedBefore);
    output.add("stdout", this.wasi.stdout.drain(true).lines);
    output.add("stderr", this.wasi.stderr.drain(true).lines);
    output.flush();
    this.wasi.onOutput = undefined;
    const droppedLogs = this.host.logs.dropped;
    const written = this.host.audit.total - auditStart;
    return {
      handler,
      logs: this.host.logs.drain(),
      droppedLogs,
      stdout: output.kept.stdout,
      stderr: output.kept.stderr,
      droppedOutput: output.dropped,
      files: snapshotFiles(this.wasi),
      audit: this.host.audit.entries(Math.max(auditStart, this.host.audit.total - AUDIT_RECORDS_PER_CALL)),
      droppedAudit: Math.max(0, written - AUDIT_RECORDS_PER_CALL),
      durationMs,
      memoryBytes: this.host.memory.size,
      fuelUsed,
      fuelLimit,
      startedMicros,
      ...(this.recorder.active ? { hostCalls: this.recorder.since(auditStart) } : {}),
      ...(this.profile ? { fuelProfile: this.readProfile() } : {}),
      ...(trap ? { trap } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
    };
  }
}

/** A manifest with what a load reads (permissions of each kind, a hook), for {@link warmUp}. */
const WARM_UP_MANIFEST = `# Every table and kind of value the examples' manifests use, so that the
# parser's paths for them are compiled too.
[extension]
name = "warm-up"
version = "0.1.0"
description = "Compiles the load's code in a spare Worker."
authors = ["Extension Playground"]
license = "Apache-2.0"

[engine]
type = "wasm"
entry = "warm-up.wasm"

[permissions]
environment = ["TERM", "FT_*"]
filesystem = ["read:/data", "write:/work"]
commands = ["add"]

[limits]
max_memory_bytes = 16_777_216
fuel_per_call = 1_000_000
max_wall_time_secs = 5

[[hooks]]
event = "config.reload"
handler = "on_reload"

[[hooks]]
event = "pane.output"
handler = "on_output"
`;

/**
 * Runs once, and throws away, the parts of a load that touch no guest: the manifest parser,
 * the environment, the audit trail, the WASI context over a small file tree. For a Worker
 * that waits to be used (the page's spare Worker): V8 compiles a function the first time it
 * runs, and in a fresh Worker that first time was otherwise the load itself (on 2 busy
 * cores, 5 to 15 ms of a warm load went to the TOML parser and the WASI layer's first run).
 * Compiles no module and creates no instance.
 * @returns true when every step ran; false when one threw (never rethrown: a failure only
 *   leaves the load to compile those functions itself).
 */
export function warmUp(): boolean {
  try {
    const manifest = readManifest(WARM_UP_MANIFEST);
    const memory = new GuestMemory();
    const audit = new AuditTrail(manifest.extension.name);
    const env = createEnvironment({ TERM: "xterm-256color", FT_THEME: "dark", HOME: "/home" }, manifest.permissions.environment);
    const wasi = createWasiContext(memory, audit, {
      args: ["warm-up.wasm"],
      env: env.permitted(),
      files: { "/data": null, "/data/a.txt": "a", "/work": null },
      permissions: { read: manifest.permissions.filesystemRead, write: manifest.permissions.filesystemWrite },
      wait: jspi() ? "suspend" : "block",
      maxFileBytes: manifest.limits.maxMemoryBytes,
    });
    snapshotFiles(wasi);
    return true;
  } catch {
    return false;
  }
}

/** A module store that keeps nothing: the warm-up's guest never reaches IndexedDB. */
const NO_STORE: HostPlatform["moduleStore"] = { layer: "indexeddb", read: async () => undefined, write: async () => {} };

/**
 * Loads and calls, then drops, the built-in warm-up guest (lib/warm-up-guest.ts): once
 * through validate, instrument and compile, once from the compiled module as the page's
 * memory cache hands it over, each with one hook call. After {@link warmUp}, in a spare
 * Worker: the JavaScript of the load and call paths (linking, host functions, the WASI
 * imports, the fuel meter, the call's output) is compiled before the page's load arrives,
 * where otherwise that load paid it (~10 ms of a warm load of hello-c in Chromium 156). No
 * extension's code runs; the guest's instances are dropped when this returns.
 * @returns true when both loads and calls ran; false when one failed (never rethrown).
 */
export async function warmUpGuest(): Promise<boolean> {
  try {
    const platform: HostPlatform = { ...browserPlatform, moduleStore: NO_STORE };
    const request: LoadRequest = { bytes: warmUpGuestBytes(), manifestSource: WARM_UP_MANIFEST, env: { TERM: "xterm-256color" }, fileName: "warm-up.wasm" };
    const first = await ExtensionInstance.load(request, undefined, platform);
    const called = await first.call("on_reload");
    if (!first.compiled || called.trap) return false;
    const again = await ExtensionInstance.load({ ...request, bytes: warmUpGuestBytes(), compiled: first.compiled }, undefined, platform);
    return (await again.call("on_reload")).trap === undefined;
  } catch {
    return false;
  }
}

/** Exports the instrumentation adds; hidden from the page. */
const INJECTED = new Set<string>(Object.values(injectedExports));

