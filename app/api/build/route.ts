/**
 * POST /api/build: compiles one Rust or C source to a WebAssembly module in the sandbox,
 * with the examples' toolchain and flags (`lib/build/`).
 *
 * Body `{ "language": "rust" | "c", "source": string, "kind"?: "reactor" | "command" }`.
 * Statuses: 200 `BuildResponse` (`lib/build/types.ts`: the module, or the failed compile's
 * diagnostics, or the limit that stopped it); 400 a bad body, naming the field; 413 a source
 * or body over its cap, naming it; 503 past `maxQueued` builds waiting; 500 the sandbox or a
 * compiler is not installed. Builds over the concurrency cap wait in order, never dropped.
 */

import { isRefusal, parseBuildBody, readBody } from "../../../lib/build/request";
import { errorResponse, sharedBuilder } from "../../../lib/build/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const builder = sharedBuilder();
  const body = await readBody(request, builder.limits);
  if (isRefusal(body)) return Response.json(body.body, { status: body.status });
  const job = parseBuildBody(body, builder.limits);
  if (isRefusal(job)) return Response.json(job.body, { status: job.status });
  try {
    return Response.json(await builder.build(job, request.signal));
  } catch (error) {
    return errorResponse(error, builder.limits);
  }
}
