/**
 * The host side of the fuel profile: the `__ft_prof_<N>` globals `instrument` adds with
 * `profile` (see `instrument.ts`), zeroed before a call and read after it, so each defined
 * function's share of the call's fuel is known. Self fuel only: a function's count is the
 * fuel of its own regions, not of the functions it calls.
 */

import { PROFILE_EXPORT_PREFIX } from "./instrument";

/** One function's fuel in a call. */
export interface FunctionFuel {
  /** Function index (imports included). */
  readonly index: number;
  /** Fuel charged in the function's own code. */
  readonly fuel: number;
}

/** The profile globals of one instance. */
export class FuelProfile {
  private constructor(private readonly globals: readonly { index: number; global: WebAssembly.Global }[]) {}

  /** The profile of an instance of a module instrumented with `profile`, or `undefined` without it. */
  static attach(instance: WebAssembly.Instance): FuelProfile | undefined {
    const globals: { index: number; global: WebAssembly.Global }[] = [];
    for (const [name, value] of Object.entries(instance.exports)) {
      if (!name.startsWith(PROFILE_EXPORT_PREFIX) || !(value instanceof WebAssembly.Global)) continue;
      globals.push({ index: Number(name.slice(PROFILE_EXPORT_PREFIX.length)), global: value });
    }
    return globals.length > 0 ? new FuelProfile(globals) : undefined;
  }

  /** Zeroes every count (before a call). */
  reset(): void {
    for (const { global } of this.globals) global.value = 0n;
  }

  /** The functions that used fuel since {@link reset}, most first. */
  read(): FunctionFuel[] {
    const used: FunctionFuel[] = [];
    for (const { index, global } of this.globals) {
      const fuel = Number(global.value as bigint);
      if (fuel > 0) used.push({ index, fuel });
    }
    return used.sort((a, b) => b.fuel - a.fuel || a.index - b.index);
  }
}
