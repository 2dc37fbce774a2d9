/**
 * A test spec (`*.test.toml`) once read: what to load, the calls to make, and what each
 * step and the whole run must show. The format is documented in cli/README.md.
 */

import type { InitialFiles } from "../../lib/wasi/context";
import type { PlannedCall } from "../session";

/** A text expectation: exact, or a regular expression. */
export type TextMatch = { exact: string } | { regex: RegExp };

/** One expected `ft_log` line. */
export interface LogExpectation {
  /** `TRACE`…`ERROR`; any level when absent. */
  level?: string;
  text: TextMatch;
}

/** One expected audit record: `env_get HOME Denied`. */
export interface AuditExpectation {
  function: string;
  /** The args summary, exactly; any when absent. */
  args?: string;
  /** `Ok`, `Denied` or `Error`; any when absent. */
  outcome?: "Ok" | "Denied" | "Error";
  /** The outcome's reason must match, when given. */
  reason?: TextMatch;
  /** As written in the spec, for reports. */
  source: string;
}

/** What a step (one event or hook) must show. */
export interface StepExpectations {
  /** In order, among the step's log lines (others may come between). */
  logs: LogExpectation[];
  stdout: TextMatch[];
  stderr: TextMatch[];
  /** In order, among the step's audit records. */
  audit: AuditExpectation[];
  /** None of the step's audit records may match these. */
  noAudit: AuditExpectation[];
  /** The trap every call of the step must end with; without it, every call must return. */
  trap?: string;
  /** The `proc_exit` status expected. */
  exitCode?: number;
  /** Files after the step: guest path → content (`null`: must not exist). */
  files: Record<string, string | null>;
}

/** One step: the call and its expectations, with the spec line it starts at. */
export interface SpecStep {
  call: PlannedCall;
  expect: StepExpectations;
  line?: number;
  label: string;
}

/** A spec, read and checked. */
export interface Spec {
  /** The spec's file, as given. */
  file: string;
  name: string;
  /** A `.wasm` or a `.ftx` package. */
  modulePath: string;
  /** Absent for a package that brings its own. */
  manifestPath?: string;
  env: Record<string, string>;
  files: InitialFiles;
  stdin?: Uint8Array;
  args: string[];
  denyIsError: boolean;
  steps: SpecStep[];
  /** The exit status `run` would give. */
  exit: number;
  /** When the load must fail: its message must match. */
  loadError?: TextMatch;
  /** Files after the last step. */
  filesAfter: Record<string, string | null>;
}
