/**
 * Checks what a run did against a spec: one {@link TestPoint} per expectation, each with a
 * diff when it failed (`-` expected and missing, `+` actual and unmatched, ` ` matched).
 * List expectations (logs, stdout, stderr, audit) match in order, with other lines allowed
 * between them: a spec says what must happen, not everything that happens.
 */

import type { AuditEntry } from "../../lib/audit/trail";
import type { LogLine } from "../../lib/abi/log-sink";
import { statusName } from "../errors";
import type { CallReport, SessionReport } from "../session";
import type { AuditExpectation, LogExpectation, Spec, TextMatch } from "./types";

/** One reported expectation. */
export interface TestPoint {
  name: string;
  ok: boolean;
  /** Why it failed, with a diff; absent when it passed. */
  diff?: string;
  /** A one-line summary of the failure (JUnit's `message`); the diff's first line when absent. */
  message?: string;
}

/** Every expectation of `spec` checked against `report`. */
export function checkSpec(spec: Spec, report: SessionReport): TestPoint[] {
  const points: TestPoint[] = [];
  if (spec.loadError) {
    const message = report.loadError?.message;
    const ok = message !== undefined && matches(spec.loadError, message);
    points.push({ name: `load fails: ${describeText(spec.loadError)}`, ok, ...(ok ? {} : { diff: `- load error ${describeText(spec.loadError)}\n+ ${message === undefined ? "the extension loaded" : `load error "${message}"`}` }) });
  } else {
    points.push({ name: "loads", ok: !report.loadError, ...(report.loadError ? { diff: `- loaded\n+ load failed (${report.loadError.stage}): ${report.loadError.message}` } : {}) });
  }
  if (!report.loadError) {
    spec.steps.forEach((step, index) => {
      const calls = report.calls.filter((c) => c.step === index);
      const prefix = `step ${index + 1} (${step.label})`;
      points.push(...checkStep(prefix, step.expect, calls, report, index));
    });
    for (const [file, expected] of Object.entries(spec.filesAfter)) points.push(checkFile(`after the last step`, file, expected, lastFiles(report)));
  }
  const ok = report.status === spec.exit;
  points.push({ name: `exit status ${spec.exit} (${statusName(spec.exit)})`, ok, ...(ok ? {} : { diff: `- ${spec.exit} (${statusName(spec.exit)})\n+ ${report.status} (${statusName(report.status)}): ${report.reason}` }) });
  return points;
}

function checkStep(prefix: string, expect: Spec["steps"][number]["expect"], calls: CallReport[], report: SessionReport, index: number): TestPoint[] {
  const points: TestPoint[] = [];
  if (calls.length === 0) {
    return [{ name: `${prefix}: calls a hook`, ok: false, diff: `- at least one hook called\n+ none (${report.calls.length === 0 ? report.reason : "no hook subscribes to this event, or the instance had ended"})` }];
  }
  for (const call of calls) {
    const { record } = call;
    const actual = record.trap ? `trapped (${record.trap.kind}): ${record.trap.message}` : record.outcome === "failed" ? `not called: ${record.error}` : record.exitCode !== undefined && record.outcome === "exit" ? `exited with status ${record.exitCode}` : "returned";
    if (expect.trap) {
      const ok = record.trap?.kind === expect.trap;
      points.push({ name: `${prefix}: ${record.handler} traps (${expect.trap})`, ok, ...(ok ? {} : { diff: `- trapped (${expect.trap})\n+ ${actual}` }) });
    } else if (expect.exitCode !== undefined) {
      const ok = record.exitCode === expect.exitCode && !record.trap;
      points.push({ name: `${prefix}: ${record.handler} exits with status ${expect.exitCode}`, ok, ...(ok ? {} : { diff: `- exited with status ${expect.exitCode}\n+ ${actual}` }) });
    } else {
      const ok = record.outcome === "returned" || (record.outcome === "exit" && record.exitCode === 0);
      points.push({ name: `${prefix}: ${record.handler} returns`, ok, ...(ok ? {} : { diff: `- returned\n+ ${actual}` }) });
    }
  }
  const results = calls.flatMap((c) => (c.result ? [c.result] : []));
  const logs = results.flatMap((r) => r.logs);
  const audit = results.flatMap((r) => r.audit);
  if (expect.logs.length > 0) points.push(inOrder(`${prefix}: logs`, expect.logs, logs, describeLog, showLog, logMatches));
  if (expect.stdout.length > 0) points.push(inOrder(`${prefix}: stdout`, expect.stdout, results.flatMap((r) => r.stdout), describeText, (l) => l, matches));
  if (expect.stderr.length > 0) points.push(inOrder(`${prefix}: stderr`, expect.stderr, results.flatMap((r) => r.stderr), describeText, (l) => l, matches));
  if (expect.audit.length > 0) points.push(inOrder(`${prefix}: audit`, expect.audit, audit, (a) => a.source, showAudit, auditMatches));
  for (const absent of expect.noAudit) {
    const found = audit.filter((entry) => auditMatches(absent, entry));
    points.push({ name: `${prefix}: no audit record ${absent.source}`, ok: found.length === 0, ...(found.length ? { diff: found.map((e) => `+ ${showAudit(e)}`).join("\n") } : {}) });
  }
  const files = results.at(-1)?.files ?? {};
  for (const [file, expected] of Object.entries(expect.files)) points.push(checkFile(`step ${index + 1}`, file, expected, files));
  return points;
}

