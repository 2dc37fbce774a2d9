//! exit-code-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! Prints one line, then exits with status 3 on purpose (`std::process::exit(3)`, which is
//! proc_exit(3)). Expected exit status: 3.

fn main() {
    println!("exit-code-rs: exiting with status 3 on purpose");
    std::process::exit(3);
}
