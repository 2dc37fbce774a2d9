/**
 * `test <spec.toml>…`: runs each spec (cli/spec/) and prints TAP (default) or JUnit XML on
 * stdout. Exit status 0 when every expectation held, 1 when one did not, 3 for a spec
 * that cannot be used (named with its file, line and key, on stderr).
 */

import { parseArgs } from "node:util";
import { ExitStatus, UsageError } from "./errors";
import { defaultCacheDir } from "./module-store";
import { jsonLines } from "./report-json";
import { stylesFor, textLines } from "./report-text";
import { usageMessage } from "./run-args";
import { formatJunit } from "./spec/junit";
import { runSpec, type SpecOutcome } from "./spec/run-spec";
import { formatTap } from "./spec/tap";
import { TEST_USAGE } from "./test-usage";

/** Runs `test`; returns the exit status. */
export async function runTestCommand(argv: readonly string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string" },
        verbose: { type: "boolean" },
        json: { type: "boolean" },
        "cache-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(usageMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(`${TEST_USAGE}\n`);
    return ExitStatus.ok;
  }
  const format = values.format ?? "tap";
  if (format !== "tap" && format !== "junit") throw new UsageError(`--format ${format}: expected tap or junit`);
  if (positionals.length === 0) throw new UsageError("test needs at least one spec: extension-playground test <spec.toml>");

  const emit = values.verbose ? (values.json ? jsonLines(err) : textLines(err, stylesFor(err))) : undefined;
  const cacheDir = values["cache-dir"] ?? defaultCacheDir();
  const outcomes: SpecOutcome[] = [];
  // Specs are read and run one at a time; a spec that cannot be used stops the command
  // (SpecError/InputError reach main, which prints it with status 3).
  for (const file of positionals) outcomes.push(await runSpec(file, cacheDir, emit));
  out.write(format === "tap" ? formatTap(outcomes) : formatJunit(outcomes));
  return outcomes.every((o) => o.points.every((p) => p.ok)) ? ExitStatus.ok : ExitStatus.failed;
}
