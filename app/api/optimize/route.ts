/**
 * POST /api/optimize: what `wasm-opt -Oz` (Debian's binaryen) would save on a module, run in
 * the build sandbox and queue (`lib/build/optimize.ts`).
 *
 * Body: the module's bytes. Statuses: 200 `OptimizeResponse` (the sizes before and after, or
 * why wasm-opt refused the module); 413 over `maxRequestBytes`; 503, 500 as `POST /api/build`.
 */

import { optimizeSize } from "../../../lib/build/optimize";
import { isRefusal, readBody } from "../../../lib/build/request";
import { errorResponse, sharedBuilder } from "../../../lib/build/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const builder = sharedBuilder();
  const body = await readBody(request, builder.limits);
  if (isRefusal(body)) return Response.json(body.body, { status: body.status });
  try {
    return Response.json(await optimizeSize(builder, body, request.signal));
  } catch (error) {
    return errorResponse(error, builder.limits);
  }
}
