/** Why a share link cannot be opened (or a share not made): one kind per cause, each with its own title. */

/** What went wrong; the page shows {@link SHARE_ERROR_TITLES} of it above the message. */
export type ShareErrorKind =
  /** The link's text stops before its data does. */
  | "truncated"
  /** The fragment holds characters base64url does not use. */
  | "not-base64url"
  /** The bytes are not a deflate stream (or not the link's framing). */
  | "not-deflate"
  /** The data inflates past the size cap. */
  | "bomb"
  /** The state's version is missing, older than supported or newer. */
  | "unknown-version"
  /** The state is not JSON or does not match the schema. */
  | "schema"
  /** No share is stored under the link's id. */
  | "unknown-id"
  /** The state or stored entry is larger than a cap. */
  | "oversized"
  /** The stored bytes do not hash to the share's id. */
  | "corrupted"
  /** Too many shares created from one address: try again later. */
  | "rate-limited"
  /** The store could not be reached or refused for another reason. */
  | "unavailable";

/** A heading per kind, as the page shows it. */
export const SHARE_ERROR_TITLES: Record<ShareErrorKind, string> = {
  truncated: "This share link is truncated",
  "not-base64url": "This share link is not base64url",
  "not-deflate": "This share link's data is not a valid deflate stream",
  bomb: "This share link inflates past the size cap",
  "unknown-version": "This share link has an unknown version",
  schema: "This share link does not match the share-state schema",
  "unknown-id": "No share with this id",
  oversized: "This share is too large",
  corrupted: "This share is corrupted",
  "rate-limited": "Too many shares",
  unavailable: "The share store is unavailable",
};

/** A share that cannot be read or written; `message` says what and where. */
export class ShareError extends Error {
  /**
   * @param kind the cause.
   * @param detail what exactly was wrong (becomes `message`).
   */
  constructor(
    readonly kind: ShareErrorKind,
    detail: string,
  ) {
    super(detail);
    this.name = "ShareError";
  }

  /** The heading for this kind. */
  get title(): string {
    return SHARE_ERROR_TITLES[this.kind];
  }
}
