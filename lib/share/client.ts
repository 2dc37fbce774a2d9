/**
 * The page's side of sharing: make a link for a state (a `#share=` fragment while it stays
 * under 8 KB, else stored with `POST /api/shares` and linked as `/s/<id>`), and read the
 * state a location carries. Reading never runs anything: it returns data. Browser and Node
 * (it needs only `fetch`).
 */

import { decodeState, defaultShareLimits, encodeState, fragmentLink, isShareFragment, stateFromFragment } from "./codec";
import { ShareError } from "./errors";
import { shareErrorFrom } from "./http";
import type { ShareState } from "./state";

/** A link made by {@link makeShareLink}. */
export interface ShareLink {
  url: string;
  /** `fragment`: the state is in the URL; `stored`: on the server under `/s/<id>`. */
  where: "fragment" | "stored";
}

/** The path of a stored share's page. */
const STORED_PATH = /^\/s\/([^/]+)\/?$/;

/**
 * A link for `state` at `origin` (`https://host`).
 * @throws {ShareError} from the server when storing is needed and refused (`rate-limited`
 *   with the seconds to wait, `oversized`, …), or `unavailable` when it cannot be reached.
 */
export async function makeShareLink(state: ShareState, origin: string, fetcher: typeof fetch = fetch): Promise<ShareLink> {
  const inFragment = fragmentLink(`${origin}/`, state);
  if (inFragment) return { url: inFragment, where: "fragment" };
  let response: Response;
  try {
    response = await fetcher(`${origin}/api/shares`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: encodeState(state) as Uint8Array<ArrayBuffer>,
    });
  } catch (error) {
    throw new ShareError("unavailable", `could not reach ${origin}/api/shares (${error instanceof Error ? error.message : String(error)})`);
  }
  if (response.status !== 201) throw await shareErrorFrom(response);
  const { path } = (await response.json()) as { path: string };
  return { url: `${origin}${path}`, where: "stored" };
}

/** Whether a location carries a share (a `#share=` fragment or an `/s/<id>` path). */
export function carriesShare(location: { pathname: string; hash: string }): boolean {
  return isShareFragment(location.hash) || STORED_PATH.test(location.pathname);
}

/**
 * The state a location carries, or `undefined` when it carries none.
 * @param location `window.location` or its parts.
 * @param origin where `/api/shares/<id>` is fetched from (`""` for the page's own).
 * @throws {ShareError} naming what is wrong with the link (each kind in lib/share/errors.ts).
 */
export async function readShareLink(location: { pathname: string; hash: string }, origin = "", fetcher: typeof fetch = fetch): Promise<ShareState | undefined> {
  if (isShareFragment(location.hash)) return stateFromFragment(location.hash);
  const stored = STORED_PATH.exec(location.pathname);
  if (!stored) return undefined;
  const id = decodeURIComponent(stored[1]!);
  let response: Response;
  try {
    response = await fetcher(`${origin}/api/shares/${encodeURIComponent(id)}`);
  } catch (error) {
    throw new ShareError("unavailable", `could not fetch share ${id} (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw await shareErrorFrom(response);
  const limits = defaultShareLimits();
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > limits.maxCompressedBytes) throw new ShareError("oversized", `share ${id} is ${bytes.length} bytes; a share holds at most ${limits.maxCompressedBytes}`);
  return decodeState(bytes, limits, `share ${id}`);
}
