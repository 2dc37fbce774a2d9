/**
 * TAP version 14 (testanything.org/tap-version-14-specification.html): one test point per
 * expectation, a spec's points as a subtest under one point for the spec; a failure's
 * diff in the YAML diagnostic block that follows its point.
 */

import type { SpecOutcome } from "./run-spec";

/** The TAP document for the specs run. */
export function formatTap(outcomes: SpecOutcome[]): string {
  const lines = ["TAP version 14", `1..${outcomes.length}`];
  outcomes.forEach((outcome, index) => {
    lines.push(`# Subtest: ${escape(outcome.name)}`);
    lines.push(`    1..${outcome.points.length}`);
    outcome.points.forEach((point, i) => {
      lines.push(`    ${point.ok ? "ok" : "not ok"} ${i + 1} - ${escape(point.name)}`);
      if (!point.ok && point.diff !== undefined) {
        lines.push("      ---", ...(point.message ? [`      message: ${JSON.stringify(point.message)}`] : []), "      diff: |-", ...point.diff.split("\n").map((l) => `        ${l}`), "      ...");
      }
    });
    const ok = outcome.points.every((p) => p.ok);
    lines.push(`${ok ? "ok" : "not ok"} ${index + 1} - ${escape(outcome.name)} # ${outcome.file}`);
  });
  return `${lines.join("\n")}\n`;
}

/** `#` starts a directive and a newline ends the point: escape the one, flatten the other. */
function escape(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/#/g, "\\#").replace(/\r?\n/g, " ");
}
