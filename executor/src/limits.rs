//! The bounds of the input contract, one constant per keyword of
//! `schemas/command.schema.json` (the test `tests/schema_contract.rs` reads the schema and
//! fails if the two drift apart).
//!
//! Integers are JSON-safe integers, not the full `i64` range: the route, the guest's
//! TypeScript host and ajv all hold numbers as IEEE doubles, which represent every integer
//! exactly only up to 2^53 − 1 (RFC 7493 §2.2, `Number.MAX_SAFE_INTEGER`). Beyond that,
//! `JSON.parse` rounds (9223372036854775808 and 9223372036854775807 are the same double), so
//! a wider bound would make the schema and the executor disagree about numbers next to it,
//! and a wider result would reach the route already rounded.

/// Largest integer accepted as an argument or returned as a result: 2^53 − 1
/// (`$defs/safeInteger/maximum`).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// Smallest integer accepted as an argument or returned as a result: −(2^53 − 1)
/// (`$defs/safeInteger/minimum`).
pub const MIN_SAFE_INTEGER: i64 = -MAX_SAFE_INTEGER;

/// Fewest commands in a batch (`$defs/batch/minItems`): an empty batch is a caller bug.
pub const MIN_BATCH_LEN: usize = 1;

/// Most commands in a batch (`$defs/batch/maxItems`).
pub const MAX_BATCH_LEN: usize = 10_000;

/// Longest `text` argument, in Unicode code points (`$defs/text/maxLength`): 1 MiB of ASCII.
/// JSON Schema's `maxLength` counts code points, not UTF-8 bytes, so this does too.
pub const MAX_TEXT_CHARS: usize = 1_048_576;

/// Longest `sleep_ms` (`$defs/sleepArgs/properties/ms/maximum`).
pub const MAX_SLEEP_MS: i64 = 1_000;

/// Longest `run_binary` path, in code points (`$defs/binaryPath/maxLength`): Linux PATH_MAX.
pub const MAX_PATH_CHARS: usize = 4_096;

/// Most arguments to one `run_binary` (`$defs/runBinaryArgs/properties/args/maxItems`).
pub const MAX_ARGS: usize = 256;

/// Longest single `run_binary` argument, in code points (`$defs/processArgument/maxLength`).
pub const MAX_ARG_CHARS: usize = 32_768;
