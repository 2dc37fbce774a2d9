/**
 * The guest modules of the benchmark, as WAT text, with their memory layouts and helpers
 * to link and call them. Nothing here needs Node: the Chromium run imports it too.
 *
 * The text is assembled in Node (`bench/files.ts`); a browser run receives the same binaries.
 *
 * Every call-cost guest loops `n` times around one import and returns something derived
 * from what the import did (a byte count, an errno mask, a checksum), so the bench can
 * verify the work before timing it and the engine cannot drop the calls. The memory
 * layouts are exported so the bench reads the same addresses the WAT writes.
 */

/** Escapes bytes for a WAT string literal (`\hh` for anything but letters, digits, space). */
function watString(text: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9 _.,:-]/.test(char) ? char : `\\${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** Text of exactly `length` ASCII bytes, for log messages. */
function asciiOfLength(length: number): string {
  const unit = "ft_log payload 0123456789 ";
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

// ---------------------------------------------------------------------------------------
// Host ABI guest: ft_log, ft_get_env, ft_return_buffer_read

/** Addresses and contents of the host-ABI guest's data. */
export const hostLayout = {
  /** `ft_get_env` key. */
  key: { ptr: 128, text: "FT_THEME" },
  /** A 16-byte log message. */
  short: { ptr: 256, text: asciiOfLength(16) },
  /** A 200-byte log message. */
  long: { ptr: 512, text: asciiOfLength(200) },
  /** Where `ft_return_buffer_read` copies to. */
  out: { ptr: 1024, len: 64 },
} as const;

/**
 * Imports the three host functions from `env`; exports
 * - `log_loop(n, ptr, len)`: `n` × `ft_log(2, ptr, len)`;
 * - `env_loop(n) -> i32`: `n` × (`ft_get_env(key)` + `ft_return_buffer_read(out, 64)`),
 *   returning the sum of both results (value length × 2 per pair when all succeed).
 */
export function hostGuestWat(): string {
  const { key, short, long, out } = hostLayout;
  return `(module
  (import "env" "ft_log" (func $ft_log (param i32 i32 i32)))
  (import "env" "ft_get_env" (func $ft_get_env (param i32 i32) (result i32)))
  (import "env" "ft_return_buffer_read" (func $ft_return_buffer_read (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const ${key.ptr}) "${watString(key.text)}")
  (data (i32.const ${short.ptr}) "${watString(short.text)}")
  (data (i32.const ${long.ptr}) "${watString(long.text)}")
  (func (export "log_loop") (param $n i32) (param $ptr i32) (param $len i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $ft_log (i32.const 2) (local.get $ptr) (local.get $len))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "env_loop") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum)
          (call $ft_get_env (i32.const ${key.ptr}) (i32.const ${key.text.length}))))
        (local.set $sum (i32.add (local.get $sum)
          (call $ft_return_buffer_read (i32.const ${out.ptr}) (i32.const ${out.len}))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum)))`;
}

// ---------------------------------------------------------------------------------------
// WASI guest: fd_write, clock_time_get, random_get (a reactor every runtime accepts)

/** Addresses of the WASI guest's data. */
export const wasiLayout = {
  /** One `ciovec` pointing at {@link wasiLayout.line}. */
  iovec: 0,
  /** `fd_write`'s `nwritten`. */
  nwritten: 16,
  /** `clock_time_get`'s `time`. */
  time: 24,
  /** `random_get`'s 16-byte buffer. */
  random: 32,
  /** XOR of every random buffer seen by the last `random_loop`. */
  randomXor: 48,
  /** The 32-byte line written to stdout. */
  line: { ptr: 64, text: "benchmark line 0123456789abcdef\n" },
  /** Bytes `random_loop` asks for per call. */
  randomBytes: 16,
} as const;

/**
 * A WASI reactor (exports `memory` and an empty `_initialize`, no `_start`), so that
 * node:wasi's `initialize`, browser_wasi_shim's `initialize` and runno's `initialize` all
 * accept it. Exports
 * - `write_loop(n) -> i32`: `n` × `fd_write(1, [line], 1, &nwritten)`; the sum of
 *   `nwritten`, or -1 when any call returned an errno;
 * - `clock_loop(n) -> i32`: `n` × `clock_time_get(MONOTONIC, 1000, &time)`; the OR of the
 *   errnos, plus `0x10000` if time ever went backwards;
 * - `random_loop(n) -> i32`: `n` × `random_get(buf, 16)`, XOR-folding every buffer into
 *   `randomXor`; the OR of the errnos.
 */
export function wasiGuestWat(): string {
  const l = wasiLayout;
  if (l.line.text.length !== 32) throw new Error("the stdout line must be 32 bytes");
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const ${l.iovec}) "\\${hex8(l.line.ptr)}\\00\\00\\00\\${hex8(l.line.text.length)}\\00\\00\\00")
  (data (i32.const ${l.line.ptr}) "${watString(l.line.text)}")
  (func (export "_initialize"))
  (func (export "write_loop") (param $n i32) (result i32)
    (local $i i32) (local $total i32) (local $errors i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $errors (i32.or (local.get $errors)
          (call $fd_write (i32.const 1) (i32.const ${l.iovec}) (i32.const 1) (i32.const ${l.nwritten}))))
        (local.set $total (i32.add (local.get $total) (i32.load (i32.const ${l.nwritten}))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (select (local.get $total) (i32.const -1) (i32.eqz (local.get $errors))))
  (func (export "clock_loop") (param $n i32) (result i32)
    (local $i i32) (local $errors i32) (local $previous i64) (local $now i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $errors (i32.or (local.get $errors)
          (call $clock_time_get (i32.const 1) (i64.const 1000) (i32.const ${l.time}))))
        (local.set $now (i64.load (i32.const ${l.time})))
        (if (i64.lt_u (local.get $now) (local.get $previous))
          (then (local.set $errors (i32.or (local.get $errors) (i32.const 0x10000)))))
        (local.set $previous (local.get $now))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $errors))
  (func (export "random_loop") (param $n i32) (result i32)
    (local $i i32) (local $errors i32) (local $xor i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $errors (i32.or (local.get $errors)
          (call $random_get (i32.const ${l.random}) (i32.const ${l.randomBytes}))))
        (local.set $xor (i64.xor (local.get $xor)
          (i64.xor (i64.load (i32.const ${l.random})) (i64.load (i32.const ${l.random + 8})))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i64.store (i32.const ${l.randomXor}) (local.get $xor))
    (local.get $errors)))`;
}

