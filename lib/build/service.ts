/**
 * The one {@link Builder} of the server process, shared by the build and format routes (one
 * queue for both), and their answers for its errors. Server only.
 */

import { Abandoned, QueueFull } from "../commands/concurrency";
import { Builder } from "./builder";
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
