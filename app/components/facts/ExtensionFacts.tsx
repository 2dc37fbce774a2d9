import type { TransportKind } from "../../../lib/commands/transport";
import type { LoadedExtension } from "../../../lib/instance";

const NAMESPACE_NOTE: Record<LoadedExtension["importNamespace"], string> = {
  env: 'Host functions imported from "env": the documentation\'s form (its Rust and TinyGo examples)',
  frankenterm: 'Host functions imported from "frankenterm": the host code\'s form (wasm_host.rs registers this namespace)',
  both: 'Host functions imported from both "env" and "frankenterm"',
  none: "No host functions imported: the module uses WASI only",
};

const HOOK_FORM_NOTE: Record<LoadedExtension["manifest"]["hookForm"], string> = {
  documented:
    "Hooks declared as [[hooks]] event/handler entries, the documentation's form. FrankenTerm's current loader (src/manifest.rs) " +
    "reads only the [hooks] table, so there this manifest would load with no hooks; the playground calls them as declared.",
  "host-code": 'Hooks declared as a [hooks] table of event = "handler": the host code\'s form, which FrankenTerm\'s loader reads.',
  none: "No hooks declared.",
};

const CACHE_NOTE: Record<LoadedExtension["module"]["cache"], string> = {
  memory: "memory cache hit: the compiled module was reused",
  indexeddb: "IndexedDB cache hit: instrumented bytes reused, compiled",
  disk: "disk cache hit: instrumented bytes reused, compiled",
  none: "cache miss: validated, instrumented and compiled",
};

const FILESYSTEM_FORM_NOTE: Record<LoadedExtension["manifest"]["permissions"]["filesystemForm"], string> = {
  "host-code": 'the host code\'s filesystem = ["read:P", "write:P"] form',
  documented: "the documentation's filesystem_read / filesystem_write form",
  both: "both the host code's and the documentation's forms",
  none: "no permissions: deny by default",
};

const TRANSPORT_NOTE: Record<TransportKind, string> = {
  jspi: "JSPI: the guest is suspended (WebAssembly.Suspending) while fetch runs",
  atomics: "Atomics.wait: a helper worker fetches into shared memory while this one blocks",
  "sync-xhr": "a synchronous XMLHttpRequest from the worker (no JSPI, page not cross-origin isolated)",
  "parent-thread": "the CLI: the worker thread blocks in Atomics.wait while its main thread runs the executor",
};

/**
 * What the playground learned about the loaded module and manifest, and which spelling each used.
 * @param fileName the name of the module file loaded, checked against `[engine] entry`.
 * `instanceId` counts loads on the page (a fresh one per instance), exposed as `data-instance-id`.
 */
export function ExtensionFacts({ extension, fileName, instanceId }: { extension: LoadedExtension; fileName: string; instanceId: number }) {
  const { manifest } = extension;
  const { network, paneAccess } = manifest.permissions;
  return (
    <section
      className="max-h-60 space-y-1 overflow-auto rounded border border-zinc-800 p-2 text-xs"
      data-testid="extension-facts"
      data-instance-id={instanceId}
      data-extension-name={manifest.extension.name}
    >
      <p>
        <span className="font-semibold">{manifest.extension.name}</span> {manifest.extension.version}
        {manifest.extension.description ? <span className="text-zinc-400"> · {manifest.extension.description}</span> : null}
      </p>
      <p data-testid="module-cache" className="text-zinc-400">
        Module sha256 {extension.module.sha256.slice(0, 12)}… · {extension.module.byteLength.toLocaleString("en")} bytes ·{" "}
        {CACHE_NOTE[extension.module.cache]} in {extension.module.prepareMs.toFixed(1)} ms
      </p>
      <p data-testid="engine-entry" className="text-zinc-400">
        [engine] type = {manifest.engine.type}, entry = {manifest.engine.entry}
        {manifest.engine.entry !== fileName ? (
          <span className="text-amber-300" data-testid="entry-warning">
            {" "}
            · the module loaded is {fileName}: FrankenTerm loads {manifest.engine.entry} from the extension&apos;s folder, so rename the
            file or set entry = &quot;{fileName}&quot;
          </span>
        ) : null}
      </p>
      <p data-testid="import-namespace">{NAMESPACE_NOTE[extension.importNamespace]}</p>
      <p data-testid="hook-form">{HOOK_FORM_NOTE[manifest.hookForm]}</p>
      <p data-testid="network-pane" className="text-zinc-400">
        network = {String(network)}, pane_access = {String(paneAccess)}: the host ABI has no network or pane host function yet
        (FrankenTerm&apos;s neither), so here neither setting grants or withholds anything; pane events still reach hooks as payloads.
        {network ? "" : " ft_command, the playground's addition, is governed by [permissions] commands instead."}
      </p>
      {extension.commandTransport ? (
        <p data-testid="command-transport">
          ft_command (the playground&apos;s addition to the ABI) reaches the executor by {TRANSPORT_NOTE[extension.commandTransport]};
          permitted actions: {manifest.permissions.commands.join(", ") || "none (deny by default)"}
        </p>
      ) : null}
      <p data-testid="preopens">
        Filesystem ({FILESYSTEM_FORM_NOTE[manifest.permissions.filesystemForm]}):{" "}
        {extension.preopens.length > 0
          ? extension.preopens.map((p, i) => `fd ${i + 3} = ${p}`).join(", ")
          : "no preopens"}
        {manifest.permissions.filesystemRead.length + manifest.permissions.filesystemWrite.length > 0
          ? ` · read: ${manifest.permissions.filesystemRead.join(", ") || "–"} · write: ${manifest.permissions.filesystemWrite.join(", ") || "–"}`
          : ""}
      </p>
      <p className="text-zinc-400">
        {extension.reactor ? "WASI reactor: _initialize ran once at load. " : ""}
        {extension.command ? "WASI command: exports _start. " : ""}
        Imports: {extension.imports.map((i) => `${i.module}.${i.name}${i.status.includes("ENOSYS") ? " (ENOSYS)" : ""}`).join(", ") || "none"}
      </p>
      <p className="text-zinc-400">
        Permitted environment: {manifest.permissions.environment.join(", ") || "none (deny by default)"} · limits:{" "}
        {manifest.limits.maxMemoryBytes / 1048576} MiB, {manifest.limits.fuelPerCall.toLocaleString("en")} fuel, {manifest.limits.maxWallTimeSecs} s
        per call (enforced)
      </p>
      {manifest.warnings.map((w) => (
        <p key={w} className="text-amber-300">
          {w}
        </p>
      ))}
    </section>
  );
}
