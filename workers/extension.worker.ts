/**
 * The Worker that owns one extension instance. The page reaches it through comlink and
 * never compiles or instantiates guest code itself; ending an instance is terminating
 * this Worker.
 */

import { expose } from "comlink";
import type { CompiledModule } from "../lib/cache/module-cache";
import {
  ExtensionInstance,
  LoadError,
  warmUp,
  warmUpGuest,
  type CallInputs,
  type CallResult,
  type GuestListener,
  type LoadedExtension,
  type LoadRequest,
  type LoadStage,
  type OutputListener,
} from "../lib/instance";

/**
 * The answer to `load`: the extension and its compiled module for the page's memory cache
 * (`undefined` when it came from there, or was profiled), or where and why loading failed.
 */
export type LoadResponse =
  | { ok: true; extension: LoadedExtension; compiled: CompiledModule | undefined }
  | { ok: false; error: { stage: LoadStage | "internal"; message: string; line?: number } };

/** The answer to `call`: the call's output, or why no call happened. */
export type CallResponse = { ok: true; result: CallResult } | { ok: false; error: string };

let instance: ExtensionInstance | undefined;
/** Set when a load arrives: the warm-up is for a Worker that waits, never one that loads. */
let loading = false;

const api = {
  /**
   * Loads an extension into this Worker (once; a new extension gets a new Worker).
   * @param onGuest told when the start function and `_initialize` enter and leave the guest
   *   (a comlink proxy): the page's wall-time clock runs from the moment the guest is entered.
   */
  async load(request: LoadRequest, onGuest?: GuestListener): Promise<LoadResponse> {
    loading = true;
    try {
      instance = await ExtensionInstance.load(request, onGuest);
      // A module from the page's memory cache is not sent back: the page has it, and a copy of
      // its original bytes (89 KB for notes) would only slow the answer down.
      const fromPage = instance.info.module.cache === "memory";
      return { ok: true, extension: instance.info, compiled: fromPage ? undefined : instance.compiled };
    } catch (error) {
      if (error instanceof LoadError) return { ok: false, error: { stage: error.stage, message: error.message, line: error.line } };
      return { ok: false, error: { stage: "internal", message: error instanceof Error ? error.message : String(error) } };
    }
  },

  /**
   * Calls a hook on the loaded instance; its state persists between calls.
   * @param onOutput receives stdout/stderr lines while the call runs (a comlink proxy).
   * @param onGuest told when the call enters and leaves the guest (a comlink proxy).
   * @param inputs the page's environment now (seen by `ft_get_env` from this call on) and new stdin.
   */
  async call(handler: string, payload?: string, onOutput?: OutputListener, onGuest?: GuestListener, inputs?: CallInputs): Promise<CallResponse> {
    if (!instance) return { ok: false, error: "no extension is loaded" };
    try {
      return { ok: true, result: await instance.call(handler, payload, onOutput, onGuest, inputs) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  },
};

/** The API the page sees through comlink. */
export type ExtensionWorkerApi = typeof api;

expose(api);

// A spare Worker waits for its load: it compiles the load's own code meanwhile. A Worker
// started for a load that found no spare skips it (the load compiles that code itself).
setTimeout(() => {
  if (loading) return;
  warmUp();
  void warmUpGuest();
}, 0);
