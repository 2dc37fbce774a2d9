//! `env-reader`: reads environment variables through the host, in the form
//! FrankenTerm's code (`frankenterm/scripting/src/wasm_host.rs`) registers
//! its host functions: import module `frankenterm`, not the documentation's
//! `env`.
//!
//! `ft_get_env` puts the value into the host's return buffer and returns its
//! byte length, or -1 when the variable is unset *or* denied by
//! `[permissions] environment` (the guest cannot tell which). The value is
//! then copied out with `ft_return_buffer_read`. `get_env` below is the
//! documentation's helper, unchanged.
//!
//! The manifest permits `TERM` and every `FT_*` variable; `HOME` is denied.
//!
//! Build (see `scripts/build-extensions.ts`):
//! `rustc --edition 2021 --target wasm32-wasi --crate-type cdylib -O -C strip=symbols -o env-reader.wasm lib.rs`

#[link(wasm_import_module = "frankenterm")]
extern "C" {
    /// Emit a log message.
    /// level: 0=Trace, 1=Debug, 2=Info, 3=Warn, 4=Error
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);

    /// Read an environment variable.
    /// Returns value length, or -1 if not set / denied.
    /// Value is written to the return buffer.
    fn ft_get_env(key_ptr: *const u8, key_len: u32) -> i32;

    /// Copy from host return buffer into WASM memory.
    /// Returns bytes actually copied.
    fn ft_return_buffer_read(out_ptr: *mut u8, out_len: u32) -> i32;
}

const INFO: i32 = 2;
const WARN: i32 = 3;

fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

/// The documentation's environment variable reader.
fn get_env(key: &str) -> Option<String> {
    let len = unsafe { ft_get_env(key.as_ptr(), key.len() as u32) };
    if len < 0 {
        return None;
    }
    let mut buf = vec![0u8; len as usize];
    let read = unsafe { ft_return_buffer_read(buf.as_mut_ptr(), buf.len() as u32) };
    buf.truncate(read as usize);
    String::from_utf8(buf).ok()
}

/// Logs `KEY=value` at Info, or `KEY: not set or denied (-1)` at Warn.
fn report(key: &str) {
    match get_env(key) {
        Some(value) => log(INFO, &format!("{}={}", key, value)),
        None => log(WARN, &format!("{}: not set or denied (-1)", key)),
    }
}

/// `config.reload`: report one permitted variable (`TERM`), one denied
/// (`HOME`) and one permitted by the prefix rule `FT_*` (`FT_THEME`).
#[no_mangle]
pub extern "C" fn on_reload() {
    report("TERM");
    report("HOME");
    report("FT_THEME");
}
