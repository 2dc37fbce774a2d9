/**
 * One loaded extension: its manifest, its module, and one live instance whose state
 * persists across hook calls (as in a terminal), until its Worker is terminated.
 *
 * Loading goes manifest → compile → check hooks against exports → link → instantiate →
 * `_initialize`; any failure is a {@link LoadError} naming the stage and what was wrong,
 * raised before any hook runs.
 */

import { createEnvironment } from "./abi/environment";
import { createFtCommand } from "./abi/ft-command";
import { signatureMismatch } from "./abi/signatures";
import { createHostFunctions, HOST_FUNCTION_NAMES, type HostContext } from "./abi/host-functions";
import { LogSink, type LogLine } from "./abi/log-sink";
import { ReturnBuffer } from "./abi/return-buffer";
import { AuditFn, AuditTrail, Outcome, type AuditEntry } from "./audit/trail";
import { chooseTransport, type CommandTransport, type TransportKind } from "./commands/transport";
import { jspi, type SuspendingFunction } from "./jspi";
import { ManifestError, parseManifest } from "./manifest/parse";
import type { Manifest } from "./manifest/types";
import { GuestMemory } from "./memory";
import { prepareModule, type CacheLayer, type CompiledModule } from "./cache/module-cache";
import { injectedExports, instrument, pageBytes, WasmFormatError, type ModuleFacts } from "./sandbox/instrument";
import { Meter } from "./sandbox/meter";
import { classifyThrown, describeFrame, innermostWasmFrame, ProcExit, type TrapKind } from "./traps";
import { createWasiContext, snapshotFiles, type InitialFiles, type OutputStreamName, type WasiContext } from "./wasi/context";
import { createPreview1Imports, isImplemented, PREVIEW1_MODULE, SUSPENDING_CALLS } from "./wasi/preview1";

/** `ft_log` lines kept per call; the rest are counted (a log flood must not freeze the page). */
export const LOG_LINES_PER_CALL = 1_000;
/** Audit records returned per call: the newest ones; older ones are counted. */
export const AUDIT_RECORDS_PER_CALL = 1_000;
/** stdout or stderr lines kept per call; the rest are counted. */
export const OUTPUT_LINES_PER_CALL = 1_000;
/** Characters of stdout and stderr kept per call (lines are at most 64 KiB each). */
export const OUTPUT_CHARS_PER_CALL = 1024 * 1024;
/** Streamed output is forwarded at most this often (ms), so a flood cannot swamp the page. */
const STREAM_INTERVAL_MS = 50;

/** The import namespaces under which the host functions are provided. */
export const HOST_NAMESPACES = ["env", "frankenterm"] as const;

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
  /** Force a transport for `ft_command` instead of the best available (for comparison and tests). */
  commandTransport?: TransportKind;
  /** The files the extension may see, by absolute path (`null` = directory); permissions decide which. */
  files?: InitialFiles;
  /** What the guest reads on fd 0 before end-of-file. */
  stdin?: Uint8Array;
  /** The page's memory-cache entry for these bytes, if it has one (used when its SHA-256 matches). */
  compiled?: CompiledModule;
}

/** Receives stdout/stderr lines while a call runs. */
export type OutputListener = (stream: OutputStreamName, lines: string[]) => void;

/** Where loading stopped. */
export type LoadStage = "manifest" | "compile" | "limits" | "link" | "instantiate" | "start" | "initialize";

/** Loading failed; nothing of the extension ran past `stage`. */
export class LoadError extends Error {
  /**
   * @param stage where loading stopped.
   * @param message what was wrong and where.
   * @param line the manifest line, for manifest errors.
   */
  constructor(
    readonly stage: LoadStage,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "LoadError";
  }
}

/** One import of the module, as the UI lists it. */
export interface ImportInfo {
  module: string;
  name: string;
  kind: string;
  /** How the playground resolves it. */
  status: "host function" | "WASI" | "WASI, not implemented (ENOSYS)";
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
}

