/**
 * POST /api/format: formats one Rust or C source with rustfmt or clang-format-14 in the
 * build sandbox (`lib/build/`), in the build queue.
 *
 * Body `{ "language": "rust" | "c", "source": string }`. Statuses: 200 `FormatResponse`
 * (`lib/build/types.ts`: the formatted source, or the formatter's message for a source that
 * does not parse, which is then left as it is); 400, 413, 503, 500 as `POST /api/build`.
 */

import { isRefusal, parseFormatBody, readBody } from "../../../lib/build/request";
import { errorResponse, sharedBuilder } from "../../../lib/build/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const builder = sharedBuilder();
  const body = await readBody(request, builder.limits);
  if (isRefusal(body)) return Response.json(body.body, { status: body.status });
  const job = parseFormatBody(body, builder.limits);
  if (isRefusal(job)) return Response.json(job.body, { status: job.status });
  try {
    return Response.json(await builder.format(job.language, job.source, request.signal));
  } catch (error) {
    return errorResponse(error, builder.limits);
  }
}
