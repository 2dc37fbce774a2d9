//! `hello`: the smallest useful FrankenTerm extension, written the way the
//! documentation (`docs/extensions/wasm-extensions.md`) writes one.
//!
//! * The host functions are declared in a plain `extern "C"` block. Rust's
//!   default import module on wasm32 is `env`, which is the namespace the
//!   documentation's examples use. (FrankenTerm's own code registers them
//!   under `frankenterm`; see `extensions/env-reader` for that form.)
//! * Each hook is a `#[no_mangle] pub extern "C" fn` with no arguments, named
//!   by a `handler` in `extension.toml`.
//! * `println!` / `eprintln!` go through WASI `fd_write` on fd 1 / fd 2. A
//!   `cdylib` has no `_start` and, built by rustc 1.63, no `_initialize`
//!   either: the standard library needs no start-up code for this.
//! * Statics keep their value between hook calls because the host keeps one
//!   instance alive for the extension's lifetime; `on_focus` counts its calls.
//!
//! Build (see `scripts/build-extensions.ts`):
//! `rustc --edition 2021 --target wasm32-wasi --crate-type cdylib -O -C strip=symbols -o hello.wasm lib.rs`

use std::sync::atomic::{AtomicU32, Ordering};

extern "C" {
    /// Emit a log message.
    /// level: 0=Trace, 1=Debug, 2=Info, 3=Warn, 4=Error
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);
}

const TRACE: i32 = 0;
const DEBUG: i32 = 1;
const INFO: i32 = 2;
const WARN: i32 = 3;
const ERROR: i32 = 4;

/// The documentation's logging wrapper: hands the host a pointer and a byte
/// length into this module's exported `memory`.
fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

/// `config.reload`: one message at each level, then one line on each of
/// stdout and stderr.
#[no_mangle]
pub extern "C" fn on_reload() {
    log(TRACE, "trace: hello from Rust");
    log(DEBUG, "debug: hello from Rust");
    log(INFO, "info: hello from Rust");
    log(WARN, "warn: hello from Rust");
    log(ERROR, "error: hello from Rust");
    println!("hello, stdout");
    eprintln!("hello, stderr");
}

/// Number of `pane.focus` events seen by this instance.
static FOCUS_COUNT: AtomicU32 = AtomicU32::new(0);

/// `pane.focus`: logs "focus #1", "focus #2", ... to show that state
/// survives between hook calls.
#[no_mangle]
pub extern "C" fn on_focus() {
    let n = FOCUS_COUNT.fetch_add(1, Ordering::Relaxed) + 1;
    log(INFO, &format!("focus #{}", n));
}
