/**
 * JSPI, the WebAssembly JavaScript Promise Integration (W3C WebAssembly CG, shipped in
 * Chromium 137+): an import wrapped in `WebAssembly.Suspending` may return a Promise, and
 * the guest, entered through `WebAssembly.promising`, is suspended until it settles. This
 * is how a synchronous guest waits for `fetch` or a timer. Feature-detected, since the
 * TypeScript DOM types do not declare it yet.
 */

/** A function the guest imports that may return a Promise. */
export type SuspendingFunction = (...args: never[]) => Promise<unknown> | unknown;

/** The two JSPI entry points. */
export interface Jspi {
  /** Wraps an import so that a Promise it returns suspends the guest; usable as an import value. */
  Suspending: new (fn: SuspendingFunction) => WebAssembly.ImportValue;
  /** Wraps an export so that calling it returns a Promise and allows suspension inside. */
  promising(fn: (...args: never[]) => unknown): (...args: unknown[]) => Promise<unknown>;
}

/** JSPI if this engine has it. */
export function jspi(): Jspi | undefined {
  const api = WebAssembly as unknown as Partial<Jspi>;
  return typeof api.Suspending === "function" && typeof api.promising === "function" ? (api as Jspi) : undefined;
}
