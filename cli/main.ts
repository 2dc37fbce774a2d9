/**
 * `extension-playground`: the playground's host on the command line, for an extension
 * author's CI. `run` loads an extension in a `worker_threads` Worker (the same lib/ as
 * the page's Web Worker) and makes the calls asked for; `test` runs a spec and reports
 * in TAP or JUnit XML. See cli/README.md.
 */

import { ExitStatus, InputError, UsageError } from "./errors";
import type { Emit } from "./records";
import { jsonLines } from "./report-json";
import { stylesFor, textLines } from "./report-text";
import { parseRunArgs, RUN_USAGE } from "./run-args";
import { runSession } from "./session";
import { TEST_USAGE } from "./test-usage";

/** The top-level usage. */
export const USAGE = `usage: extension-playground <command> [options]

commands:
  run <module.wasm | package.ftx> …   load an extension and fire events / call hooks
  test <spec.toml> …                  run specs and report in TAP or JUnit XML

extension-playground <command> --help for a command's options.`;

/**
 * Runs the CLI.
 * @param argv the arguments after the program name.
 * @returns the exit status.
 */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that stops early (`| head`) is not an error of ours.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "run":
        return await run(rest);
      case "test":
        // Imported when used: `run` does not load the spec reader and reporters.
        return await (await import("./test-command")).runTestCommand(rest, process.stdout, process.stderr);
      case "-h":
      case "--help":
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return ExitStatus.ok;
      case undefined:
        throw new UsageError("no command given");
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    return reportError(error, command);
  }
}

async function run(argv: readonly string[]): Promise<number> {
  const options = parseRunArgs(argv);
  if (options === "help") {
    process.stdout.write(`${RUN_USAGE}\n`);
    return ExitStatus.ok;
  }
  const print = options.json ? jsonLines(process.stdout) : textLines(process.stdout, stylesFor(process.stdout));
  const styles = stylesFor(process.stderr);
  const emit: Emit = (record) => {
    // A load error is bad input: said on stderr too, where a CI log shows it as an error.
    if (record.type === "load_error") process.stderr.write(`${styles.red(`error: could not load (${record.stage}): ${record.message}`)}\n`);
    if (record.type !== "load_error" || options.json) print(record);
  };
  const report = await runSession(options.plan, emit);
  return report.status;
}

function reportError(error: unknown, command: string | undefined): number {
  const styles = stylesFor(process.stderr);
  if (error instanceof UsageError) {
    const usage = command === "run" ? RUN_USAGE : command === "test" ? TEST_USAGE : USAGE;
    process.stderr.write(`${styles.red(`error: ${error.message}`)}\n\n${usage}\n`);
    return ExitStatus.usage;
  }
  if (error instanceof InputError) {
    process.stderr.write(`${styles.red(`error: ${error.message}`)}\n`);
    return ExitStatus.input;
  }
  process.stderr.write(`${styles.red(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)}\n`);
  return ExitStatus.internal;
}
