/** The error a failed load raises: where it stopped and why, before any hook ran. */

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
