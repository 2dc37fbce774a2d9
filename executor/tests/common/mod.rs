//! Runs the built `executor` binary the way the route does: bytes on stdin, one JSON
//! document back on stdout.

// Each integration test file is its own crate and uses a different subset of these helpers.
#![allow(dead_code)]

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What one run of the executor produced.
#[derive(Debug)]
pub struct Run {
    /// The process exit code (None if a signal ended it, which a test treats as a crash).
    pub code: Option<i32>,
    /// stdout, parsed as JSON.
    pub output: Value,
    /// stdout exactly as written.
    pub raw_stdout: Vec<u8>,
    /// stderr as text; empty unless the executor is broken.
    pub stderr: String,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// Runs the executor on `input` with `EXECUTOR_ALLOW_BINARIES` unset.
pub fn run(input: &[u8]) -> Run {
    run_with_env(input, &[])
}

/// Runs the executor on `input` with the given extra environment variables. The variable
/// `EXECUTOR_ALLOW_BINARIES` is removed first, so the tests never inherit an allow-list.
pub fn run_with_env(input: &[u8], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_executor"));
    command
        .env_remove("EXECUTOR_ALLOW_BINARIES")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("the executor binary starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    // Written from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let finished = child.wait_with_output().expect("the executor runs");
    writer.join().expect("the writer thread finishes");
    let output = serde_json::from_slice(&finished.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({}): {:?}",
            e,
            String::from_utf8_lossy(&finished.stdout)
        )
    });
    Run {
        code: finished.status.code(),
        output,
        raw_stdout: finished.stdout,
        stderr: String::from_utf8_lossy(&finished.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

impl Run {
    /// Asserts the input ran (exit 0, nothing on stderr) and returns `results`.
    pub fn results(&self) -> &Vec<Value> {
        assert_eq!(self.code, Some(0), "expected exit 0, got {:?}: {}", self.code, self.output);
        assert_eq!(self.stderr, "", "stderr should be empty");
        self.output["results"].as_array().expect("a results array")
    }

    /// Asserts the input was rejected (exit 2, nothing on stderr) with `code`, and returns
    /// the error object.
    pub fn rejection(&self, code: &str) -> &Value {
        assert_eq!(self.code, Some(2), "expected exit 2, got {:?}: {}", self.code, self.output);
        assert_eq!(self.stderr, "", "stderr should be empty");
        let error = &self.output["error"];
        assert_eq!(error["code"], code, "{}", self.output);
        error
    }
}

/// The repository's `schemas/` folder.
pub fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}
