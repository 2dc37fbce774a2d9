//! `sleep_ms`: blocks the executor (and so the rest of its batch) for real.

use crate::command::SleepArgs;
use serde_json::{json, Value};
use std::time::Duration;

/// Sleeps `ms` milliseconds; the value echoes the request as `{ "slept_ms": ms }`.
///
/// `thread::sleep` may oversleep but never undersleeps (it resumes after interruptions),
/// so the echoed figure is a lower bound on the time actually spent.
pub fn sleep(args: &SleepArgs) -> Value {
    std::thread::sleep(Duration::from_millis(args.ms.0));
    json!({ "slept_ms": args.ms.0 })
}
