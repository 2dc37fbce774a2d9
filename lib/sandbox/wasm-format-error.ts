/**
 * The one error the instrumenter throws.
 *
 * Every problem found while reading a module (bad header, a length that runs past its
 * section, an unknown opcode, an instruction we decline to rewrite) becomes a
 * {@link WasmFormatError} that says where it is, in the form the UI shows to the user:
 *
 *     section 10 (code), function 3 at offset 0x1a3: unexpected end of function body
 *
 * Offsets are byte offsets into the module as given to `instrument`, the same numbers
 * `wasm-objdump -x` and `wasm-tools print --offsets` report.
 */

/** A malformed module, or one that uses a feature the instrumenter does not rewrite. */
export class WasmFormatError extends Error {
  /**
   * @param where the part of the module being read: `"module header"`,
   *   `"section 10 (code)"`, `"section 10 (code), function 3"`.
   * @param offset byte offset into the original module where the problem starts.
   * @param reason what is wrong, without the location.
   * @param unsupported `true` when the module may well be valid WebAssembly but uses a
   *   feature this instrumenter does not support (exception handling, memory64, GC, …);
   *   `false` when the bytes are malformed per the WebAssembly Core Specification §5.
   */
  constructor(
    readonly where: string,
    readonly offset: number,
    readonly reason: string,
    readonly unsupported: boolean = false,
  ) {
    super(`${where} at offset ${formatOffset(offset)}: ${reason}`);
    this.name = "WasmFormatError";
  }
}

/** `0x1a3`: offsets in messages are lower-case hex, as wasm tools print them. */
export function formatOffset(offset: number): string {
  return `0x${offset.toString(16)}`;
}

/** `0xfd 0x9a`: an opcode (and sub-opcode) as bytes, for messages. */
export function formatOpcode(opcode: number, subOpcode?: number): string {
  const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;
  return subOpcode === undefined ? hex(opcode) : `${hex(opcode)} ${hex(subOpcode)}`;
}
