/** The error a failed load raises: where it stopped and why, before any hook ran. */

import type { TrapKind } from "./traps";

/** Where loading stopped. */
export type LoadStage = "manifest" | "compile" | "limits" | "link" | "instantiate" | "start" | "initialize";

/** Loading failed; nothing of the extension ran past `stage`. */
export class LoadError extends Error {
  /**
   * @param stage where loading stopped.
   * @param message what was wrong and where.
   * @param line the manifest line, for manifest errors.
   * @param trap the trap's kind, when the start function or `_initialize` trapped.
   */
  constructor(
    readonly stage: LoadStage,
    message: string,
    readonly line?: number,
    readonly trap?: TrapKind,
  ) {
    super(message);
    this.name = "LoadError";
  }
}
