/**
 * Readable output of a run: one line per record, indented under the call it belongs to.
 * Colour only when the stream is a terminal (and `NO_COLOR` is unset, or `FORCE_COLOR` set).
 */

import { statusName } from "./errors";
import type { Emit, ResultRecord } from "./records";

/** ANSI styles, or nothing. */
export interface Styles {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Colour when `stream` is a TTY, unless `NO_COLOR`; always with `FORCE_COLOR` (not `0`). */
export function stylesFor(stream: NodeJS.WritableStream & { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Styles {
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0";
  const on = force || (Boolean(stream.isTTY) && env.NO_COLOR === undefined);
  const style = (open: number, close: number) => (text: string) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : text);
  return { dim: style(2, 22), bold: style(1, 22), red: style(31, 39), green: style(32, 39), yellow: style(33, 39), cyan: style(36, 39) };
}

/** An {@link Emit} writing readable lines to `out`. */
export function textLines(out: NodeJS.WritableStream, styles: Styles): Emit {
  const write = (line: string) => out.write(`${line}\n`);
  const level = (name: string, levelNumber: number) => {
    const padded = name.padEnd(5);
    return levelNumber >= 4 ? styles.red(padded) : levelNumber === 3 ? styles.yellow(padded) : levelNumber <= 1 ? styles.dim(padded) : padded;
  };
  return (record) => {
    switch (record.type) {
      case "load": {
        const facts = [`${record.byteLength.toLocaleString("en")} bytes`, `sha256 ${record.sha256.slice(0, 12)}…`, `cache ${record.cache}`, `${record.prepareMs.toFixed(1)} ms`];
        write(`${styles.bold(`loaded ${record.extension} ${record.version}`)} ${styles.dim(`from ${record.module} (${facts.join(", ")})`)}`);
        if (record.preopens.length > 0) write(styles.dim(`  preopens: ${record.preopens.join(", ")}`));
        for (const warning of record.warnings) write(styles.yellow(`  manifest: ${warning}`));
        return;
      }
      case "load_error":
        write(styles.red(`load failed (${record.stage}): ${record.message}`));
        return;
      case "event":
        write(styles.cyan(`▶ ${record.event} ${styles.dim(`payload ${record.payload}`)}`));
        return;
      case "call":
        write(styles.cyan(`  ▷ ${record.handler}`));
        return;
      case "stdout":
      case "stderr":
        write(`    ${styles.dim(record.type)} ${record.type === "stderr" ? styles.yellow(record.line) : record.line}`);
        return;
      case "log":
        write(`    ${level(record.levelName, record.level)} ${record.message}`);
        return;
      case "audit":
        write(`    ${styles.dim("audit")} ${record.function} ${record.args} ${record.outcome.startsWith("Ok") ? styles.dim(record.outcome) : styles.yellow(record.outcome)}`);
        return;
      case "result":
        write(`  ${describeResult(record, styles)}`);
        return;
      case "note":
        write(styles.dim(`  note: ${record.message}`));
        return;
      case "exit":
        write((record.status === 0 ? styles.green : styles.red)(`exit ${record.status} (${statusName(record.status)}): ${record.reason}`));
        return;
    }
  };
}

function describeResult(record: ResultRecord, styles: Styles): string {
  const costs: string[] = [];
  if (record.fuelUsed !== undefined) costs.push(`fuel ${record.fuelUsed.toLocaleString("en")} / ${record.fuelLimit?.toLocaleString("en")}`);
  costs.push(`${record.durationMs.toFixed(1)} ms`);
  if (record.memoryBytes !== undefined) costs.push(`memory ${(record.memoryBytes / 1048576).toFixed(1)} MiB`);
  const dropped = record.dropped && record.dropped.logs + record.dropped.output + record.dropped.audit > 0 ? ` (dropped over the caps: ${record.dropped.logs} log lines, ${record.dropped.output} output lines, ${record.dropped.audit} audit records)` : "";
  const tail = styles.dim(` · ${costs.join(" · ")}${dropped}`);
  switch (record.outcome) {
    case "returned":
      return `${styles.green("✓")} ${record.handler} returned${tail}`;
    case "exit":
      return `${record.exitCode === 0 ? styles.green("✓") : styles.red("✗")} ${record.handler} exited with status ${record.exitCode}${tail}`;
    case "trap":
    case "wall_time":
      return `${styles.red("✗")} ${record.handler} trapped (${record.trap?.kind}): ${record.trap?.message}${tail}`;
    case "failed":
      return `${styles.red("✗")} ${record.handler} not called: ${record.error}`;
  }
}
