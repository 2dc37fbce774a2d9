/**
 * The types of the host functions, as the documentation declares them
 * (`seeds/wasm-extensions.md`; pointers and lengths are `u32`, i.e. wasm `i32`) and as
 * `wasm_host.rs` registers them. A module importing one with another type is refused at
 * link time, as wasmtime refuses it.
 */

import type { FunctionImport } from "../sandbox/import-signatures";

/** A function type: value types spelled as in the text format (`i32`, `i64`, …). */
export interface Signature {
  params: readonly string[];
  results: readonly string[];
}

/** Parameters and results of each host function. */
export const HOST_SIGNATURES: Readonly<Record<string, Signature>> = {
  ft_log: { params: ["i32", "i32", "i32"], results: [] },
  ft_get_env: { params: ["i32", "i32"], results: ["i32"] },
  ft_return_buffer_read: { params: ["i32", "i32"], results: ["i32"] },
  ft_command: { params: ["i32", "i32"], results: ["i32"] },
};

/** `(i32, i32) -> i32` */
export function formatSignature(type: Signature): string {
  return `(${type.params.join(", ")}) -> ${type.results.length === 0 ? "()" : type.results.join(", ")}`;
}

/**
 * Why `imported` does not match the host function it names, or `undefined` when it does
 * (or names no host function).
 */
export function signatureMismatch(imported: FunctionImport): string | undefined {
  const expected = HOST_SIGNATURES[imported.name];
  if (!expected) return undefined;
  const same = formatSignature(expected) === formatSignature(imported);
  return same
    ? undefined
    : `"${imported.module}"."${imported.name}" is imported as ${formatSignature(imported)}, but the host function is ${formatSignature(expected)}`;
}
