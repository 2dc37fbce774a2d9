/**
 * The per-instance return buffer of FrankenTerm's host (`src/wasm_host.rs`).
 *
 * As in the host code: one buffer per instance, unbounded, never cleared, and reads do not
 * consume it. `ft_get_env` replaces its content on success and leaves it alone on `-1`.
 * The playground also fills it with an event's JSON payload before a hook call (its
 * proposal for the payload ABI the documentation leaves "to be stabilized").
 */
export class ReturnBuffer {
  private content: Uint8Array = new Uint8Array(0);

  /** The current content; callers must not modify it. */
  get bytes(): Uint8Array {
    return this.content;
  }

  /** Replaces the content with `bytes` (kept by reference: pass a copy you own). */
  set(bytes: Uint8Array): void {
    this.content = bytes;
  }
}
