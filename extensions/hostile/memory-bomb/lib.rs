//! `memory-bomb`: asks for memory until the host refuses.
//!
//! `on_reload` grows linear memory one 64 KiB page at a time with
//! `memory.grow` until it returns -1 (refused past `max_memory_bytes`), then
//! logs how far it got: the guest survives. `on_focus` allocates 1 MiB vectors
//! until the allocator fails, which aborts: a trap.

extern "C" {
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);
}

fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

#[no_mangle]
pub extern "C" fn on_reload() {
    let start = core::arch::wasm32::memory_size(0);
    let mut grown = 0usize;
    while core::arch::wasm32::memory_grow(0, 1) != usize::MAX {
        grown += 1;
    }
    log(3, &format!("memory.grow refused after {} pages; memory is {} pages", grown, start + grown));
}

#[no_mangle]
pub extern "C" fn on_focus() {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        hoard.push(vec![1u8; 1 << 20]);
        if hoard.len() % 4 == 0 {
            log(2, &format!("holding {} MiB", hoard.len()));
        }
    }
}
