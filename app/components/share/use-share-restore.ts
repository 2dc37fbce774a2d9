"use client";

import { useEffect, useRef } from "react";
import { carriesShare, readShareLink } from "../../../lib/share/client";
import { ShareError } from "../../../lib/share/errors";
import { fromShareState, type Restored } from "./convert";

/**
 * Whether the page was opened on a share link (`#share=…` or `/s/<id>`). Read once on the
 * client; the server render never carries one (the fragment never reaches a server).
 */
export function openedOnShareLink(): boolean {
  return typeof window !== "undefined" && carriesShare(window.location);
}

/**
 * On mount, reads the share the page's location carries and hands it over: `onRestore` with
 * the state (nothing is loaded or run), or `onError` naming what is wrong with the link.
 * `onNone` runs when the location carries no share.
 */
export function useShareRestore(handlers: { onRestore(restored: Restored): void; onError(error: ShareError): void; onNone(): void }): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    let cancelled = false;
    if (!carriesShare(window.location)) {
      latest.current.onNone();
      return;
    }
    // Reading and converting both throw ShareError for a bad link; both land in onError.
    readShareLink(window.location)
      .then((share) => (share ? fromShareState(share) : undefined))
      .then(
        (restored) => {
          if (cancelled) return;
          if (restored) latest.current.onRestore(restored);
          else latest.current.onNone();
        },
        (error: unknown) => {
          if (cancelled) return;
          latest.current.onError(error instanceof ShareError ? error : new ShareError("unavailable", String(error)));
        },
      );
    return () => {
      cancelled = true;
    };
  }, []);
}
