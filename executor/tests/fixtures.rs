//! The executor's half of the fixture agreement: every file in `schemas/fixtures/valid`
//! runs (exit 0), every file in `schemas/fixtures/invalid` is rejected (exit 2) with the
//! code and path listed in `schemas/fixtures/executor-expectations.json`. The TypeScript
//! half judges the same files with ajv and `schemas/command.schema.json`.

mod common;

use common::{run, schemas_dir};
use serde_json::{json, Map, Value};
use std::fs;
use std::path::PathBuf;

fn fixtures(kind: &str) -> Vec<(String, PathBuf)> {
    let dir = schemas_dir().join("fixtures").join(kind);
    let mut files: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {}", dir.display(), e))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().map_or(false, |ext| ext == "json"))
        .map(|path| {
            let name = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            (name, path)
        })
        .collect();
    files.sort();
    files
}

fn expectations() -> Map<String, Value> {
    let path = schemas_dir().join("fixtures/executor-expectations.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {}", path.display(), e));
    let document: Value = serde_json::from_str(&text).expect("expectations are JSON");
    document["invalid"].as_object().expect("an `invalid` object").clone()
}

#[test]
fn every_valid_fixture_runs() {
    let files = fixtures("valid");
    assert!(files.len() >= 15, "only {} valid fixtures", files.len());
    for (name, path) in files {
        let input = fs::read(&path).expect("readable fixture");
        let run = run(&input);
        assert_eq!(run.code, Some(0), "{}: {}", name, run.output);
        assert_eq!(run.stderr, "", "{}", name);
        let results = run.output["results"].as_array().expect("a results array");
        for (index, result) in results.iter().enumerate() {
            assert_eq!(result["index"], json!(index), "{}", name);
        }
    }
}

#[test]
fn every_invalid_fixture_is_rejected_as_expected() {
    let files = fixtures("invalid");
    let expected = expectations();
    assert!(files.len() >= 25, "only {} invalid fixtures", files.len());
    assert_eq!(
        files.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(),
        expected.keys().map(String::as_str).collect::<Vec<_>>(),
        "every invalid fixture has exactly one expectation"
    );
    for (name, path) in files {
        let input = fs::read(&path).expect("readable fixture");
        let run = run(&input);
        assert_eq!(run.code, Some(2), "{}: {}", name, run.output);
        assert_eq!(run.stderr, "", "{}", name);
        let mut got = Map::new();
        got.insert("code".into(), run.output["error"]["code"].clone());
        if let Some(path) = run.output["error"].get("path") {
            got.insert("path".into(), path.clone());
        }
        assert_eq!(Value::Object(got), expected[&name], "{}: {}", name, run.output);
    }
}
