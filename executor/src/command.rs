//! The typed commands, and the step from a parsed JSON document to a list of them.
//!
//! The types are the Rust side of `schemas/command.schema.json`: a command is an object
//! with exactly the members `action` (which picks the variant) and `args` (whose shape the
//! variant fixes). serde's adjacently tagged representation is exactly that shape; with
//! `deny_unknown_fields` on every type, a member the schema does not name is an error, as
//! `additionalProperties: false` makes it there.

use crate::fields::{ArgumentList, BinaryPath, SafeInteger, SleepMillis, Text};
use crate::json_pointer::JsonPointer;
use crate::limits::{MAX_BATCH_LEN, MIN_BATCH_LEN};
use crate::result::{Rejection, RejectionCode};
use crate::value_de;
use serde::Deserialize;
use serde_json::Value;

/// One command, as a guest asked for it (`$defs/command`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(
    tag = "action",
    content = "args",
    deny_unknown_fields,
    expecting = "a command: an object with `action` and `args`"
)]
pub enum Command {
    /// `a + b`; a sum outside the safe-integer range is an `overflow` error result.
    #[serde(rename = "add")]
    Add(IntegerPair),
    /// `a - b`; a difference outside the safe-integer range is an `overflow` error result.
    #[serde(rename = "subtract")]
    Subtract(IntegerPair),
    /// The SHA-256 digest (FIPS 180-4) of the UTF-8 bytes of `text`, as lowercase hex.
    #[serde(rename = "sha256")]
    Sha256(TextArgs),
    /// The base64 encoding (RFC 4648 §4, padded) of the UTF-8 bytes of `text`.
    #[serde(rename = "base64_encode")]
    Base64Encode(TextArgs),
    /// Blocks the executor for `ms` milliseconds.
    #[serde(rename = "sleep_ms")]
    SleepMs(SleepArgs),
    /// Runs a program named on the server's allow-list; refused while the list is empty.
    #[serde(rename = "run_binary")]
    RunBinary(RunBinaryArgs),
}

impl Command {
    /// Every action name, in the order of the schema's `$defs/command/oneOf`.
    pub const ACTIONS: [&'static str; 6] =
        ["add", "subtract", "sha256", "base64_encode", "sleep_ms", "run_binary"];

    /// The `action` this command was given with, echoed in its result.
    pub fn action(&self) -> &'static str {
        match self {
            Command::Add(_) => "add",
            Command::Subtract(_) => "subtract",
            Command::Sha256(_) => "sha256",
            Command::Base64Encode(_) => "base64_encode",
            Command::SleepMs(_) => "sleep_ms",
            Command::RunBinary(_) => "run_binary",
        }
    }
}

/// `args` of `add` and `subtract` (`$defs/integerPair`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object with integers `a` and `b`")]
pub struct IntegerPair {
    /// The left operand.
    pub a: SafeInteger,
    /// The right operand.
    pub b: SafeInteger,
}

/// `args` of `sha256` and `base64_encode` (`$defs/textArgs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object with a string `text`")]
pub struct TextArgs {
    /// The text whose UTF-8 bytes are hashed or encoded.
    pub text: Text,
}

/// `args` of `sleep_ms` (`$defs/sleepArgs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object with an integer `ms`")]
pub struct SleepArgs {
    /// How long to sleep, in milliseconds.
    pub ms: SleepMillis,
}

/// `args` of `run_binary` (`$defs/runBinaryArgs`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object with a string `path` and an array `args`")]
pub struct RunBinaryArgs {
    /// The absolute path of the program; it must be spelled exactly as on the allow-list.
    pub path: BinaryPath,
    /// The program's arguments (without `argv[0]`), passed without a shell.
    pub args: ArgumentList,
}

