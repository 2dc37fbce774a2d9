//! `echo-events`: subscribes to every event (`*`) and logs the payload it
//! finds in the return buffer at hook entry.
//!
//! FrankenTerm's documentation says the event payload "is passed through host
//! function calls (ABI to be stabilized)". The playground's proposal: before
//! calling a hook, the host puts the payload's JSON in the return buffer, so a
//! hook reads it with `ft_return_buffer_read` first thing.

use std::sync::atomic::{AtomicU32, Ordering};

extern "C" {
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);
    fn ft_return_buffer_read(out_ptr: *mut u8, out_len: u32) -> i32;
}

static EVENTS_SEEN: AtomicU32 = AtomicU32::new(0);

fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

/// Reads the whole return buffer, growing the destination until it fits.
fn read_payload() -> Vec<u8> {
    let mut buf = vec![0u8; 256];
    loop {
        let n = unsafe { ft_return_buffer_read(buf.as_mut_ptr(), buf.len() as u32) };
        if n < 0 {
            return Vec::new();
        }
        if (n as usize) < buf.len() {
            buf.truncate(n as usize);
            return buf;
        }
        // The buffer may be larger than what we asked for: ask again with more room.
        buf.resize(buf.len() * 2, 0);
    }
}

/// Every event: `#N <payload JSON>`.
#[no_mangle]
pub extern "C" fn on_event() {
    let n = EVENTS_SEEN.fetch_add(1, Ordering::Relaxed) + 1;
    let payload = read_payload();
    match std::str::from_utf8(&payload) {
        Ok(text) => log(2, &format!("#{} {}", n, text)),
        Err(_) => log(3, &format!("#{} payload is not UTF-8 ({} bytes)", n, payload.len())),
    }
}
