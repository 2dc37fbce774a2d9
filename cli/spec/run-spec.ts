/** Runs one spec: read it, run the extension as `run` would, check the expectations. */

import { readModuleInput, readText } from "../inputs";
import { runSession, type RunPlan } from "../session";
import type { Emit } from "../records";
import { checkSpec, type TestPoint } from "./check";
import { parseSpec } from "./parse";

/** One spec's result. */
export interface SpecOutcome {
  name: string;
  file: string;
  points: TestPoint[];
  durationMs: number;
}

/**
 * Runs the spec at `file`.
 * @param emit receives the run's records (for `--verbose`); none by default.
 * @throws {SpecError} when the spec is malformed; {@link InputError} when a file it names cannot be read.
 */
export async function runSpec(file: string, cacheDir: string, emit: Emit = () => undefined): Promise<SpecOutcome> {
  const started = performance.now();
  const spec = parseSpec(readText(file, "spec"), file);
  const input = readModuleInput(spec.modulePath, spec.manifestPath);
  const plan: RunPlan = {
    request: {
      bytes: input.bytes,
      manifestSource: input.manifestSource,
      env: spec.env,
      fileName: input.fileName,
      args: spec.args,
      files: spec.files,
      ...(spec.stdin ? { stdin: spec.stdin } : {}),
    },
    calls: spec.steps.map((step) => step.call),
    denyIsError: spec.denyIsError,
    manifestPath: input.manifestPath,
    cacheDir,
  };
  const report = await runSession(plan, emit);
  return { name: spec.name, file, points: checkSpec(spec, report), durationMs: performance.now() - started };
}
