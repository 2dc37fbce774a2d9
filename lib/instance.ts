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
import { createHostFunctions, HOST_FUNCTION_NAMES, type HostContext } from "./abi/host-functions";
import { LogSink, type LogLine } from "./abi/log-sink";
import { ReturnBuffer } from "./abi/return-buffer";
import { AuditTrail, type AuditEntry } from "./audit/trail";
import { chooseTransport, type CommandTransport, type TransportKind } from "./commands/transport";
import { jspi } from "./jspi";
import { ManifestError, parseManifest } from "./manifest/parse";
import type { Manifest } from "./manifest/types";
import { GuestMemory } from "./memory";
import { classifyThrown, ProcExit, type TrapKind } from "./traps";
import { createWasiContext, type WasiContext } from "./wasi/context";
import { createPreview1Imports, isImplemented, PREVIEW1_MODULE } from "./wasi/preview1";

/** `ft_log` lines kept per call; the rest are counted (a log flood must not freeze the page). */
export const LOG_LINES_PER_CALL = 1_000;
/** Audit records returned per call: the newest ones; older ones are counted. */
export const AUDIT_RECORDS_PER_CALL = 1_000;

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
}

/** Where loading stopped. */
export type LoadStage = "manifest" | "compile" | "link" | "instantiate" | "initialize";

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
  /** How `ft_command` reaches the route, when the module imports it. */
  commandTransport?: TransportKind;
  /** True when hooks are entered through `WebAssembly.promising` (an import may suspend). */
  suspends: boolean;
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
  stdout: string[];
  stderr: string[];
  /** The newest audit records of this call (at most {@link AUDIT_RECORDS_PER_CALL}). */
  audit: AuditEntry[];
  /** Audit records of this call not returned. */
  droppedAudit: number;
  /** Wall time of the call, in milliseconds. */
  durationMs: number;
  /** Linear memory size after the call, in bytes (0 without memory). */
  memoryBytes: number;
  /** Present when the call trapped. */
  trap?: { kind: TrapKind; message: string };
  /** Present when the guest called `proc_exit`. */
  exitCode?: number;
}

/** A loaded, instantiated extension. */
export class ExtensionInstance {
  private constructor(
    readonly info: LoadedExtension,
    private readonly exports: WebAssembly.Exports,
    private readonly host: HostContext,
    private readonly wasi: WasiContext,
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
    const module = await compile(request.bytes);
    checkHooks(manifest, request.manifestSource, module);

    const memory = new GuestMemory();
    const audit = new AuditTrail(manifest.extension.name);
    const env = createEnvironment(request.env, manifest.permissions.environment);
    const host: HostContext = { memory, audit, logs: new LogSink(LOG_LINES_PER_CALL), returnBuffer: new ReturnBuffer(), env };
    const wasi = createWasiContext(memory, audit, { args: [request.fileName], env: env.permitted() });
    const importsCommand = WebAssembly.Module.imports(module).some((i) => i.name === "ft_command" && isHostNamespace(i.module));
    const transport = importsCommand ? await chooseTransport(request.commandTransport) : undefined;
    const commandContext = transport ? { memory, audit, returnBuffer: host.returnBuffer, permitted: manifest.permissions.commands, transport } : undefined;
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

    const info: LoadedExtension = {
      manifest,
      importNamespace: namespaceOf(importInfo),
      imports: importInfo,
      exports: WebAssembly.Module.exports(module),
      reactor: typeof instance.exports._initialize === "function",
      suspends,
      ...(transport ? { commandTransport: transport.kind } : {}),
    };
    const loaded = new ExtensionInstance(info, instance.exports, host, wasi);
    if (info.reactor) {
      const result = await loaded.call("_initialize");
      info.initialization = result;
      if (result.trap) throw new LoadError("initialize", `_initialize trapped (${result.trap.kind}): ${result.trap.message}`);
    }
    return loaded;
  }

  /**
   * Calls an exported no-argument function (a hook) on the live instance.
   * @param handler the export's name.
   * @param payload JSON placed in the return buffer before the call (the playground's
   *   proposal for event payloads); `undefined` leaves the buffer as it is.
   * @throws {Error} when `handler` is not an exported function.
   */
  async call(handler: string, payload?: string): Promise<CallResult> {
    const fn = this.exports[handler];
    if (typeof fn !== "function") throw new Error(`the module does not export a function "${handler}"`);
    if (payload !== undefined) this.host.returnBuffer.set(new TextEncoder().encode(payload));
    const auditStart = this.host.audit.total;
    const started = performance.now();
    let trap: CallResult["trap"];
    let exitCode: number | undefined;
    try {
      await this.invoke(fn as () => unknown);
    } catch (error) {
      if (error instanceof ProcExit) exitCode = error.code;
      else trap = classifyThrown(error);
    }
    const durationMs = performance.now() - started;
    const stdout = this.wasi.stdout.drain(true);
    const stderr = this.wasi.stderr.drain(true);
    const droppedLogs = this.host.logs.dropped;
    const written = this.host.audit.total - auditStart;
    return {
      handler,
      logs: this.host.logs.drain(),
      droppedLogs,
      stdout: stdout.lines,
      stderr: stderr.lines,
      audit: this.host.audit.entries(Math.max(auditStart, this.host.audit.total - AUDIT_RECORDS_PER_CALL)),
      droppedAudit: Math.max(0, written - AUDIT_RECORDS_PER_CALL),
      durationMs,
      memoryBytes: this.host.memory.size,
      ...(trap ? { trap } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
    };
  }
}

function readManifest(source: string): Manifest {
  try {
    return parseManifest(source);
  } catch (error) {
    if (error instanceof ManifestError) throw new LoadError("manifest", error.message, error.line);
    throw error;
  }
}

async function compile(bytes: Uint8Array): Promise<WebAssembly.Module> {
  try {
    return await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^WebAssembly\.compile\(\): /, "") : String(error);
    throw new LoadError("compile", `not a valid WebAssembly module (${bytes.length} bytes): ${message}`);
  }
}

/** Every hook's handler must be an exported function, checked before anything runs. */
function checkHooks(manifest: Manifest, source: string, module: WebAssembly.Module): void {
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
  void source;
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
  if (wasiNames.length > 0) imports[PREVIEW1_MODULE] = createPreview1Imports(wasi, wasiNames);
  return { imports, importInfo, suspends };
}

type CommandContextOrNone = Parameters<typeof createFtCommand>[0] | undefined;

function namespaceOf(imports: ImportInfo[]): LoadedExtension["importNamespace"] {
  const used = new Set(imports.filter((i) => i.status === "host function").map((i) => i.module));
  if (used.size === 2) return "both";
  if (used.has("env")) return "env";
  if (used.has("frankenterm")) return "frankenterm";
  return "none";
}
