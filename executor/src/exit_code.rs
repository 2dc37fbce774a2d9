//! Process exit codes.
//!
//! The route decides how to answer from the exit code alone and reads the details from the
//! JSON document on stdout, which is written in every case (stderr stays empty unless the
//! executor itself is broken).

/// The input was a valid command or batch and every command ran. Individual commands may
/// still have failed: those failures are `"status": "error"` entries in the results.
pub const OK: u8 = 0;

/// The executor could not do its job for reasons that are not the input's fault: reading
/// stdin or writing stdout failed, or a bug was caught. The document (when it could be
/// written) has code `io_error` or `internal_error`.
pub const INTERNAL_ERROR: u8 = 1;

/// The input was rejected as a whole and nothing ran: it was not readable JSON
/// (`malformed_json`) or did not match `schemas/command.schema.json` (`invalid_command`).
pub const REJECTED: u8 = 2;
