/**
 * POST /api/format: formats one Rust or C source with rustfmt or clang-format-14 in the
 * build sandbox (`lib/build/`), in the build queue.
 *
 * Body `{ "language": "rust" | "c", "source": string }`. Statuses: 200 `FormatResponse`
 * (`lib/build/types.ts`: the formatted source, or the formatter's message for a source that
 * does not parse, which is then left as it is); 400, 413, 503, 500 as `POST /api/build`.
 */

import { parseFormatBody } from "../../../lib/build/request";
import { builderRoute } from "../../../lib/build/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = builderRoute(parseFormatBody, (builder, job, signal) => builder.format(job.language, job.source, signal));
