//! `run_binary`: starts a program the operator allowed, and only such a program.
//!
//! The guest never decides what may run. The allow-list comes from the server's
//! environment ([`crate::config::ALLOW_BINARIES_VAR`]) and is empty by default, in which
//! case every `run_binary` is refused with [`DISABLED_MESSAGE`]. An allowed program runs:
//!
//! - without a shell (arguments are passed as they are, nothing is expanded);
//! - with an empty environment, so the server's secrets do not leak into it;
//! - with stdin closed, and stdout/stderr captured up to a cap each;
//! - under a time limit, after which it is killed (SIGKILL).
//!
//! A program that exits with a non-zero status still has an `ok` result: it ran, and the
//! status is part of the value. Errors are reserved for refusing, failing to start, and
//! timing out.
//!
//! Known limit: the kill reaches the program, not processes it started in the background
//! (Rust 1.63 has no `process_group`); their output is not waited for past the deadline.

use crate::command::RunBinaryArgs;
use crate::config::Config;
use crate::result::{ActionError, ActionErrorCode};
use serde_json::{json, Value};
use std::io::{ErrorKind, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// The reason given for every `run_binary` while the allow-list is empty.
pub const DISABLED_MESSAGE: &str = "run_binary is disabled: the server's allow-list is empty";

/// Checks `args.path` against the allow-list, then runs it.
///
/// The value is `{ "exit_code", "signal", "stdout", "stderr", "truncated" }`: `exit_code` is
/// null when a signal ended the program, `signal` is null otherwise; the streams are
/// decoded as UTF-8 with invalid sequences replaced by U+FFFD; `truncated` is true when
/// either stream is incomplete (over the cap, or still held open by a background process).
pub fn run(args: &RunBinaryArgs, config: &Config) -> Result<Value, ActionError> {
    let path = args.path.0.as_str();
    if config.allow_list.is_empty() {
        return Err(ActionError::new(ActionErrorCode::RunBinaryDisabled, DISABLED_MESSAGE));
    }
    if !config.allow_list.allows(path) {
        return Err(ActionError::new(
            ActionErrorCode::RunBinaryNotAllowed,
            format!("run_binary refused: {:?} is not on the server's allow-list", path),
        ));
    }

    let mut child = Command::new(path)
        .args(args.args.0.iter().map(|argument| argument.0.as_str()))
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("could not start {:?}: {}", path, e)))?;
    let deadline = Instant::now() + config.run_binary_timeout;

    // Both pipes are drained concurrently with the wait: a program that fills one pipe
    // while the executor waits on the other (or on its exit) would otherwise deadlock.
    let captures = (
        Capture::start(child.stdout.take(), config.max_captured_bytes),
        Capture::start(child.stderr.take(), config.max_captured_bytes),
    );
    let (stdout, stderr) = match captures {
        (Ok(stdout), Ok(stderr)) => (stdout, stderr),
        (Err(e), _) | (_, Err(e)) => {
            kill(&mut child);
            return Err(failed(format!("could not capture the output of {:?}: {}", path, e)));
        }
    };

    let status = wait_until(&mut child, deadline, path)?;
    let (stdout, stdout_complete) = stdout.finish(deadline);
    let (stderr, stderr_complete) = stderr.finish(deadline);
    Ok(json!({
        "exit_code": status.code(),
        "signal": status.signal(),
        "stdout": stdout,
        "stderr": stderr,
        "truncated": !(stdout_complete && stderr_complete),
    }))
}

fn failed(message: String) -> ActionError {
    ActionError::new(ActionErrorCode::RunBinaryFailed, message)
}

/// Waits for `child` to exit, killing it at `deadline`. std has no wait-with-timeout, so
/// this polls, with a short first interval because most programs finish in milliseconds.
fn wait_until(child: &mut Child, deadline: Instant, path: &str) -> Result<ExitStatus, ActionError> {
    let mut interval = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) => {}
            Err(e) => {
                kill(child);
                return Err(failed(format!("could not wait for {:?}: {}", path, e)));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            kill(child);
            return Err(ActionError::new(
                ActionErrorCode::RunBinaryTimeout,
                format!("{:?} was still running at its time limit and was killed", path),
            ));
        }
        thread::sleep(interval.min(deadline - now));
        interval = (interval * 2).min(Duration::from_millis(20));
    }
}

/// Kills and reaps `child`; errors mean it has already exited, which is the goal.
fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// One output stream being read on its own thread.
struct Capture {
    captured: Arc<Mutex<Captured>>,
    done: mpsc::Receiver<()>,
}

#[derive(Default)]
struct Captured {
    bytes: Vec<u8>,
    dropped_some: bool,
}

