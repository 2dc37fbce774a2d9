/**
 * Linking: every import of a module resolved to a host function, a WASI preview1 function
 * (or its ENOSYS stub), or refused. Imports that may suspend the guest (`ft_command` over
 * JSPI, `poll_oneoff` on a clock) are wrapped in `WebAssembly.Suspending`.
 */

import type { CallRecorder } from "./abi/call-recorder";
import { createFtCommand } from "./abi/ft-command";
import { createHostFunctions, HOST_FUNCTION_NAMES, type HostContext } from "./abi/host-functions";
import { jspi, type SuspendingFunction } from "./jspi";
import { LoadError } from "./load-error";
import type { WasiContext } from "./wasi/context";
import { createPreview1Imports, isImplemented, maySuspend, PREVIEW1_MODULE } from "./wasi/preview1";

/** The import namespaces under which the host functions are provided. */
export const HOST_NAMESPACES = ["env", "frankenterm"] as const;

/** One import of the module, as the UI lists it. */
export interface ImportInfo {
  module: string;
  name: string;
  kind: string;
  /** How the playground resolves it. */
  status: "host function" | "WASI" | "WASI, not implemented (ENOSYS)";
}

/** True for the namespaces the host functions are provided under. */
export function isHostNamespace(module: string): boolean {
  return (HOST_NAMESPACES as readonly string[]).includes(module);
}

/**
 * Resolves every import of `module`; an import the host does not provide is a {@link LoadError}.
 * @param recorder when given and active, host functions and WASI calls
 *   are wrapped so that each call is recorded; absent or inactive, nothing is wrapped.
 * @returns the import object, what each import resolved to, and whether any import may
 *   suspend the guest (then hooks must be entered through `WebAssembly.promising`).
 */
export function link(module: WebAssembly.Module, host: HostContext, wasi: WasiContext, commands: CommandContextOrNone, recorder?: CallRecorder) {
  const hostFunctions = createHostFunctions(host);
  const record = recorder?.active ? recorder : undefined;
  const imports: WebAssembly.Imports = {};
  const importInfo: ImportInfo[] = [];
  const wasiNames: string[] = [];
  let suspends = false;
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    const isHostFunction = isHostNamespace(from) && (HOST_FUNCTION_NAMES as readonly string[]).includes(name);
    if (kind === "function" && isHostFunction) {
      const fn = hostFunctions[name as keyof typeof hostFunctions];
      (imports[from] ??= {})[name] = record ? record.wrap(from, name, fn) : fn;
      importInfo.push({ module: from, name, kind, status: "host function" });
    } else if (kind === "function" && isHostNamespace(from) && name === "ft_command" && commands) {
      const created = createFtCommand(commands);
      const ftCommand = record ? record.wrap(from, name, created) : created;
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
      if (record?.active) wasiImports[name] = record.wrap(PREVIEW1_MODULE, name, wasiImports[name] as SuspendingFunction);
      if (api && wasi.wait === "suspend" && maySuspend(name)) {
        wasiImports[name] = new api.Suspending(wasiImports[name] as SuspendingFunction);
        suspends = true;
      }
    }
    imports[PREVIEW1_MODULE] = wasiImports;
  }
  return { imports, importInfo, suspends };
}

type CommandContextOrNone = Parameters<typeof createFtCommand>[0] | undefined;

/** Which namespace the host-function imports used: `env` (docs), `frankenterm` (host code). */
export function namespaceOf(imports: ImportInfo[]): "env" | "frankenterm" | "both" | "none" {
  const used = new Set(imports.filter((i) => i.status === "host function").map((i) => i.module));
  if (used.size === 2) return "both";
  if (used.has("env")) return "env";
  if (used.has("frankenterm")) return "frankenterm";
  return "none";
}