/// Turns the parsed input document into the commands to run, or rejects it as
/// `invalid_command` with the JSON Pointer of the first problem found.
///
/// A document is one command (an object) or a batch (an array of 1 to 10,000 commands).
///
/// Keys are visited in the sorted order of `serde_json`'s map (`action` before `args`), so
/// serde reads the tag before the content and never buffers `args`, which keeps pointers
/// into `args` precise.
pub fn parse_document(document: &Value) -> Result<Vec<Command>, Rejection> {
    let root = JsonPointer::root();
    match document {
        Value::Object(_) => Ok(vec![parse_command(document, root)?]),
        Value::Array(items) => {
            if items.len() < MIN_BATCH_LEN || items.len() > MAX_BATCH_LEN {
                return Err(invalid(
                    format!(
                        "a batch holds {} to {} commands; this one has {}",
                        MIN_BATCH_LEN,
                        MAX_BATCH_LEN,
                        items.len()
                    ),
                    &root,
                ));
            }
            items
                .iter()
                .enumerate()
                .map(|(index, item)| parse_command(item, root.index(index)))
                .collect()
        }
        other => Err(invalid(
            format!(
                "expected a command (object) or a batch of commands (array), found {}",
                json_type(other)
            ),
            &root,
        )),
    }
}

fn parse_command(value: &Value, pointer: JsonPointer) -> Result<Command, Rejection> {
    value_de::from_value(value, pointer).map_err(|e| invalid(e.message().to_owned(), &e.pointer()))
}

fn invalid(message: String, pointer: &JsonPointer) -> Rejection {
    Rejection {
        code: RejectionCode::InvalidCommand,
        message,
        path: Some(pointer.as_str().to_owned()),
    }
}

/// The JSON Schema type name of a value, for messages.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rejection(document: Value) -> Rejection {
        parse_document(&document).expect_err("document should be rejected")
    }

    #[test]
    fn reads_every_action() {
        let batch = json!([
            {"action": "add", "args": {"a": 1, "b": 2}},
            {"action": "subtract", "args": {"a": 1, "b": 2}},
            {"action": "sha256", "args": {"text": "x"}},
            {"action": "base64_encode", "args": {"text": "x"}},
            {"action": "sleep_ms", "args": {"ms": 0}},
            {"action": "run_binary", "args": {"path": "/bin/true", "args": []}}
        ]);
        let commands = parse_document(&batch).expect("valid batch");
        let actions: Vec<&str> = commands.iter().map(Command::action).collect();
        assert_eq!(actions, Command::ACTIONS);
    }

    #[test]
    fn a_single_command_is_a_batch_of_one() {
        let commands = parse_document(&json!({"action": "add", "args": {"a": 1, "b": 2}}));
        assert_eq!(
            commands,
            Ok(vec![Command::Add(IntegerPair { a: SafeInteger(1), b: SafeInteger(2) })])
        );
    }

    #[test]
    fn names_the_location_of_the_first_problem() {
        let cases = [
            (json!({"action": "add", "args": {"a": "1", "b": 2}}), "/args/a"),
            (json!([{"action": "add", "args": {"a": 1, "b": 2}}, {"action": "add", "args": {"a": 1, "b": 2.5}}]), "/1/args/b"),
            (json!({"action": "add", "args": {"a": 1, "b": 2}, "extra": true}), "/extra"),
            (json!({"action": "add", "args": {"a": 1, "b": 2, "c": 3}}), "/args/c"),
            (json!({"action": "add", "args": {"a": 1}}), "/args"),
            (json!({"action": "multiply", "args": {"a": 1, "b": 2}}), "/action"),
            (json!({"action": 0, "args": {"a": 1, "b": 2}}), "/action"),
            (json!({"args": {"a": 1, "b": 2}}), ""),
            (json!({"action": "add"}), ""),
            (json!({"action": "add", "args": [1, 2]}), "/args"),
            (json!([["add", {"a": 1, "b": 2}]]), "/0"),
            (json!({"action": "run_binary", "args": {"path": "/bin/echo", "args": ["a", 1]}}), "/args/args/1"),
            (json!([]), ""),
            (json!("add"), ""),
        ];
        for (document, pointer) in cases {
            let rejection = rejection(document.clone());
            assert_eq!(rejection.code, RejectionCode::InvalidCommand, "{}", document);
            assert_eq!(rejection.path.as_deref(), Some(pointer), "{}: {}", document, rejection.message);
        }
    }

    #[test]
    fn batch_length_is_bounded() {
        let command = json!({"action": "sleep_ms", "args": {"ms": 0}});
        let full = Value::Array(vec![command.clone(); MAX_BATCH_LEN]);
        assert_eq!(parse_document(&full).map(|c| c.len()), Ok(MAX_BATCH_LEN));
        let over = Value::Array(vec![command; MAX_BATCH_LEN + 1]);
        assert!(rejection(over).message.contains("this one has 10001"));
    }
}
