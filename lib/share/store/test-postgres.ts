/**
 * For tests: a real PostgreSQL started by `scripts/postgres.sh` on a temporary data
 * directory and a free port, or the one `TEST_DATABASE_URL` names. Server only.
 */

import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = new URL("../../../scripts/postgres.sh", import.meta.url).pathname;

/** A running server: its URL, and how to stop it (removing its data). */
export interface TestPostgres {
  url: string;
  stop(): void;
}

/** Starts a throwaway server (about 2 s), unless `TEST_DATABASE_URL` gives one. */
export function startTestPostgres(): TestPostgres {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), "playground-pg-"));
  const url = execFileSync("bash", [SCRIPT, "start", dir], { encoding: "utf8" }).trim();
  return { url, stop: () => execFileSync("bash", [SCRIPT, "stop", dir]) };
}
