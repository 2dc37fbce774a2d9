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

import { buildRoute } from "../../../lib/build/service";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = buildRoute();