function hex8(value: number): string {
  if (value > 0xff) throw new Error(`${value} does not fit one byte`);
  return value.toString(16).padStart(2, "0");
}

// ---------------------------------------------------------------------------------------
// Compute guest for the fuel overhead: no imports, pure work

/** Bytes the FNV-1a guest hashes per call. */
export const fnvBytes = 65536;

/**
 * Exports
 * - `fill(len)`: fills `memory[0..len)` with a byte pattern;
 * - `fnv1a(len) -> i32`: FNV-1a over `memory[0..len)` (a tight load/xor/mul loop);
 * - `fib(n) -> i32`: naive recursive Fibonacci (call-heavy: a function entry per node).
 */
export function computeGuestWat(): string {
  return `(module
  (memory (export "memory") 2)
  (func (export "fill") (param $len i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 (local.get $i) (i32.mul (local.get $i) (i32.const 31)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "fnv1a") (param $len i32) (result i32)
    (local $i i32) (local $hash i32)
    (local.set $hash (i32.const 0x811c9dc5))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $hash (i32.mul
          (i32.xor (local.get $hash) (i32.load8_u (local.get $i)))
          (i32.const 16777619)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $hash))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add
        (call $fib (i32.sub (local.get $n) (i32.const 1)))
        (call $fib (i32.sub (local.get $n) (i32.const 2))))))))`;
}

// ---------------------------------------------------------------------------------------
// Shipped binaries and helpers

const NONCE_NAME = new TextEncoder().encode("bench-nonce");

/**
 * A copy of `bytes` with a custom section holding `nonce` appended. V8 shares compiled
 * code between modules with identical wire bytes (its native module cache), so timing
 * repeated compiles of the same bytes measures a cache hit; a custom section changes the
 * bytes and nothing else (custom sections have no semantics, Core Spec §5.5.3).
 */
export function withNonce(bytes: Uint8Array, nonce: number): Uint8Array<ArrayBuffer> {
  const content = 1 + NONCE_NAME.length + 4; // name length, name, u32 payload
  if (content >= 0x80) throw new Error("the nonce section must fit one-byte LEB128 sizes");
  const out = new Uint8Array(bytes.length + 2 + content);
  out.set(bytes);
  let at = bytes.length;
  out[at++] = 0; // custom section id
  out[at++] = content;
  out[at++] = NONCE_NAME.length;
  out.set(NONCE_NAME, at);
  at += NONCE_NAME.length;
  new DataView(out.buffer).setUint32(at, nonce >>> 0, true);
  return out;
}

/** Import object that satisfies every function import of `module` with `() => 0`. */
export function stubImports(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: WebAssembly.Imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function") throw new Error(`cannot stub ${kind} import ${from}.${name}`);
    (imports[from] ??= {})[name] = () => 0;
  }
  return imports;
}

/** A wasm export called with numbers or BigInts. */
export type ExportedFunction = (...args: (number | bigint)[]) => unknown;

/** The exported function `name` of `instance`. @throws {Error} when it is missing. */
export function exportedFunction(instance: WebAssembly.Instance, name: string): ExportedFunction {
  const value = instance.exports[name];
  if (typeof value !== "function") throw new Error(`the guest does not export a function "${name}"`);
  return value as ExportedFunction;
}

/** The exported `memory` of `instance`. @throws {Error} when it is missing. */
export function exportedMemory(instance: WebAssembly.Instance): WebAssembly.Memory {
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error("the guest does not export its memory");
  return memory;
}

/** A wasm result as a number (`i64` results arrive as BigInts). */
export function asNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  throw new Error(`expected a numeric result, got ${typeof value}`);
}
