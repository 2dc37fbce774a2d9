/**
 * The one {@link Builder} of the server process, shared by the build, format and optimize
 * routes (one queue for all), the handler shape they share, and their answers for its
 * errors. Server only.
 */

import { Abandoned, QueueFull } from "../commands/concurrency";
import { Builder } from "./builder";
import type { BuildLimits } from "./limits";
import { isRefusal, parseBuildBody, readBody, type Refusal } from "./request";
import type { RouteError } from "./types";

let builder: Builder | undefined;

/** The process's builder, created on first use with the default limits and cache. */
export function sharedBuilder(): Builder {
  builder ??= new Builder();
  return builder;
}

/** The route's answer for an error thrown by a build or format: 503 queue full, 499 abandoned, 500 otherwise. */
export function errorResponse(error: unknown, limits: { maxQueued: number }): Response {
  if (error instanceof QueueFull) {
    return Response.json({ error: `${error.queued} builds are already waiting (the queue's cap, maxQueued, is ${limits.maxQueued}); try again shortly` } satisfies RouteError, { status: 503 });
  }
  if (error instanceof Abandoned) return Response.json({ error: error.message } satisfies RouteError, { status: 499 });
  const message = error instanceof Error ? error.message : String(error);
  console.error(`build service: ${message}`);
  return Response.json({ error: `the build service failed: ${message}` } satisfies RouteError, { status: 500 });
}

/**
 * A `POST` handler over a builder: reads the body within the builder's caps, checks it with
 * `parse`, runs `run` on the job and answers its result as JSON (200). A refused body answers
 * the refusal's status (400 a bad field, 413 over a cap, naming it); a thrown error answers
 * through {@link errorResponse}.
 * @param builder the builder to use, looked up per request: the process's shared one by
 *   default; the bench and tests give one of their own (its own cache).
 */
export function builderRoute<Job>(
  parse: (body: Uint8Array, limits: BuildLimits) => Job | Refusal,
  run: (builder: Builder, job: Job, signal: AbortSignal) => Promise<unknown>,
  builder: () => Builder = sharedBuilder,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const current = builder();
    const body = await readBody(request, current.limits);
    if (isRefusal(body)) return Response.json(body.body, { status: body.status });
    const job = parse(body, current.limits);
    if (isRefusal(job)) return Response.json(job.body, { status: job.status });
    try {
      return Response.json(await run(current, job, request.signal));
    } catch (error) {
      return errorResponse(error, current.limits);
    }
  };
}

/**
 * `POST /api/build`'s handler: the body checked by `parseBuildBody`, built by `builder`'s
 * {@link Builder.build}. The route makes it over the shared builder; the bench over one with
 * its own cache.
 */
export function buildRoute(builder: () => Builder = sharedBuilder): (request: Request) => Promise<Response> {
  return builderRoute(parseBuildBody, (current, job, signal) => current.build(job, signal), builder);
}
