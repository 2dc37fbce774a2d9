/**
 * JUnit XML, as CI systems read it (the Ant/Surefire schema most tools accept): one
 * `<testsuite>` per spec, one `<testcase>` per expectation, a failure's diff as the text
 * of its `<failure>`.
 */

import type { SpecOutcome } from "./run-spec";

/** The JUnit XML document for the specs run. */
export function formatJunit(outcomes: SpecOutcome[]): string {
  const total = outcomes.reduce((n, o) => n + o.points.length, 0);
  const failures = outcomes.reduce((n, o) => n + o.points.filter((p) => !p.ok).length, 0);
  const seconds = outcomes.reduce((n, o) => n + o.durationMs, 0) / 1000;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="extension-playground" tests="${total}" failures="${failures}" time="${seconds.toFixed(3)}">`];
  for (const outcome of outcomes) {
    const failed = outcome.points.filter((p) => !p.ok).length;
    lines.push(`  <testsuite name="${attr(outcome.name)}" file="${attr(outcome.file)}" tests="${outcome.points.length}" failures="${failed}" errors="0" skipped="0" time="${(outcome.durationMs / 1000).toFixed(3)}">`);
    for (const point of outcome.points) {
      const open = `    <testcase name="${attr(point.name)}" classname="${attr(outcome.name)}" time="0"`;
      if (point.ok) lines.push(`${open}/>`);
      else lines.push(`${open}>`, `      <failure message="${attr(point.message ?? firstLine(point.diff ?? "failed"))}">${text(point.diff ?? "")}</failure>`, "    </testcase>");
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

/** XML 1.0 allows neither most control characters nor lone surrogates: drop them. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

function text(value: string): string {
  return clean(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}

function firstLine(diff: string): string {
  return diff.split("\n")[0] ?? "";
}
