import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { generateCommandTypes, TYPES_FILE } from "../../scripts/generate-command-types";
import { checkCommandDocument, checkResultDocument } from "./validate";

const fixtures = new URL("../../schemas/fixtures/", import.meta.url);
const executor = new URL("../../executor/target/release/executor", import.meta.url).pathname;

/** The schema's verdict on exact bytes, read as schemas/fixtures/README.md prescribes. */
function schemaAccepts(bytes: Uint8Array): boolean {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    return false;
  }
  return checkCommandDocument(document) === undefined;
}

function runExecutor(bytes: Uint8Array) {
  const run = spawnSync(executor, [], { input: bytes, env: { NODE_ENV: "test" }, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, document: JSON.parse(run.stdout.toString("utf8")) as unknown };
}

describe("ajv and the executor judge every fixture alike", () => {
  assert.ok(existsSync(executor), `${executor} is missing: run scripts/executor.sh build`);
  for (const folder of ["valid", "invalid"] as const) {
    for (const name of readdirSync(new URL(`${folder}/`, fixtures)).sort()) {
      test(`${folder}/${name}`, () => {
        const bytes = readFileSync(new URL(`${folder}/${name}`, fixtures));
        const { status, document } = runExecutor(bytes);
        assert.equal(schemaAccepts(bytes), folder === "valid", "ajv's verdict");
        assert.equal(status, folder === "valid" ? 0 : 2, "the executor's exit code");
        assert.equal(checkResultDocument(document), undefined, "the executor's answer matches result.schema.json");
      });
    }
  }
});

test("a schema error names the JSON Pointer of the bad value", () => {
  assert.deepEqual(checkCommandDocument([{ action: "add", args: { a: 1, b: 2 } }, { action: "add", args: { a: "1", b: 2 } }]), {
    path: "/1/args/a",
    message: "must be integer",
  });
  assert.deepEqual(checkCommandDocument({ action: "frobnicate", args: {} }), {
    path: "/action",
    message: 'must be one of "add", "subtract", "sha256", "base64_encode", "sleep_ms", "run_binary"',
  });
  assert.deepEqual(checkCommandDocument([]), { path: "", message: "must NOT have fewer than 1 items" });
});

test("lib/commands/schema-types.ts is generated from the current schemas", async () => {
  assert.equal(readFileSync(TYPES_FILE, "utf8"), await generateCommandTypes(), "stale: run npx tsx scripts/generate-command-types.ts");
});
