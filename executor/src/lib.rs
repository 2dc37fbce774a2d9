//! The Extension Playground's native command executor.
//!
//! This is the native half of the command pattern: a WebAssembly guest cannot touch the
//! host, so it *describes* what it wants done as JSON, the Next.js route validates that
//! description against `schemas/command.schema.json`, and this program carries it out. One
//! process run handles one document, so a batch is marshalled once in each direction.
//!
//! The flow is one way and each step lives in its own module:
//!
//! 1. [`document::parse`]: stdin bytes → a JSON value (`malformed_json` on failure);
//! 2. [`command::parse_document`]: JSON value → typed [`command::Command`]s, using serde with
//!    `deny_unknown_fields` and bounded field types ([`fields`]) that mirror the schema
//!    keyword for keyword; failures name the offending location as a JSON Pointer
//!    ([`value_de`], [`json_pointer`]) and are reported as `invalid_command`;
//! 3. [`actions::run`]: each command → a value or an [`result::ActionError`];
//! 4. [`result`]: the output document, described by `schemas/result.schema.json`.
//!
//! The input is either accepted as a whole (every command runs, exit code 0, command
//! failures are results) or rejected as a whole (nothing runs, exit code 2): a batch with
//! one bad command does not run its good ones.

pub mod actions;
pub mod base64;
pub mod command;
pub mod config;
pub mod document;
pub mod exit_code;
pub mod fields;
pub mod json_pointer;
pub mod limits;
pub mod result;
pub mod sha256;
pub mod value_de;

use config::Config;
use result::{CommandResult, Output, Rejection, ResultDocument};

/// What one run of the executor produces: the document to print and the exit code.
#[derive(Debug)]
pub struct Outcome {
    /// The JSON document to write to stdout.
    pub output: Output,
    /// The process exit code; see [`exit_code`].
    pub exit_code: u8,
}

/// Parses, validates and runs one input document (the bytes read from stdin).
///
/// Never panics on any input; every way the input can be wrong is a [`Rejection`].
pub fn execute(input: &[u8], config: &Config) -> Outcome {
    let commands = match document::parse(input).and_then(|value| command::parse_document(&value)) {
        Ok(commands) => commands,
        Err(rejection) => return rejected(rejection),
    };
    let results = commands
        .iter()
        .enumerate()
        .map(|(index, command)| CommandResult::new(index, command, actions::run(command, config)))
        .collect();
    Outcome {
        output: Output::Results(ResultDocument { results }),
        exit_code: exit_code::OK,
    }
}

fn rejected(rejection: Rejection) -> Outcome {
    Outcome {
        exit_code: rejection.code.exit_code(),
        output: Output::Error(rejection.into_document()),
    }
}
