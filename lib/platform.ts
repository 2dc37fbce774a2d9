/**
 * What differs between the hosts that run {@link ExtensionInstance}: the page's Web Worker
 * and the CLI's `worker_threads` Worker. Everything else in `lib/` is the same code.
 *
 * - the module cache's disk layer: IndexedDB in the browser, files in the CLI;
 * - how `ft_command` reaches the executor: through the route (JSPI `fetch`, `Atomics.wait`
 *   on a helper Worker, or a synchronous XHR) in the browser; in the CLI the worker thread
 *   blocks in `Atomics.wait` while its parent thread runs the executor.
 *
 * Waits (`poll_oneoff` on a clock) need no entry here: they suspend where the engine has
 * JSPI and block the thread where it has none (Node 20), chosen in lib/instance.ts.
 * The browser's platform is the default; the CLI passes its own (cli/node-platform.ts).
 */

import { indexedDbStore, type ModuleStore } from "./cache/module-cache";
import { chooseTransport, type CommandTransport, type TransportKind } from "./commands/transport";

/** The host-specific pieces of an instance. */
export interface HostPlatform {
  /** The module cache's disk layer. */
  moduleStore: ModuleStore;
  /**
   * The `ft_command` transport, created once per instance that imports `ft_command`.
   * @param forced a transport the caller asked for by name (the page's `?transport=`).
   * @throws {Error} when `forced` is not available on this host.
   */
  commandTransport(forced?: TransportKind): Promise<CommandTransport>;
}

/** The page's Web Worker. */
export const browserPlatform: HostPlatform = { moduleStore: indexedDbStore, commandTransport: chooseTransport };
