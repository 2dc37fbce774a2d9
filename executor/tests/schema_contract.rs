//! The Rust constants and names against `schemas/*.schema.json`: if either side changes
//! a bound, an action or an error code without the other, this fails.

mod common;

use common::schemas_dir;
use executor::command::Command;
use executor::limits;
use executor::result::{ActionErrorCode, RejectionCode};
use serde_json::{json, Value};
use std::fs;

fn schema(name: &str) -> Value {
    let path = schemas_dir().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e));
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn at<'a>(schema: &'a Value, pointer: &str) -> &'a Value {
    schema.pointer(pointer).unwrap_or_else(|| panic!("schema has no {}", pointer))
}

#[test]
fn command_schema_bounds_match_the_limits() {
    let s = schema("command.schema.json");
    let cases = [
        ("/$defs/safeInteger/minimum", json!(limits::MIN_SAFE_INTEGER)),
        ("/$defs/safeInteger/maximum", json!(limits::MAX_SAFE_INTEGER)),
        ("/$defs/batch/minItems", json!(limits::MIN_BATCH_LEN)),
        ("/$defs/batch/maxItems", json!(limits::MAX_BATCH_LEN)),
        ("/$defs/text/maxLength", json!(limits::MAX_TEXT_CHARS)),
        ("/$defs/sleepArgs/properties/ms/minimum", json!(0)),
        ("/$defs/sleepArgs/properties/ms/maximum", json!(limits::MAX_SLEEP_MS)),
        ("/$defs/binaryPath/maxLength", json!(limits::MAX_PATH_CHARS)),
        ("/$defs/runBinaryArgs/properties/args/maxItems", json!(limits::MAX_ARGS)),
        ("/$defs/processArgument/maxLength", json!(limits::MAX_ARG_CHARS)),
    ];
    for (pointer, expected) in cases {
        assert_eq!(at(&s, pointer), &expected, "{}", pointer);
    }
}

#[test]
fn the_safe_integer_bound_is_javascripts() {
    assert_eq!(limits::MAX_SAFE_INTEGER, (1i64 << 53) - 1);
    assert_eq!(limits::MIN_SAFE_INTEGER, -limits::MAX_SAFE_INTEGER);
}

#[test]
fn command_schema_actions_match_the_command_enum() {
    let s = schema("command.schema.json");
    let variants = at(&s, "/$defs/command/oneOf").as_array().expect("an array");
    let actions: Vec<&str> = variants
        .iter()
        .map(|variant| {
            let reference = variant["$ref"].as_str().expect("a $ref");
            let pointer = reference.trim_start_matches('#');
            at(&s, &format!("{}/properties/action/const", pointer)).as_str().expect("a const")
        })
        .collect();
    assert_eq!(actions, Command::ACTIONS);
    let result_actions = at(&schema("result.schema.json"), "/$defs/errorResult/properties/action/enum").clone();
    assert_eq!(result_actions, json!(Command::ACTIONS));
}

#[test]
fn every_command_type_forbids_unknown_members() {
    let s = schema("command.schema.json");
    for (name, definition) in at(&s, "/$defs").as_object().expect("$defs") {
        if definition["type"] == "object" {
            assert_eq!(definition["additionalProperties"], false, "$defs/{}", name);
        }
    }
}

#[test]
fn result_schema_error_codes_match_the_rust_enums() {
    let s = schema("result.schema.json");
    // Exhaustive matches: adding a variant without listing it here does not compile.
    let action_codes = [
        ActionErrorCode::Overflow,
        ActionErrorCode::RunBinaryDisabled,
        ActionErrorCode::RunBinaryNotAllowed,
        ActionErrorCode::RunBinaryFailed,
        ActionErrorCode::RunBinaryTimeout,
    ];
    for code in action_codes {
        match code {
            ActionErrorCode::Overflow
            | ActionErrorCode::RunBinaryDisabled
            | ActionErrorCode::RunBinaryNotAllowed
            | ActionErrorCode::RunBinaryFailed
            | ActionErrorCode::RunBinaryTimeout => {}
        }
    }
    let rejection_codes = [
        RejectionCode::MalformedJson,
        RejectionCode::InvalidCommand,
        RejectionCode::IoError,
        RejectionCode::InternalError,
    ];
    for code in rejection_codes {
        match code {
            RejectionCode::MalformedJson
            | RejectionCode::InvalidCommand
            | RejectionCode::IoError
            | RejectionCode::InternalError => {}
        }
    }
    assert_eq!(
        at(&s, "/$defs/actionError/properties/code/enum"),
        &serde_json::to_value(action_codes).expect("serializable")
    );
    assert_eq!(
        at(&s, "/$defs/errorDocument/properties/error/properties/code/enum"),
        &serde_json::to_value(rejection_codes).expect("serializable")
    );
}

#[test]
fn result_schema_integer_bounds_match_the_limits() {
    let s = schema("result.schema.json");
    assert_eq!(at(&s, "/$defs/integerResult/properties/value/minimum"), &json!(limits::MIN_SAFE_INTEGER));
    assert_eq!(at(&s, "/$defs/integerResult/properties/value/maximum"), &json!(limits::MAX_SAFE_INTEGER));
    assert_eq!(at(&s, "/$defs/resultDocument/properties/results/maxItems"), &json!(limits::MAX_BATCH_LEN));
}
