//! `executor`: reads one JSON command or batch from stdin, writes one JSON document to
//! stdout, and exits 0 (ran), 2 (input rejected) or 1 (executor failure). The contract is
//! `schemas/command.schema.json` in, `schemas/result.schema.json` out; see the crate docs.

use executor::config::Config;
use executor::exit_code;
use executor::result::{Output, Rejection, RejectionCode};
use std::io::{self, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = Config::from_env();
    let mut input = Vec::new();
    if let Err(e) = io::stdin().lock().read_to_end(&mut input) {
        let rejection = Rejection::new(RejectionCode::IoError, format!("could not read stdin: {}", e));
        return finish(&Output::Error(rejection.into_document()), exit_code::INTERNAL_ERROR);
    }

    // The executor is written not to panic; if a bug makes it panic anyway, the route must
    // still receive a JSON document it can parse (the panic message goes to stderr).
    match panic::catch_unwind(AssertUnwindSafe(|| executor::execute(&input, &config))) {
        Ok(outcome) => finish(&outcome.output, outcome.exit_code),
        Err(_) => {
            let rejection = Rejection::new(
                RejectionCode::InternalError,
                "the executor hit a bug while handling this input",
            );
            finish(&Output::Error(rejection.into_document()), exit_code::INTERNAL_ERROR)
        }
    }
}

/// Writes `output` and a newline to stdout and returns `code`, or the internal-error code
/// when stdout cannot take it (e.g. the reader went away: Rust ignores SIGPIPE, so that
/// surfaces here as an error rather than killing the process).
fn finish(output: &Output, code: u8) -> ExitCode {
    let stdout = io::stdout();
    let mut writer = io::BufWriter::new(stdout.lock());
    let written = serde_json::to_writer(&mut writer, output)
        .map_err(io::Error::from)
        .and_then(|()| writer.write_all(b"\n"))
        .and_then(|()| writer.flush());
    match written {
        Ok(()) => ExitCode::from(code),
        Err(_) => ExitCode::from(exit_code::INTERNAL_ERROR),
    }
}
