/** The share routes' error answers, shared by the routes and the page that reads them. */

import { ShareError, SHARE_ERROR_TITLES, type ShareErrorKind } from "./errors";

/** The JSON body of every error answer of `/api/shares`. */
export interface ShareErrorBody {
  error: { kind: ShareErrorKind; message: string };
}

/** The HTTP status for each kind. */
export const SHARE_ERROR_STATUS: Record<ShareErrorKind, number> = {
  truncated: 400,
  "not-base64url": 400,
  "not-deflate": 400,
  bomb: 400,
  "unknown-version": 400,
  schema: 400,
  "unknown-id": 404,
  oversized: 413,
  corrupted: 500,
  "rate-limited": 429,
  unavailable: 503,
};

/** An error answer. */
export function shareErrorResponse(error: ShareError, headers: Record<string, string> = {}): Response {
  const body: ShareErrorBody = { error: { kind: error.kind, message: error.message } };
  return Response.json(body, { status: SHARE_ERROR_STATUS[error.kind], headers });
}

/** Reads an error answer back into a {@link ShareError}; anything else becomes `unavailable`. */
export async function shareErrorFrom(response: Response): Promise<ShareError> {
  try {
    const body = (await response.json()) as ShareErrorBody;
    if (body?.error && body.error.kind in SHARE_ERROR_TITLES && typeof body.error.message === "string") return new ShareError(body.error.kind, body.error.message);
  } catch {
    // not our JSON: fall through
  }
  return new ShareError("unavailable", `the server answered ${response.status} ${response.statusText}`.trim());
}
