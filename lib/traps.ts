/**
 * The two ways a call into the guest ends early: a {@link Trap} (the guest cannot go on)
 * and {@link ProcExit} (WASI `proc_exit`). Host functions return errno for everything the
 * guest should handle itself and throw only these.
 */

/** What ended a call, by cause. */
export type TrapKind =
  | "unreachable"
  | "memory_out_of_bounds"
  | "stack_overflow"
  | "divide_by_zero"
  | "integer_overflow"
  | "invalid_conversion"
  | "indirect_call"
  | "null_reference"
  | "unaligned_atomic"
  | "data_segment_out_of_bounds"
  | "element_segment_out_of_bounds"
  | "out_of_fuel"
  | "wall_time"
  | "host"
  | "unknown";

/** A trap: the call ends and the instance's state is whatever the guest left. */
export class Trap extends Error {
  /**
   * @param kind the cause.
   * @param message what happened and where, for the user.
   */
  constructor(
    readonly kind: TrapKind,
    message: string,
  ) {
    super(message);
    this.name = "Trap";
  }
}

/** WASI `proc_exit(code)`: the guest asked to end with an exit status. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
    this.name = "ProcExit";
  }
}

/**
 * V8's `RuntimeError`s of instantiation (`WebAssembly.instantiate(): …`): an active segment
 * that does not fit, with the text the user reads. Checked first: V8 words the element
 * case as it words an out-of-bounds `call_indirect`.
 */
const INSTANTIATION_ERRORS: [RegExp, TrapKind, string][] = [
  [/data segment.*out of bounds/i, "data_segment_out_of_bounds", "an active data segment does not fit in the memory at instantiation"],
  [
    /table index is out of bounds|elem(ent)? segment.*out of bounds|table initializer is out of bounds/i,
    "element_segment_out_of_bounds",
    "an active element segment does not fit in the table at instantiation",
  ],
];
/** V8: "operation does not support unaligned accesses" (atomics must be naturally aligned). */
const UNALIGNED_ATOMIC = /unaligned access/i;
const INSTANTIATION_PREFIX = /^WebAssembly\.(?:instantiate|Instance|instantiateStreaming)\(\): /;

/** V8's `RuntimeError` messages, mapped to trap kinds. */
const RUNTIME_ERRORS: [RegExp, TrapKind][] = [
  [/unreachable/i, "unreachable"],
  [/memory access out of bounds|out of bounds memory access/i, "memory_out_of_bounds"],
  [/divide by zero|remainder by zero/i, "divide_by_zero"],
  [/integer overflow|divide result unrepresentable/i, "integer_overflow"],
  [/float unrepresentable|invalid conversion/i, "invalid_conversion"],
  [/table index is out of bounds|indirect call|function signature mismatch|null function/i, "indirect_call"],
  [/null/i, "null_reference"],
];

/** Where in the guest a trap happened: the innermost wasm frame of the error's stack. */
export interface WasmFrame {
  /** Function index in the module's function index space. */
  index: number;
  /** The name V8 took from the module's name section, when it has one. */
  name?: string;
  /** Byte offset of the instruction in the module. */
  offset: number;
}

/** V8 formats wasm frames as `at NAME (wasm://wasm/HASH:wasm-function[I]:0xOFF)`, NAME only with a name section. */
const WASM_FRAME = /at (?:(\S+) \()?wasm:\/\/wasm\/[^:]*:wasm-function\[(\d+)\]:(0x[0-9a-f]+)/;

/** The innermost wasm frame of a thrown error's stack, if any. */
export function innermostWasmFrame(error: unknown): WasmFrame | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  const match = stack ? WASM_FRAME.exec(stack) : null;
  if (!match) return undefined;
  return { index: Number(match[2]), offset: Number.parseInt(match[3] ?? "0", 16), ...(match[1] ? { name: match[1] } : {}) };
}

/**
 * `in function explode (#0)`, or `in function #2 (the module has no name section)`. No byte
 * offset: the engine runs the instrumented module (lib/sandbox), whose offsets are not the
 * user's; function indices are the same in both.
 */
export function describeFrame(frame: WasmFrame): string {
  return frame.name ? `in function ${frame.name} (#${frame.index})` : `in function #${frame.index} (the module has no name section)`;
}

/**
 * Classifies what a call into the guest threw.
 * @returns the kind and a message that says where, when the stack names a wasm function;
 *   a `Trap` thrown by the host keeps its own kind and message.
 */
export function classifyThrown(error: unknown): { kind: TrapKind; message: string } {
  if (error instanceof Trap) return { kind: error.kind, message: error.message };
  const frame = innermostWasmFrame(error);
  const where = frame ? ` ${describeFrame(frame)}` : "";
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return { kind: "stack_overflow", message: `call stack exhausted${where} (unbounded recursion?)` };
  }
  if (error instanceof WebAssembly.RuntimeError && INSTANTIATION_PREFIX.test(error.message)) {
    const engine = error.message.replace(INSTANTIATION_PREFIX, "");
    const segment = INSTANTIATION_ERRORS.find(([pattern]) => pattern.test(engine));
    if (segment) return { kind: segment[1], message: `${segment[2]} (${engine})` };
    return { kind: "unknown", message: engine };
  }
  if (error instanceof WebAssembly.RuntimeError && UNALIGNED_ATOMIC.test(error.message)) {
    return { kind: "unaligned_atomic", message: `misaligned atomic access${where}: the address is not a multiple of the access size (${error.message})` };
  }
  if (error instanceof WebAssembly.RuntimeError) {
    const match = RUNTIME_ERRORS.find(([pattern]) => pattern.test(error.message));
    return { kind: match?.[1] ?? "unknown", message: `${error.message}${where}` };
  }
  return { kind: "host", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
