//! The output documents, described by `schemas/result.schema.json`.
//!
//! Exactly one document is written to stdout per run:
//!
//! - a [`ResultDocument`] (exit code 0): one [`CommandResult`] per command, in input order,
//!   each carrying its `index`, so a batch's answers can be matched to its questions;
//! - an [`ErrorDocument`] (exit code 1 or 2): why the input as a whole was not run.

use crate::command::Command;
use crate::exit_code;
use serde::Serialize;
use serde_json::Value;

/// Whatever the executor prints.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Output {
    /// The input ran (`$defs/resultDocument`).
    Results(ResultDocument),
    /// The input was rejected or the executor failed (`$defs/errorDocument`).
    Error(ErrorDocument),
}

/// `{ "results": [...] }`: one entry per command (`$defs/resultDocument`).
#[derive(Debug, Serialize)]
pub struct ResultDocument {
    /// The commands' results, in input order.
    pub results: Vec<CommandResult>,
}

/// The result of one command (`$defs/commandResult`).
#[derive(Debug, Serialize)]
pub struct CommandResult {
    /// The command's position in the batch; 0 for a single command.
    pub index: usize,
    /// The command's `action`, echoed so a result can be read on its own.
    pub action: &'static str,
    /// `"status": "ok"` with a `value`, or `"status": "error"` with an `error`.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl CommandResult {
    /// Wraps what [`crate::actions::run`] returned for command number `index`.
    pub fn new(index: usize, command: &Command, outcome: Result<Value, ActionError>) -> Self {
        CommandResult {
            index,
            action: command.action(),
            outcome: match outcome {
                Ok(value) => Outcome::Ok { value },
                Err(error) => Outcome::Error { error },
            },
        }
    }
}

/// How one command ended.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// The command succeeded; the value's shape depends on the action.
    Ok {
        /// The action's value (`$defs/okResult`).
        value: Value,
    },
    /// The command was valid but could not be carried out.
    Error {
        /// What went wrong (`$defs/actionError`).
        error: ActionError,
    },
}

/// Why a valid command failed (`$defs/actionError`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionError {
    /// A stable, machine-readable reason.
    pub code: ActionErrorCode,
    /// A sentence for humans.
    pub message: String,
}

impl ActionError {
    /// An error with `code` and `message`.
    pub fn new(code: ActionErrorCode, message: impl Into<String>) -> Self {
        ActionError {
            code,
            message: message.into(),
        }
    }
}

/// The reasons a valid command can fail (`$defs/actionError/properties/code/enum`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionErrorCode {
    /// `add`/`subtract`: the exact result is outside the safe-integer range.
    Overflow,
    /// `run_binary`: the server's allow-list is empty, so no program may run.
    RunBinaryDisabled,
    /// `run_binary`: the path is not on the server's allow-list.
    RunBinaryNotAllowed,
    /// `run_binary`: the program could not be started (missing, not executable, …).
    RunBinaryFailed,
    /// `run_binary`: the program outlived its time limit and was killed.
    RunBinaryTimeout,
}

/// `{ "error": {...} }` (`$defs/errorDocument`).
#[derive(Debug, Serialize)]
pub struct ErrorDocument {
    /// Why nothing ran.
    pub error: Rejection,
}

/// Why the input as a whole was not run (`$defs/errorDocument/properties/error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// A stable, machine-readable reason.
    pub code: RejectionCode,
    /// A sentence for humans, naming what was wrong.
    pub message: String,
    /// For `invalid_command`: a JSON Pointer (RFC 6901) to the offending value, `""` for
    /// the whole document. Absent for the other codes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Rejection {
    /// A rejection without a location.
    pub fn new(code: RejectionCode, message: impl Into<String>) -> Self {
        Rejection {
            code,
            message: message.into(),
            path: None,
        }
    }

    /// The document that reports this rejection.
    pub fn into_document(self) -> ErrorDocument {
        ErrorDocument { error: self }
    }
}

/// The reasons an input is not run (`$defs/errorDocument/properties/error/properties/code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionCode {
    /// stdin was not a JSON text the executor can read: empty, not UTF-8, bad syntax,
    /// nested deeper than 128 levels, or a number beyond the range of a double.
    MalformedJson,
    /// stdin was JSON but not a command or batch that `schemas/command.schema.json` accepts.
    InvalidCommand,
    /// Reading stdin failed.
    IoError,
    /// A bug in the executor was caught; the input may be fine.
    InternalError,
}

impl RejectionCode {
    /// The exit code that goes with this rejection.
    pub fn exit_code(self) -> u8 {
        match self {
            RejectionCode::MalformedJson | RejectionCode::InvalidCommand => exit_code::REJECTED,
            RejectionCode::IoError | RejectionCode::InternalError => exit_code::INTERNAL_ERROR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{SleepArgs, TextArgs};
    use crate::fields::{SleepMillis, Text};
    use serde_json::json;

    #[test]
    fn an_ok_result_has_index_action_status_and_value() {
        let command = Command::SleepMs(SleepArgs { ms: SleepMillis(0) });
        let result = CommandResult::new(3, &command, Ok(json!({"slept_ms": 0})));
        assert_eq!(
            serde_json::to_value(&result).expect("serializable"),
            json!({"index": 3, "action": "sleep_ms", "status": "ok", "value": {"slept_ms": 0}})
        );
    }

    #[test]
    fn an_error_result_has_a_code_and_a_message() {
        let command = Command::Sha256(TextArgs { text: Text(String::new()) });
        let error = ActionError::new(ActionErrorCode::RunBinaryNotAllowed, "no");
        let result = CommandResult::new(0, &command, Err(error));
        assert_eq!(
            serde_json::to_value(&result).expect("serializable"),
            json!({"index": 0, "action": "sha256", "status": "error",
                   "error": {"code": "run_binary_not_allowed", "message": "no"}})
        );
    }

    #[test]
    fn a_rejection_omits_an_absent_path() {
        let document = Rejection::new(RejectionCode::MalformedJson, "bad").into_document();
        assert_eq!(
            serde_json::to_value(&document).expect("serializable"),
            json!({"error": {"code": "malformed_json", "message": "bad"}})
        );
    }
}
