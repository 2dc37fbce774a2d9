/**
 * POST /api/commands: one command or a batch through the native executor; statuses and
 * checks in lib/commands/route-handler.ts.
 *
 * Concurrent executor processes are capped; requests over the cap wait in order and are
 * never dropped (past 1000 waiting, a flood, the route answers 503 rather than hold more
 * memory). A request whose client went away while it waited is not run.
 */

import { availableParallelism } from "node:os";
import { createCommandHandler } from "../../../lib/commands/route-handler";
import { defaultExecutorOptions } from "../../../lib/commands/run-executor";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = createCommandHandler({
  /** Executor processes at once: one per core of the machine this runs on, at least 2. */
  executors: Math.max(2, availableParallelism()),
  /**
   * Requests that may wait for an executor. Requests are queued, never dropped; this bound
   * only stops an abusive flood from holding unbounded memory (each waiting request holds
   * up to 1 MiB of body), far above what the playground sends.
   */
  maxWaiting: 1000,
  options: defaultExecutorOptions(),
});
