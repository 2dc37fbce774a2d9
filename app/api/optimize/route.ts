/**
 * POST /api/optimize: what `wasm-opt -Oz` (Debian's binaryen) would save on a module, run in
 * the build sandbox and queue (`lib/build/optimize.ts`).
 *
 * Body: the module's bytes. Statuses: 200 `OptimizeResponse` (the sizes before and after, or
 * why wasm-opt refused the module); 413 over `maxRequestBytes`; 503, 500 as `POST /api/build`.
 */

import { optimizeSize } from "../../../lib/build/optimize";
import { builderRoute } from "../../../lib/build/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The body is the module itself: `optimizeSize` checks it. */
export const POST = builderRoute((body) => body, optimizeSize);
