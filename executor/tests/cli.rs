//! The executor as a black box: stdin in, stdout and exit code out, for every action,
//! every refusal and every kind of malformed input.

mod common;

use common::{run, run_with_env};
use serde_json::{json, Value};
use std::time::Duration;

fn single(document: Value) -> Value {
    let run = run(document.to_string().as_bytes());
    let results = run.results();
    assert_eq!(results.len(), 1);
    results[0].clone()
}

// ---- the document shapes ----

#[test]
fn a_single_command_gets_a_document_with_one_result() {
    let run = run(br#"{"action":"add","args":{"a":2,"b":3}}"#);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.output,
        json!({"results": [{"index": 0, "action": "add", "status": "ok", "value": 5}]})
    );
    assert_eq!(run.raw_stdout.last(), Some(&b'\n'), "the document ends with a newline");
    assert_eq!(run.raw_stdout.iter().filter(|&&b| b == b'\n').count(), 1, "on one line");
}

#[test]
fn a_batch_gets_one_result_per_command_in_order() {
    let batch = json!([
        {"action": "add", "args": {"a": 9007199254740991i64, "b": 1}},
        {"action": "sha256", "args": {"text": "abc"}},
        {"action": "run_binary", "args": {"path": "/bin/echo", "args": ["hi"]}},
        {"action": "subtract", "args": {"a": 10, "b": 4}}
    ]);
    let run = run(batch.to_string().as_bytes());
    assert_eq!(
        run.results(),
        &vec![
            json!({"index": 0, "action": "add", "status": "error", "error": {"code": "overflow",
                "message": "9007199254740991 + 1 is outside the safe integer range -9007199254740991..=9007199254740991"}}),
            json!({"index": 1, "action": "sha256", "status": "ok",
                "value": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}),
            json!({"index": 2, "action": "run_binary", "status": "error", "error": {"code": "run_binary_disabled",
                "message": "run_binary is disabled: the server's allow-list is empty"}}),
            json!({"index": 3, "action": "subtract", "status": "ok", "value": 6}),
        ]
    );
}

#[test]
fn a_batch_of_ten_thousand_runs() {
    let command = json!({"action": "add", "args": {"a": 1, "b": 2}});
    let batch = Value::Array(vec![command; 10_000]);
    let run = run(batch.to_string().as_bytes());
    let results = run.results();
    assert_eq!(results.len(), 10_000);
    assert_eq!(results[9_999], json!({"index": 9999, "action": "add", "status": "ok", "value": 3}));
}

#[test]
fn a_batch_of_ten_thousand_and_one_is_rejected_and_nothing_runs() {
    let command = json!({"action": "sleep_ms", "args": {"ms": 1000}});
    let batch = Value::Array(vec![command; 10_001]);
    let run = run(batch.to_string().as_bytes());
    let error = run.rejection("invalid_command");
    assert_eq!(error["path"], "");
    assert!(run.elapsed < Duration::from_secs(5), "nothing slept");
}

#[test]
fn one_invalid_command_rejects_the_whole_batch() {
    // Twenty valid one-second sleeps, then an invalid command: were any of the sleeps run, the
    // rejection would take seconds; the margin (20 s of sleeps against a 10 s bound) holds on busy cores.
    let mut commands = vec![json!({"action": "sleep_ms", "args": {"ms": 1000}}); 20];
    commands.push(json!({"action": "add", "args": {"a": 1}}));
    let run = run(Value::Array(commands).to_string().as_bytes());
    assert_eq!(run.rejection("invalid_command")["path"], "/20/args");
    assert!(run.elapsed < Duration::from_secs(10), "none of the valid sleeps ran (took {:?})", run.elapsed);
}

// ---- every action ----

