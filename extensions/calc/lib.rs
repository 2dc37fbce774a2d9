//! `calc`: asks the native executor for work through `ft_command`, the
//! playground's addition to the ABI (see `schemas/command.schema.json`).
//!
//! A guest cannot run native code, so it describes each command as JSON; the
//! host validates it, checks `[permissions] commands`, and the route runs the
//! Rust executor once per call: one command, or a batch marshalled once.
//! The answer (or an error document on -1) lands in the return buffer.

extern "C" {
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);
    fn ft_command(json_ptr: *const u8, json_len: u32) -> i32;
    fn ft_return_buffer_read(out_ptr: *mut u8, out_len: u32) -> i32;
}

fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

/// Sends `json`; `Ok(results)` or `Err(error document)`, both as JSON text.
fn command(json: &str) -> Result<String, String> {
    let n = unsafe { ft_command(json.as_ptr(), json.len() as u32) };
    // On -1 the buffer holds the error document, whose length we were not told.
    let capacity = if n >= 0 { n as usize } else { 64 * 1024 };
    let mut buf = vec![0u8; capacity];
    let read = unsafe { ft_return_buffer_read(buf.as_mut_ptr(), buf.len() as u32) };
    buf.truncate(read.max(0) as usize);
    let text = String::from_utf8_lossy(&buf).into_owned();
    if n >= 0 { Ok(text) } else { Err(text) }
}

fn report(what: &str, answer: Result<String, String>) {
    match answer {
        Ok(results) => log(2, &format!("{}: {}", what, results)),
        Err(error) => log(4, &format!("{} failed: {}", what, error)),
    }
}

/// `config.reload`: one command, then a batch of three in one round trip.
#[no_mangle]
pub extern "C" fn on_reload() {
    report("add 2 + 40", command(r#"{"action":"add","args":{"a":2,"b":40}}"#));
    report(
        "batch of 3",
        command(concat!(
            r#"[{"action":"sha256","args":{"text":"hello"}},"#,
            r#"{"action":"base64_encode","args":{"text":"hello"}},"#,
            r#"{"action":"subtract","args":{"a":10,"b":58}}]"#
        )),
    );
}

/// `key.pressed`: an addition that overflows the safe-integer range is an error result, not a wrapped number.
#[no_mangle]
pub extern "C" fn on_key() {
    report("overflow", command(r#"{"action":"add","args":{"a":9007199254740991,"b":1}}"#));
}
