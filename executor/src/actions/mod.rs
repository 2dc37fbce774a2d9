//! Step three: carrying out one valid command.
//!
//! One module per kind of work. Every action returns its JSON value or an
//! [`ActionError`]; none of them panics or ends the process, so one failing command never
//! costs the batch its other results.

mod arithmetic;
mod encoding;
mod run_binary;
mod sleep;

use crate::command::Command;
use crate::config::Config;
use crate::result::ActionError;
use serde_json::Value;

pub use run_binary::DISABLED_MESSAGE;

/// Runs `command` under the operator's `config`.
pub fn run(command: &Command, config: &Config) -> Result<Value, ActionError> {
    match command {
        Command::Add(args) => arithmetic::add(args),
        Command::Subtract(args) => arithmetic::subtract(args),
        Command::Sha256(args) => Ok(encoding::sha256(args)),
        Command::Base64Encode(args) => Ok(encoding::base64_encode(args)),
        Command::SleepMs(args) => Ok(sleep::sleep(args)),
        Command::RunBinary(args) => run_binary::run(args, config),
    }
}
