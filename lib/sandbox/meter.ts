/**
 * The host side of instrumentation: typed access to the exports `instrument` injects, so
 * the executor never handles raw `WebAssembly.Global`s (an `i64` is a `bigint`, the
 * `i32` counters are unsigned, the start function may be absent).
 *
 * Protocol, per instance:
 *
 *     const { bytes, facts } = instrument(original, { fuel: true, memoryCap: true });
 *     // refuse facts.memory.initialPages above the cap before instantiating
 *     const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), imports);
 *     const meter = Meter.attach(instance);
 *     meter.setMaxPages(limits.maxMemoryBytes / pageBytes);
 *     meter.setFuel(limits.fuelPerCall);
 *     meter.runStart();                       // the original start function, metered
 *     meter.setFuel(limits.fuelPerCall);       // before every call
 *     try { exports.on_event(); } catch (error) { if (meter.outOfFuel()) ... }
 *     const used = limits.fuelPerCall - meter.fuelLeft();
 */

import { injectedExports } from "./instrument";

const u32Max = 0xffff_ffff;

export class Meter {
  private constructor(
    private readonly fuel: WebAssembly.Global | undefined,
    private readonly maxPagesGlobal: WebAssembly.Global | undefined,
    private readonly deniedGlobal: WebAssembly.Global | undefined,
    private readonly start: (() => unknown) | undefined,
  ) {}

  /**
   * Finds the injected exports of an instance of an instrumented module.
   * @throws TypeError when an export of an injected name has the wrong kind or type.
   */
  static attach(instance: WebAssembly.Instance): Meter {
    const exports = instance.exports;
    const global = (name: string, type: "bigint" | "number"): WebAssembly.Global | undefined => {
      const value = exports[name];
      if (value === undefined) return undefined;
      if (!(value instanceof WebAssembly.Global) || typeof value.value !== type) {
        throw new TypeError(`export ${name} is not a mutable ${type === "bigint" ? "i64" : "i32"} global`);
      }
      return value;
    };
    const start = exports[injectedExports.start];
    if (start !== undefined && typeof start !== "function") {
      throw new TypeError(`export ${injectedExports.start} is not a function`);
    }
    return new Meter(
      global(injectedExports.fuel, "bigint"),
      global(injectedExports.maxPages, "number"),
      global(injectedExports.growDenied, "number"),
      start === undefined ? undefined : (start as () => unknown),
    );
  }

  /** Whether the module was instrumented for fuel. */
  get metersFuel(): boolean {
    return this.fuel !== undefined;
  }

  /** Whether the module has a memory cap (instrumented with `memoryCap` and has a memory). */
  get capsMemory(): boolean {
    return this.maxPagesGlobal !== undefined;
  }

  /**
   * Sets the fuel available to the following calls.
   * @throws RangeError outside [0, 2^63); Error when the module does not meter fuel.
   */
  setFuel(fuel: bigint | number): void {
    const value = BigInt(fuel);
    if (value < 0n || value >= 1n << 63n) throw new RangeError(`fuel out of range: ${value}`);
    this.fuelGlobal().value = value;
  }

  /** Fuel left; negative after an out-of-fuel trap (the charge that failed is included). */
  fuelLeft(): bigint {
    return this.fuelGlobal().value as bigint;
  }

  /** True when the fuel is exhausted: a trap now is "out of fuel". */
  outOfFuel(): boolean {
    return this.fuel !== undefined && (this.fuel.value as bigint) < 0n;
  }

  /**
   * Sets the memory cap in 64 KiB pages (fractions rounded down, clamped to 2^32 − 1).
   * @throws Error when the module has no memory cap.
   */
  setMaxPages(pages: number): void {
    const whole = Math.min(u32Max, Math.max(0, Math.floor(pages)));
    this.capGlobal(this.maxPagesGlobal).value = whole | 0; // stored as i32, read as unsigned
  }

  /** The memory cap in pages. */
  maxPages(): number {
    return (this.capGlobal(this.maxPagesGlobal).value as number) >>> 0;
  }

  /** How many `memory.grow` calls the cap refused since instantiation (0 without a cap). */
  growDenied(): number {
    return this.deniedGlobal === undefined ? 0 : (this.deniedGlobal.value as number) >>> 0;
  }

  /** Whether the module had a start section (hoisted into `__ft_start`). */
  get hasStart(): boolean {
    return this.start !== undefined;
  }

  /** Runs the original start function, if any; returns whether one ran. Traps propagate. */
  runStart(): boolean {
    if (this.start === undefined) return false;
    this.start();
    return true;
  }

  private fuelGlobal(): WebAssembly.Global {
    if (this.fuel === undefined) throw new Error("the module was not instrumented for fuel");
    return this.fuel;
  }

  private capGlobal(global: WebAssembly.Global | undefined): WebAssembly.Global {
    if (global === undefined) throw new Error("the module has no memory cap");
    return global;
  }
}