impl Capture {
    /// Starts reading `source` until end of file, keeping the first `cap` bytes.
    fn start<R: Read + Send + 'static>(source: Option<R>, cap: usize) -> std::io::Result<Capture> {
        let captured = Arc::new(Mutex::new(Captured::default()));
        let (done_tx, done) = mpsc::channel();
        match source {
            None => {
                let _ = done_tx.send(());
            }
            Some(mut source) => {
                let sink = Arc::clone(&captured);
                thread::Builder::new().name("run_binary-capture".into()).spawn(move || {
                    let mut buffer = [0u8; 8192];
                    loop {
                        match source.read(&mut buffer) {
                            Ok(0) => break,
                            Ok(n) => {
                                let mut captured = lock(&sink);
                                let room = cap.saturating_sub(captured.bytes.len());
                                let kept = n.min(room);
                                captured.bytes.extend_from_slice(&buffer[..kept]);
                                captured.dropped_some |= kept < n;
                            }
                            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                            Err(_) => break,
                        }
                    }
                    let _ = done_tx.send(());
                })?;
            }
        }
        Ok(Capture { captured, done })
    }

    /// Waits for end of file until `deadline` (or briefly, if it has passed), then returns
    /// the text read so far and whether it is complete.
    fn finish(self, deadline: Instant) -> (String, bool) {
        let patience = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(50));
        let reached_end = self.done.recv_timeout(patience).is_ok();
        let captured = lock(&self.captured);
        let text = String::from_utf8_lossy(&captured.bytes).into_owned();
        (text, reached_end && !captured.dropped_some)
    }
}

/// Locks without panicking: a poisoned lock only means a reader thread panicked, and the
/// bytes it appended are still worth returning.
fn lock(captured: &Mutex<Captured>) -> MutexGuard<'_, Captured> {
    captured.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AllowList;
    use crate::fields::{ArgumentList, BinaryPath, ProcessArgument};

    fn command(path: &str, args: &[&str]) -> RunBinaryArgs {
        RunBinaryArgs {
            path: BinaryPath(path.to_owned()),
            args: ArgumentList(args.iter().map(|a| ProcessArgument((*a).to_owned())).collect()),
        }
    }

    fn allowing(paths: &[&str]) -> Config {
        Config {
            allow_list: AllowList::of(paths.iter().copied()),
            ..Config::default()
        }
    }

    #[test]
    fn the_default_config_refuses_everything() {
        let error = run(&command("/bin/echo", &["hi"]), &Config::default()).unwrap_err();
        assert_eq!(error.code, ActionErrorCode::RunBinaryDisabled);
        assert_eq!(error.message, DISABLED_MESSAGE);
    }

    #[test]
    fn refuses_paths_not_on_the_list() {
        let error = run(&command("/bin/sh", &[]), &allowing(&["/bin/echo"])).unwrap_err();
        assert_eq!(error.code, ActionErrorCode::RunBinaryNotAllowed);
        assert!(error.message.contains("\"/bin/sh\""), "{}", error.message);
    }

    #[test]
    fn runs_an_allowed_program_without_a_shell() {
        let value = run(&command("/bin/echo", &["$HOME", "a b"]), &allowing(&["/bin/echo"]));
        assert_eq!(
            value,
            Ok(json!({"exit_code": 0, "signal": null, "stdout": "$HOME a b\n", "stderr": "",
                      "truncated": false}))
        );
    }

    #[test]
    fn runs_with_an_empty_environment() {
        let value = run(&command("/usr/bin/env", &[]), &allowing(&["/usr/bin/env"])).unwrap();
        assert_eq!(value["stdout"], json!(""));
    }

    #[test]
    fn a_non_zero_exit_is_still_a_value() {
        let script = "echo oops >&2; exit 3";
        let value = run(&command("/bin/sh", &["-c", script]), &allowing(&["/bin/sh"])).unwrap();
        assert_eq!(value["exit_code"], json!(3));
        assert_eq!(value["stderr"], json!("oops\n"));
    }

    #[test]
    fn reports_a_program_that_cannot_start() {
        let missing = "/nonexistent/program";
        let error = run(&command(missing, &[]), &allowing(&[missing])).unwrap_err();
        assert_eq!(error.code, ActionErrorCode::RunBinaryFailed);
    }

    #[test]
    fn kills_a_program_at_its_time_limit() {
        let config = Config {
            run_binary_timeout: Duration::from_millis(200),
            ..allowing(&["/bin/sleep"])
        };
        let started = Instant::now();
        let error = run(&command("/bin/sleep", &["10"]), &config).unwrap_err();
        assert_eq!(error.code, ActionErrorCode::RunBinaryTimeout);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn caps_captured_output_and_says_so() {
        let config = Config {
            max_captured_bytes: 10,
            ..allowing(&["/bin/sh"])
        };
        let script = "head -c 1000000 /dev/zero | tr '\\0' x";
        let value = run(&command("/bin/sh", &["-c", script]), &config).unwrap();
        assert_eq!(value["stdout"], json!("xxxxxxxxxx"));
        assert_eq!(value["truncated"], json!(true));
        assert_eq!(value["exit_code"], json!(0));
    }

    #[test]
    fn reports_the_signal_that_ended_a_program() {
        let script = "kill -TERM $$";
        let value = run(&command("/bin/sh", &["-c", script]), &allowing(&["/bin/sh"])).unwrap();
        assert_eq!(value["exit_code"], json!(null));
        assert_eq!(value["signal"], json!(15));
    }
}