/** A loaded, instantiated extension. */
export class ExtensionInstance {
  private constructor(
    readonly info: LoadedExtension,
    /** The compiled module, for the page's memory cache. */
    readonly compiled: CompiledModule,
    private readonly exports: WebAssembly.Exports,
    private readonly host: HostContext,
    private readonly wasi: WasiContext,
    private readonly meter: Meter,
  ) {}

  /** Calls an export, through `WebAssembly.promising` when an import may suspend. */
  private async invoke(fn: () => unknown): Promise<void> {
    const promising = this.info.suspends ? jspi()?.promising : undefined;
    await (promising ? promising(fn) : fn)();
  }

  /**
   * Loads an extension.
   * @throws {LoadError} when the manifest, the module or linking is wrong, or `_initialize` traps.
   */
  static async load(request: LoadRequest): Promise<ExtensionInstance> {
    const manifest = readManifest(request.manifestSource);
    const prepared = await prepare(request.bytes, request.compiled);
    const { module, facts } = prepared;
    checkMemory(facts, manifest);
    checkHooks(manifest, module);

    const memory = new GuestMemory();
    const audit = new AuditTrail(manifest.extension.name);
    const env = createEnvironment(request.env, manifest.permissions.environment);
    const host: HostContext = { memory, audit, logs: new LogSink(LOG_LINES_PER_CALL), returnBuffer: new ReturnBuffer(), env };
    let wasi: WasiContext;
    try {
      wasi = createWasiContext(memory, audit, {
        args: [request.fileName],
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
    const importsCommand = WebAssembly.Module.imports(module).some((i) => i.name === "ft_command" && isHostNamespace(i.module));
    const transport = importsCommand ? await chooseTransport(request.commandTransport) : undefined;
    const commandContext = transport ? { memory, audit, returnBuffer: host.returnBuffer, permitted: manifest.permissions.commands, transport } : undefined;
    checkSignatures(facts);
    const { imports, importInfo, suspends } = link(module, host, wasi, commandContext);

    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, imports);
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
      exports: WebAssembly.Module.exports(module).filter((e) => !INJECTED.has(e.name)),
      reactor: typeof instance.exports._initialize === "function",
      command: typeof instance.exports._start === "function" && typeof instance.exports._initialize !== "function",
      preopens: wasi.filesystem.preopens.map((p) => p.path),
      suspends,
      module: { sha256: prepared.sha256, byteLength: request.bytes.length, cache: prepared.layer, prepareMs: prepared.prepareMs },
      ...(transport ? { commandTransport: transport.kind } : {}),
    };
    const loaded = new ExtensionInstance(info, { sha256: prepared.sha256, module, facts }, instance.exports, host, wasi, meter);
    if (meter.hasStart) {
      const trap = await loaded.runStart();
      if (trap) throw new LoadError("start", `the start function trapped (${trap.kind}): ${trap.message}`);
    }
    if (info.reactor) {
      const result = await loaded.call("_initialize");
      info.initialization = result;
      if (result.trap) throw new LoadError("initialize", `_initialize trapped (${result.trap.kind}): ${result.trap.message}`);
    }
    return loaded;
  }

  /**
   * Runs the module's start function (hoisted out by the instrumentation so that it is
   * metered like a hook) with one call's fuel.
   * @returns the trap, when it trapped.
   */
  private async runStart(): Promise<CallResult["trap"]> {
    this.meter.setFuel(this.info.manifest.limits.fuelPerCall);
    try {
      // Through `invoke`: a start function may sleep or send a command (JSPI) like a hook.
      await this.invoke(() => this.meter.runStart());
      return undefined;
    } catch (error) {
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

  /**
   * Calls an exported no-argument function (a hook) on the live instance.
   * @param handler the export's name.
   * @param payload JSON placed in the return buffer before the call (the playground's
   *   proposal for event payloads); `undefined` leaves the buffer as it is.
   * @throws {Error} when `handler` is not an exported function.
   */
  async call(handler: string, payload?: string, listener?: OutputListener): Promise<CallResult> {
    const fn = this.exports[handler];
    if (typeof fn !== "function") throw new Error(`the module does not export a function "${handler}"`);
    if (payload !== undefined) this.host.returnBuffer.set(new TextEncoder().encode(payload));
    const auditStart = this.host.audit.total;
    const fuelLimit = this.info.manifest.limits.fuelPerCall;
    this.meter.setFuel(fuelLimit);
    const deniedBefore = this.meter.growDenied();
    const output = new CallOutput(listener);
    this.wasi.onOutput = output.add;
    const started = performance.now();
    let trap: CallResult["trap"];
    let exitCode: number | undefined;
    try {
      await this.invoke(fn as () => unknown);
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
      ...(trap ? { trap } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
    };
  }
}

/** Exports the instrumentation adds; hidden from the page. */
const INJECTED = new Set<string>(Object.values(injectedExports));

function readManifest(source: string): Manifest {
  try {
    return parseManifest(source);
  } catch (error) {
    if (error instanceof ManifestError) throw new LoadError("manifest", error.message, error.line);
    throw error;
  }
}

/** The compiled, instrumented module, from a cache layer or built now (see lib/cache). */
async function prepare(bytes: Uint8Array, fromPage?: CompiledModule) {
  try {
    return await prepareModule(bytes, validateAndInstrument, fromPage);
  } catch (error) {
    if (error instanceof LoadError) throw error;
    throw new LoadError("compile", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Validates and instruments (fuel, memory cap) a module. Invalid bytes are judged by the
 * engine first, so the user reads the engine's message about their module rather than the
 * instrumenter's (or one about the rewritten bytes).
 * @throws {LoadError} for a module that does not validate or cannot be instrumented.
 */
function validateAndInstrument(bytes: Uint8Array): ReturnType<typeof instrument> {
  const original = bytes as Uint8Array<ArrayBuffer>;
  if (!WebAssembly.validate(original)) {
    let message = "it does not validate";
    try {
      new WebAssembly.Module(original);
    } catch (error) {
      message = error instanceof Error ? error.message.replace(/^WebAssembly\.Module\(\): /, "") : String(error);
    }
    throw new LoadError("compile", `not a valid WebAssembly module (${bytes.length} bytes): ${message}`);
  }
  try {
    return instrument(bytes, { fuel: true, memoryCap: true });
  } catch (error) {
    if (error instanceof WasmFormatError) throw new LoadError("compile", `the sandbox cannot instrument this module: ${error.message}`);
    throw error;
  }
}

/** A module whose initial memory is over `[limits] max_memory_bytes` is refused before it runs. */
function checkMemory(facts: ModuleFacts, manifest: Manifest): void {
  const initial = facts.memory?.initialPages ?? 0;
  const cap = manifest.limits.maxMemoryBytes;
  if (initial * pageBytes > cap) {
    throw new LoadError(
      "limits",
      `the module's initial memory is ${initial} pages (${(initial * pageBytes).toLocaleString("en")} bytes), ` +
        `more than max_memory_bytes = ${cap.toLocaleString("en")} (${Math.floor(cap / pageBytes)} pages)`,
    );
  }
}

/** Host functions imported with another type than the ABI's are refused before anything runs. */
function checkSignatures(facts: ModuleFacts): void {
  for (const imported of facts.functionImports) {
    if (!isHostNamespace(imported.module)) continue;
    const problem = signatureMismatch(imported);
    if (problem) throw new LoadError("link", `${problem} (seeds/wasm-extensions.md, wasm_host.rs)`);
  }
}

/** Every hook's handler must be an exported function, checked before anything runs. */
function checkHooks(manifest: Manifest, module: WebAssembly.Module): void {
  const functions = WebAssembly.Module.exports(module)
    .filter((e) => e.kind === "function")
    .map((e) => e.name);
  manifest.hooks.forEach((hook, index) => {
    if (functions.includes(hook.handler)) return;
    const key = manifest.hookForm === "documented" ? `hooks[${index}].handler` : `hooks."${hook.event}"`;
    const error = new ManifestError(
      key,
      hook.line,
      `the module does not export a function "${hook.handler}" (its function exports: ${functions.join(", ") || "none"})`,
    );
    throw new LoadError("manifest", error.message, hook.line);
  });
}

function isHostNamespace(module: string): boolean {
  return (HOST_NAMESPACES as readonly string[]).includes(module);
}

/**
 * Resolves every import of `module`; an import the host does not provide is a {@link LoadError}.
 * @returns the import object, what each import resolved to, and whether any import may
 *   suspend the guest (then hooks must be entered through `WebAssembly.promising`).
 */
function link(module: WebAssembly.Module, host: HostContext, wasi: WasiContext, commands: CommandContextOrNone) {
  const hostFunctions = createHostFunctions(host);
  const imports: WebAssembly.Imports = {};
  const importInfo: ImportInfo[] = [];
  const wasiNames: string[] = [];
  let suspends = false;
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    const isHostFunction = isHostNamespace(from) && (HOST_FUNCTION_NAMES as readonly string[]).includes(name);
    if (kind === "function" && isHostFunction) {
      (imports[from] ??= {})[name] = hostFunctions[name as keyof typeof hostFunctions];
      importInfo.push({ module: from, name, kind, status: "host function" });
    } else if (kind === "function" && isHostNamespace(from) && name === "ft_command" && commands) {
      const ftCommand = createFtCommand(commands);
      const api = jspi();
      const viaJspi = commands.transport.kind === "jspi" && api;
      (imports[from] ??= {})[name] = viaJspi ? new api.Suspending(ftCommand) : ftCommand;
      suspends ||= Boolean(viaJspi);
      importInfo.push({ module: from, name, kind, status: "host function" });
    } else if (kind === "function" && from === PREVIEW1_MODULE) {
      wasiNames.push(name);
      importInfo.push({ module: from, name, kind, status: isImplemented(name) ? "WASI" : "WASI, not implemented (ENOSYS)" });
    } else {
      throw new LoadError(
        "link",
        `the module imports ${kind} "${from}"."${name}", which the host does not provide ` +
          `(host functions: ${HOST_FUNCTION_NAMES.join(", ")}, ft_command under "env" or "frankenterm"; WASI under "${PREVIEW1_MODULE}")`,
      );
    }
  }
  if (wasiNames.length > 0) {
    const wasiImports: WebAssembly.ModuleImports = { ...createPreview1Imports(wasi, wasiNames) };
    const api = jspi();
    for (const name of wasiNames) {
      if (api && wasi.wait === "suspend" && SUSPENDING_CALLS.has(name)) {
        wasiImports[name] = new api.Suspending(wasiImports[name] as SuspendingFunction);
        suspends = true;
      }
    }
    imports[PREVIEW1_MODULE] = wasiImports;
  }
  return { imports, importInfo, suspends };
}

/**
 * The stdout/stderr lines of one call: kept up to a cap for the result, and forwarded to
 * a listener in batches at most every {@link STREAM_INTERVAL_MS} (the guest may write
 * faster than the page can draw). Time is read on each write because the worker's event
 * loop does not turn while the guest runs.
 */
class CallOutput {
  readonly kept: Record<OutputStreamName, string[]> = { stdout: [], stderr: [] };
  dropped = 0;
  private chars = 0;
  private pending: Record<OutputStreamName, string[]> = { stdout: [], stderr: [] };
  private lastSent = 0;

  constructor(private readonly listener?: OutputListener) {}

  /** Takes lines as the WASI layer completes them (bound: passed as a callback). */
  readonly add = (stream: OutputStreamName, lines: string[]): void => {
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
    if (performance.now() - this.lastSent >= STREAM_INTERVAL_MS) this.flush();
  };

  /** Forwards what is pending. */
  flush(): void {
    this.lastSent = performance.now();
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.pending[stream].length === 0) continue;
      this.listener?.(stream, this.pending[stream]);
      this.pending[stream] = [];
    }
  }
}

type CommandContextOrNone = Parameters<typeof createFtCommand>[0] | undefined;

function namespaceOf(imports: ImportInfo[]): LoadedExtension["importNamespace"] {
  const used = new Set(imports.filter((i) => i.status === "host function").map((i) => i.module));
  if (used.size === 2) return "both";
  if (used.has("env")) return "env";
  if (used.has("frankenterm")) return "frankenterm";
  return "none";
}