/**
 * Matches `expected` in order against `actual` (a subsequence). The diff lists the actual
 * lines, matched ones plain and the others with `+`, and the first expectation that found
 * no match (with those after it) with `-` where it was looked for.
 */
function inOrder<E, A>(name: string, expected: E[], actual: A[], describeExpected: (e: E) => string, showActual: (a: A) => string, match: (e: E, a: A) => boolean): TestPoint {
  const matchedAt: number[] = [];
  let from = 0;
  for (const e of expected) {
    const at = actual.findIndex((a, i) => i >= from && match(e, a));
    if (at < 0) break;
    matchedAt.push(at);
    from = at + 1;
  }
  if (matchedAt.length === expected.length) return { name, ok: true };
  const lines: string[] = [];
  actual.forEach((a, i) => {
    if (i === from) for (const e of expected.slice(matchedAt.length)) lines.push(`- ${describeExpected(e)}`);
    lines.push(`${matchedAt.includes(i) ? " " : "+"} ${showActual(a)}`);
  });
  if (from >= actual.length) for (const e of expected.slice(matchedAt.length)) lines.push(`- ${describeExpected(e)}`);
  const missing = expected.length - matchedAt.length;
  const first = describeExpected(expected[matchedAt.length] as E);
  return { name, ok: false, diff: lines.join("\n"), message: `${missing} of ${expected.length} expected not found in order (first: ${first}) among ${actual.length} actual` };
}

function checkFile(when: string, file: string, expected: string | null, files: Record<string, Uint8Array | null>): TestPoint {
  const bytes = files[file];
  const name = `${when}: file ${file} ${expected === null ? "does not exist" : "has the expected content"}`;
  if (expected === null) return bytes === undefined ? { name, ok: true } : { name, ok: false, diff: `- (no file)\n+ ${bytes === null ? "(a directory)" : `${bytes.length} bytes`}` };
  if (bytes === undefined || bytes === null) return { name, ok: false, diff: `${prefixLines("-", expected)}\n+ ${bytes === null ? "(a directory)" : "(no such file)"}` };
  const actual = new TextDecoder().decode(bytes);
  return actual === expected ? { name, ok: true } : { name, ok: false, diff: lineDiff(expected, actual) };
}

function lastFiles(report: SessionReport): Record<string, Uint8Array | null> {
  for (let i = report.calls.length - 1; i >= 0; i--) {
    const files = report.calls[i]?.result?.files;
    if (files) return files;
  }
  return {};
}

/** A line diff by longest common subsequence (files are small; this is for messages). */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out.join("\n");
}

function prefixLines(prefix: string, text: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix} ${line}`)
    .join("\n");
}

function matches(expected: TextMatch, text: string): boolean {
  return "exact" in expected ? expected.exact === text : expected.regex.test(text);
}

function describeText(expected: TextMatch): string {
  return "exact" in expected ? JSON.stringify(expected.exact) : `/${expected.regex.source}/`;
}

function logMatches(expected: LogExpectation, line: LogLine): boolean {
  return (expected.level === undefined || expected.level === line.levelName) && matches(expected.text, line.message);
}

function describeLog(expected: LogExpectation): string {
  return `${(expected.level ?? "*").padEnd(5)} ${describeText(expected.text)}`;
}

function showLog(line: LogLine): string {
  return `${line.levelName.padEnd(5)} ${JSON.stringify(line.message)}`;
}

function auditMatches(expected: AuditExpectation, entry: AuditEntry): boolean {
  if (expected.function !== entry.function) return false;
  if (expected.args !== undefined && expected.args !== entry.argsSummary) return false;
  if (expected.outcome !== undefined && !entry.outcome.startsWith(expected.outcome)) return false;
  if (expected.reason) {
    const reason = /^\w+\((.*)\)$/s.exec(entry.outcome)?.[1];
    const text = reason === undefined ? "" : (JSON.parse(reason) as string);
    if (!matches(expected.reason, text)) return false;
  }
  return true;
}

function showAudit(entry: AuditEntry): string {
  return `${entry.function} ${entry.argsSummary} ${entry.outcome}`;
}
