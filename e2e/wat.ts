import { readFile } from "node:fs/promises";
import wabt from "wabt";

/** Compiles a WAT fixture of `e2e/fixtures/` to module bytes with the wabt npm package. */
export async function compileFixture(name: string): Promise<Buffer> {
  const text = await readFile(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
  const module = (await wabt()).parseWat(name, text);
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** A fixture file's bytes. */
export function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(`./fixtures/${name}`, import.meta.url));
}
