//! args-env-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! `env::args()` has the module's file name first; the environment holds
//! CONFORMANCE_GREETING=hello (the page must supply it) and nothing the manifest does not
//! permit (TERM, CONFORMANCE_*): HOME is never visible. Exits 0; on the first failed check
//! prints "FAIL ..." on stderr and exits 1.

use std::env;

macro_rules! check {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            eprintln!("FAIL line {}: {}", line!(), format!($($what)+));
            std::process::exit(1);
        }
    };
}

fn main() {
    let args: Vec<String> = env::args().collect();
    check!(!args.is_empty(), "no arguments at all");
    check!(args[0].ends_with(".wasm"), "argv[0] is {:?}, not the module's file name", args[0]);

    let greeting = env::var("CONFORMANCE_GREETING");
    check!(greeting.is_ok(), "CONFORMANCE_GREETING is not set (run with CONFORMANCE_GREETING=hello)");
    check!(greeting.as_deref() == Ok("hello"), "CONFORMANCE_GREETING is {:?}", greeting);
    check!(env::var_os("HOME").is_none(), "HOME is visible but not permitted");
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        check!(key == "TERM" || key.starts_with("CONFORMANCE_"), "{} is visible but not permitted", key);
    }

    println!("args-env-rs: ok (argv[0]={}, CONFORMANCE_GREETING=hello)", args[0]);
}
