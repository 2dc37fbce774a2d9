//! `bad-command`: what a guest sees when a command is refused. `ft_command`
//! returns -1 and the return buffer holds `{"error":{"code","message","path"}}`:
//! a schema error names the JSON Pointer of the bad value; a denied action
//! names the action and what the manifest allows.

extern "C" {
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);
    fn ft_command(json_ptr: *const u8, json_len: u32) -> i32;
    fn ft_return_buffer_read(out_ptr: *mut u8, out_len: u32) -> i32;
}

fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

/// Sends `json` and logs the return value and the return buffer.
fn send(what: &str, json: &str) {
    let n = unsafe { ft_command(json.as_ptr(), json.len() as u32) };
    let mut buf = vec![0u8; 4096];
    let read = unsafe { ft_return_buffer_read(buf.as_mut_ptr(), buf.len() as u32) };
    buf.truncate(read.max(0) as usize);
    let level = if n < 0 { 3 } else { 2 };
    log(level, &format!("{} -> {}: {}", what, n, String::from_utf8_lossy(&buf)));
}

/// `config.reload`: a wrongly typed argument, then an action the manifest does not allow.
#[no_mangle]
pub extern "C" fn on_reload() {
    send("a is a string", r#"[{"action":"add","args":{"a":1,"b":2}},{"action":"add","args":{"a":"two","b":2}}]"#);
    send("run_binary", r#"{"action":"run_binary","args":{"path":"/bin/ls","args":[]}}"#);
}