#[test]
fn add_and_subtract() {
    let add = single(json!({"action": "add", "args": {"a": -7, "b": 3}}));
    assert_eq!(add["value"], -4);
    let subtract = single(json!({"action": "subtract", "args": {"a": -7, "b": 3}}));
    assert_eq!(subtract["value"], -10);
    let integral_floats = run(br#"{"action":"add","args":{"a":1.0,"b":2e1}}"#);
    assert_eq!(integral_floats.results()[0]["value"], 21);
}

#[test]
fn overflow_is_an_error_result_never_a_wrapped_number() {
    let cases = [
        json!({"action": "add", "args": {"a": 9007199254740991i64, "b": 1}}),
        json!({"action": "add", "args": {"a": -9007199254740991i64, "b": -9007199254740991i64}}),
        json!({"action": "subtract", "args": {"a": -9007199254740991i64, "b": 1}}),
        json!({"action": "subtract", "args": {"a": 9007199254740991i64, "b": -9007199254740991i64}}),
    ];
    for command in cases {
        let result = single(command.clone());
        assert_eq!(result["status"], "error", "{}", command);
        assert_eq!(result["error"]["code"], "overflow");
        assert!(result.get("value").is_none());
    }
    let at_the_edge = single(json!({"action": "add", "args": {"a": 9007199254740990i64, "b": 1}}));
    assert_eq!(at_the_edge["value"], 9007199254740991i64);
}

#[test]
fn sha256_hashes_the_utf8_bytes() {
    let empty = single(json!({"action": "sha256", "args": {"text": ""}}));
    assert_eq!(empty["value"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    let unicode = single(json!({"action": "sha256", "args": {"text": "héllo 😀"}}));
    assert_eq!(unicode["value"], "a53c56966616f0ec3ed9db7ea07a6034430149528bbaba8966c284f9373669c2");
}

#[test]
fn base64_encode_encodes_the_utf8_bytes() {
    let result = single(json!({"action": "base64_encode", "args": {"text": "foobar"}}));
    assert_eq!(result["value"], "Zm9vYmFy");
    let result = single(json!({"action": "base64_encode", "args": {"text": "é"}}));
    assert_eq!(result["value"], "w6k=");
}

#[test]
fn sleep_ms_really_sleeps() {
    let run = run(br#"[{"action":"sleep_ms","args":{"ms":150}},{"action":"sleep_ms","args":{"ms":100}}]"#);
    let results = run.results();
    assert_eq!(results[0]["value"], json!({"slept_ms": 150}));
    assert_eq!(results[1]["value"], json!({"slept_ms": 100}));
    assert!(run.elapsed >= Duration::from_millis(250), "slept {:?}", run.elapsed);
}

#[test]
fn sleep_ms_accepts_its_bounds() {
    let run = run(br#"[{"action":"sleep_ms","args":{"ms":0}},{"action":"sleep_ms","args":{"ms":1000}}]"#);
    assert_eq!(run.results().len(), 2);
    assert!(run.elapsed >= Duration::from_millis(1000));
}

// ---- run_binary and its refusals ----

const ECHO: &str = r#"{"action":"run_binary","args":{"path":"/bin/echo","args":["hello","$HOME"]}}"#;

#[test]
fn run_binary_is_refused_while_the_allow_list_is_unset() {
    let run = run(ECHO.as_bytes());
    let result = &run.results()[0];
    assert_eq!(result["status"], "error");
    assert_eq!(
        result["error"],
        json!({"code": "run_binary_disabled", "message": "run_binary is disabled: the server's allow-list is empty"})
    );
}

#[test]
fn run_binary_is_refused_while_the_allow_list_is_empty_or_holds_no_absolute_path() {
    for list in ["", ":", "echo:bin/echo"] {
        let run = run_with_env(ECHO.as_bytes(), &[("EXECUTOR_ALLOW_BINARIES", list)]);
        assert_eq!(run.results()[0]["error"]["code"], "run_binary_disabled", "list {:?}", list);
    }
}

#[test]
fn run_binary_refuses_a_path_not_on_the_list() {
    let lists = ["/bin/true", "/bin/echo/", "/usr/bin/../bin/echo", "/bin/ech"];
    for list in lists {
        let run = run_with_env(ECHO.as_bytes(), &[("EXECUTOR_ALLOW_BINARIES", list)]);
        let error = &run.results()[0]["error"];
        assert_eq!(error["code"], "run_binary_not_allowed", "list {:?}", list);
        assert!(error["message"].as_str().unwrap_or("").contains("/bin/echo"));
    }
}

#[test]
fn run_binary_runs_an_allowed_program_without_a_shell() {
    let env = [("EXECUTOR_ALLOW_BINARIES", "/bin/true:/bin/echo")];
    let run = run_with_env(ECHO.as_bytes(), &env);
    assert_eq!(
        run.results()[0],
        json!({"index": 0, "action": "run_binary", "status": "ok", "value": {
            "exit_code": 0, "signal": null, "stdout": "hello $HOME\n", "stderr": "", "truncated": false}})
    );
}

#[test]
fn run_binary_reports_a_program_that_cannot_start() {
    let missing = r#"{"action":"run_binary","args":{"path":"/nonexistent/tool","args":[]}}"#;
    let run = run_with_env(missing.as_bytes(), &[("EXECUTOR_ALLOW_BINARIES", "/nonexistent/tool")]);
    assert_eq!(run.results()[0]["error"]["code"], "run_binary_failed");
}

// ---- malformed input: always exit 2, a JSON error document, nothing on stderr ----

#[test]
fn empty_stdin_is_malformed() {
    assert!(run(b"").rejection("malformed_json").get("path").is_none());
    run(b"  \n").rejection("malformed_json");
}

#[test]
fn syntax_errors_are_malformed() {
    for input in [&b"{"[..], b"{\"action\":\"add\",}", b"[1 2]", b"nul", b"{} []", b"\xEF\xBB\xBF{}"] {
        run(input).rejection("malformed_json");
    }
}

#[test]
fn non_utf8_bytes_are_malformed() {
    run(b"{\"action\":\"sha256\",\"args\":{\"text\":\"\xC3\x28\"}}").rejection("malformed_json");
    run(b"\xFF\xFE{\x00}\x00").rejection("malformed_json");
    run(b"\x00").rejection("malformed_json");
}

#[test]
fn an_unpaired_surrogate_escape_is_malformed() {
    run(br#"{"action":"sha256","args":{"text":"\udc00x"}}"#).rejection("malformed_json");
}

#[test]
fn a_number_beyond_a_double_is_malformed() {
    let run = run(br#"{"action":"add","args":{"a":1e400,"b":1}}"#);
    let error = run.rejection("malformed_json");
    assert!(error["message"].as_str().unwrap_or("").contains("number out of range"), "{}", error);
}

#[test]
fn huge_integers_are_invalid_and_named() {
    let cases: [(&[u8], &str); 4] = [
        (br#"{"action":"add","args":{"a":99999999999999999999,"b":1}}"#, "/args/a"),
        (br#"{"action":"add","args":{"a":1,"b":-9223372036854775809}}"#, "/args/b"),
        (br#"[{"action":"add","args":{"a":9007199254740992,"b":1}}]"#, "/0/args/a"),
        (br#"{"action":"sleep_ms","args":{"ms":1e300}}"#, "/args/ms"),
    ];
    for (input, path) in cases {
        assert_eq!(run(input).rejection("invalid_command")["path"], path);
    }
}

#[test]
fn deep_nesting_is_reported_cleanly() {
    for depth in [129, 10_000, 1_000_000] {
        let input = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let run = run(input.as_bytes());
        let error = run.rejection("malformed_json");
        assert!(error["message"].as_str().unwrap_or("").contains("recursion limit"), "{}", error);
    }
    let in_args = format!(r#"{{"action":"add","args":{{"a":{}1{},"b":1}}}}"#, "[".repeat(500), "]".repeat(500));
    run(in_args.as_bytes()).rejection("malformed_json");
}

#[test]
fn shallow_nesting_below_the_limit_is_invalid_not_malformed() {
    let input = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(run(input.as_bytes()).rejection("invalid_command")["path"], "/0");
}

// ---- invalid commands: exit 2, and the path names the offending value ----

#[test]
fn invalid_commands_name_the_offending_location() {
    let cases: [(&str, &str); 14] = [
        (r#"{"action":"multiply","args":{"a":1,"b":2}}"#, "/action"),
        (r#"{"action":0,"args":{"a":1,"b":2}}"#, "/action"),
        (r#"{"args":{"a":1,"b":2}}"#, ""),
        (r#"{"action":"add"}"#, ""),
        (r#"{"action":"add","args":{"a":1,"b":2},"x":1}"#, "/x"),
        (r#"{"action":"add","args":{"a":1,"b":2,"c/d":1}}"#, "/args/c~1d"),
        (r#"{"action":"add","args":{"a":"1","b":2}}"#, "/args/a"),
        (r#"{"action":"add","args":[1,2]}"#, "/args"),
        (r#"{"action":"sha256","args":{"text":null}}"#, "/args/text"),
        (r#"{"action":"sleep_ms","args":{"ms":1001}}"#, "/args/ms"),
        (r#"{"action":"run_binary","args":{"path":"echo","args":[]}}"#, "/args/path"),
        (r#"{"action":"run_binary","args":{"path":"/bin/echo","args":[true]}}"#, "/args/args/0"),
        (r#"[]"#, ""),
        (r#"true"#, ""),
    ];
    for (input, path) in cases {
        let run = run(input.as_bytes());
        let error = run.rejection("invalid_command");
        assert_eq!(error["path"], path, "input {}: {}", input, error);
        assert!(!error["message"].as_str().unwrap_or("").is_empty());
    }
}

#[test]
fn text_over_one_mebibyte_of_code_points_is_invalid() {
    let at_limit = json!({"action": "base64_encode", "args": {"text": "é".repeat(1 << 20)}});
    let run_at_limit = run(at_limit.to_string().as_bytes());
    assert_eq!(run_at_limit.results()[0]["status"], "ok");
    let over = json!({"action": "sha256", "args": {"text": "a".repeat((1 << 20) + 1)}});
    assert_eq!(run(over.to_string().as_bytes()).rejection("invalid_command")["path"], "/args/text");
}
