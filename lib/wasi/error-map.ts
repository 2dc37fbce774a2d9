/**
 * preview2's `wasi:filesystem/types.error-code` → preview1 `errno`, in one exhaustive map.
 *
 * The mapping is wasmtime's (`crates/wasi/src/p1.rs`, `impl From<filesystem::ErrorCode> for
 * types::Errno`). The preview2 shim throws these codes as plain strings; anything else it
 * throws (a `TypeError` for a number past 2^53, a stream's `{ tag: "closed" }`) is not an
 * error code and becomes `EIO`, so nothing a library throws crosses the import boundary.
 */

import type { ErrorCode } from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
import { Errno } from "./errno";

/** The errno preview1 reports for a preview2 `error-code`. */
export function errnoFromErrorCode(code: ErrorCode): Errno {
  switch (code) {
    case "access": return Errno.ACCES;
    case "would-block": return Errno.AGAIN;
    case "already": return Errno.ALREADY;
    case "bad-descriptor": return Errno.BADF;
    case "busy": return Errno.BUSY;
    case "deadlock": return Errno.DEADLK;
    case "quota": return Errno.DQUOT;
    case "exist": return Errno.EXIST;
    case "file-too-large": return Errno.FBIG;
    case "illegal-byte-sequence": return Errno.ILSEQ;
    case "in-progress": return Errno.INPROGRESS;
    case "interrupted": return Errno.INTR;
    case "invalid": return Errno.INVAL;
    case "io": return Errno.IO;
    case "is-directory": return Errno.ISDIR;
    case "loop": return Errno.LOOP;
    case "too-many-links": return Errno.MLINK;
    case "message-size": return Errno.MSGSIZE;
    case "name-too-long": return Errno.NAMETOOLONG;
    case "no-device": return Errno.NODEV;
    case "no-entry": return Errno.NOENT;
    case "no-lock": return Errno.NOLCK;
    case "insufficient-memory": return Errno.NOMEM;
    case "insufficient-space": return Errno.NOSPC;
    case "not-directory": return Errno.NOTDIR;
    case "not-empty": return Errno.NOTEMPTY;
    case "not-recoverable": return Errno.NOTRECOVERABLE;
    case "unsupported": return Errno.NOTSUP;
    case "no-tty": return Errno.NOTTY;
    case "no-such-device": return Errno.NXIO;
    case "overflow": return Errno.OVERFLOW;
    case "not-permitted": return Errno.PERM;
    case "pipe": return Errno.PIPE;
    case "read-only": return Errno.ROFS;
    case "invalid-seek": return Errno.SPIPE;
    case "text-file-busy": return Errno.TXTBSY;
    case "cross-device": return Errno.XDEV;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "access", "would-block", "already", "bad-descriptor", "busy", "deadlock", "quota", "exist",
  "file-too-large", "illegal-byte-sequence", "in-progress", "interrupted", "invalid", "io",
  "is-directory", "loop", "too-many-links", "message-size", "name-too-long", "no-device",
  "no-entry", "no-lock", "insufficient-memory", "insufficient-space", "not-directory", "not-empty",
  "not-recoverable", "unsupported", "no-tty", "no-such-device", "overflow", "not-permitted", "pipe",
  "read-only", "invalid-seek", "text-file-busy", "cross-device",
]);

/** True when `thrown` is a preview2 `error-code` (the shim throws them as strings). */
export function isErrorCode(thrown: unknown): thrown is ErrorCode {
  return typeof thrown === "string" && ERROR_CODES.has(thrown);
}

/** The errno for anything the shim threw: its error code's errno, else `EIO`. */
export function errnoFromThrown(thrown: unknown): Errno {
  return isErrorCode(thrown) ? errnoFromErrorCode(thrown) : Errno.IO;
}
