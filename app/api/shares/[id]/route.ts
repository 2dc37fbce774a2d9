/**
 * GET /api/shares/<id>: a stored share's framed, compressed state, after checking it still
 * hashes to its id (lib/share/shares.ts). Content-addressed, so cacheable forever.
 *
 * Statuses: 200 the bytes (`application/octet-stream`); 404 no such share (or not an id);
 * 413 the entry is over the per-share cap; 500 the entry is corrupted (reported, never
 * served); 503 the store is unreachable.
 */

import { ShareError } from "../../../../lib/share/errors";
import { shareErrorResponse } from "../../../../lib/share/http";
import { readShare } from "../../../../lib/share/shares";
import { appStore } from "../../../../lib/share/store/open";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const bytes = await readShare(await appStore(), id);
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: { "Content-Type": "application/octet-stream", "Cache-Control": "public, max-age=31536000, immutable" },
    });
  } catch (error) {
    if (error instanceof ShareError) {
      if (error.kind === "corrupted") console.error(`GET /api/shares/${id}:`, error.message);
      return shareErrorResponse(error);
    }
    console.error(`GET /api/shares/${id}:`, error);
    return shareErrorResponse(new ShareError("unavailable", `the share store failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}
