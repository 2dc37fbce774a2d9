/**
 * Generates `lib/commands/schema-types.ts` from `schemas/command.schema.json` and
 * `schemas/result.schema.json` with json-schema-to-typescript.
 * Usage: `npx tsx scripts/generate-command-types.ts` (writes) or with `--check` (exits 1
 * when the file is stale). The unit tests run the same comparison.
 */

import { readFile, writeFile } from "node:fs/promises";
import { compile, type JSONSchema } from "json-schema-to-typescript";

const root = new URL("../", import.meta.url);
/** The generated file. */
export const TYPES_FILE = new URL("lib/commands/schema-types.ts", root);

const BANNER = `/**
 * Types of the command and result documents, generated from schemas/*.schema.json by
 * scripts/generate-command-types.ts (json-schema-to-typescript). Do not edit: change the
 * schemas and run \`npx tsx scripts/generate-command-types.ts\`.
 */`;

/** The generated source for the current schemas. */
export async function generateCommandTypes(): Promise<string> {
  const parts = [BANNER];
  for (const [file, name] of [
    ["schemas/command.schema.json", "CommandDocument"],
    ["schemas/result.schema.json", "ResultDocument"],
  ] as const) {
    const schema = JSON.parse(await readFile(new URL(file, root), "utf8")) as JSONSchema;
    parts.push(await compile({ ...schema, title: name }, name, { bannerComment: "", additionalProperties: false, unreachableDefinitions: true, format: true }));
  }
  return parts.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const generated = await generateCommandTypes();
  if (process.argv.includes("--check")) {
    const current = await readFile(TYPES_FILE, "utf8").catch(() => "");
    if (current !== generated) {
      console.error("lib/commands/schema-types.ts is stale: run npx tsx scripts/generate-command-types.ts");
      process.exit(1);
    }
  } else {
    await writeFile(TYPES_FILE, generated);
    console.log("wrote lib/commands/schema-types.ts");
  }
}
