/**
 * POST /api/shares: stores a share state too large for a link. The body is the framed,
 * compressed state (lib/share/codec.ts, `application/octet-stream`); it is decoded and
 * validated in full before it is stored content-addressed (lib/share/shares.ts).
 *
 * Statuses: 201 `{ id, path: "/s/<id>" }`; 400 a state that does not decode (the error's
 * `kind` says why); 413 over the per-share cap; 429 too many shares from one address
 * (with `Retry-After` in seconds); 503 the store is full or unreachable.
 * Rate limits: 10 shares at once per client address, one more every 30 s; 600 at once
 * from all clients together, one more every 0.1 s (a backstop against forged addresses).
 */

import { readCappedBody } from "../../../lib/http/read-body";
import { defaultShareLimits } from "../../../lib/share/codec";
import { ShareError } from "../../../lib/share/errors";
import { shareErrorResponse } from "../../../lib/share/http";
import { RateLimiter, clientAddress } from "../../../lib/share/rate-limit";
import { createShare } from "../../../lib/share/shares";
import { appStore } from "../../../lib/share/store/open";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const perClient = new RateLimiter({ burst: 10, refillSeconds: 30, maxClients: 10_000 });
const everyone = new RateLimiter({ burst: 600, refillSeconds: 0.1, maxClients: 1 });

export async function POST(request: Request): Promise<Response> {
  const limits = defaultShareLimits();
  for (const [limiter, key, who] of [
    [perClient, clientAddress(request.headers), "this address"],
    [everyone, "*", "all clients together"],
  ] as const) {
    const decision = limiter.take(key);
    if (!decision.allowed) {
      const error = new ShareError("rate-limited", `${who} created ${limiter.limit.burst} shares in a short time; try again in ${decision.retryAfterSeconds} s`);
      return shareErrorResponse(error, { "Retry-After": String(decision.retryAfterSeconds) });
    }
  }
  const body = await readCappedBody(request, limits.maxCompressedBytes);
  if (body === "too large") {
    return shareErrorResponse(new ShareError("oversized", `the share is over ${limits.maxCompressedBytes} bytes compressed, the most a share holds`));
  }
  try {
    const id = await createShare(await appStore(), body, limits);
    return Response.json({ id, path: `/s/${id}` }, { status: 201 });
  } catch (error) {
    if (error instanceof ShareError) return shareErrorResponse(error);
    console.error("POST /api/shares:", error);
    return shareErrorResponse(new ShareError("unavailable", `the share store failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
