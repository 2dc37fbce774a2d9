/** `--json`: one JSON object per record and line (JSON Lines), flushed as records come. */

import type { Emit } from "./records";

/** An {@link Emit} writing JSON Lines to `out`. */
export function jsonLines(out: NodeJS.WritableStream): Emit {
  return (record) => {
    out.write(`${JSON.stringify(record)}\n`);
  };
}
