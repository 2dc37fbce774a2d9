//! `notes`: files in a hook-based extension, through WASI preview1 and `std::fs`.
//!
//! The manifest grants `read:/data` and `write:/work`, so the host preopens
//! those two folders; everything else is out of reach. `on_reload` lists
//! /data and logs the first line of each file there; `on_output` appends the
//! pane's output to /work/notes.txt, which the page's file tree then shows.

use std::io::Write;

extern "C" {
    fn ft_log(level: i32, msg_ptr: *const u8, msg_len: u32);
    fn ft_return_buffer_read(out_ptr: *mut u8, out_len: u32) -> i32;
}

fn log(level: i32, msg: &str) {
    unsafe { ft_log(level, msg.as_ptr(), msg.len() as u32) }
}

/// `config.reload`: what is in /data, and a write where the manifest does not allow one.
#[no_mangle]
pub extern "C" fn on_reload() {
    match std::fs::read_dir("/data") {
        Ok(entries) => {
            let mut names: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            for path in names {
                if path.is_file() {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    log(2, &format!("{}: {}", path.display(), text.lines().next().unwrap_or("")));
                }
            }
        }
        Err(e) => log(4, &format!("cannot list /data: {}", e)),
    }
    if let Err(e) = std::fs::write("/data/forbidden.txt", "no") {
        log(3, &format!("writing /data/forbidden.txt: {}", e));
    }
}

/// `pane.output`: appends the payload (read from the return buffer) to /work/notes.txt.
#[no_mangle]
pub extern "C" fn on_output() {
    let mut buf = vec![0u8; 4096];
    let n = unsafe { ft_return_buffer_read(buf.as_mut_ptr(), buf.len() as u32) };
    buf.truncate(n.max(0) as usize);
    let line = String::from_utf8_lossy(&buf);
    let file = std::fs::OpenOptions::new().create(true).append(true).open("/work/notes.txt");
    match file.and_then(|mut f| writeln!(f, "{}", line)) {
        Ok(()) => log(2, "appended to /work/notes.txt"),
        Err(e) => log(4, &format!("cannot append to /work/notes.txt: {}", e)),
    }
}
