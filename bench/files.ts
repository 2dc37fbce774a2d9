/**
 * Node-side inputs of the bench: WAT assembled with the `wabt` package, and files of the
 * repository (the Rust test module, the built examples).
 */

import { existsSync, readFileSync } from "node:fs";
import wabtInit from "wabt";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;

let wabtPromise: Promise<Wabt> | undefined;

/**
 * Assembles WAT text into a binary module and checks it with the engine.
 * @throws {Error} when wabt rejects the text or the engine rejects the binary.
 */
export async function assemble(name: string, text: string): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await (wabtPromise ??= wabtInit());
  const module = wabt.parseWat(`${name}.wat`, text, {});
  try {
    module.resolveNames();
    module.validate();
    const bytes = new Uint8Array(module.toBinary({}).buffer);
    if (!WebAssembly.validate(bytes)) await WebAssembly.compile(bytes); // throws the engine's reason
    return bytes;
  } finally {
    module.destroy();
  }
}

/** Reads a file relative to the repository root; `undefined` when it does not exist. */
export function readRepoFile(path: string): Uint8Array<ArrayBuffer> | undefined {
  const url = new URL(`../${path}`, import.meta.url);
  return existsSync(url) ? new Uint8Array(readFileSync(url)) : undefined;
}

/** Reads a text file relative to the repository root; `undefined` when it does not exist. */
export function readRepoText(path: string): string | undefined {
  const url = new URL(`../${path}`, import.meta.url);
  return existsSync(url) ? readFileSync(url, "utf8") : undefined;
}

