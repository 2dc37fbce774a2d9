//! denied-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! The manifest permits reading /data and writing /data/out only. Creating
//! /data/forbidden.txt must fail with EACCES (PermissionDenied; the host audits it as
//! fs_write Denied); /data/out can be created and written; a path climbing out of the
//! preopen with ".." is EPERM. Exits 0; on the first failed check prints "FAIL ..." on
//! stderr and exits 1.

use std::fs::{self, File};
use std::io::ErrorKind;

/// WASI errno values (wasi-libc's errno is WASI's).
const EACCES: i32 = 2;
const EPERM: i32 = 63;

macro_rules! check {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            eprintln!("FAIL line {}: {}", line!(), format!($($what)+));
            std::process::exit(1);
        }
    };
}

fn main() {
    let denied = File::create("/data/forbidden.txt").err();
    check!(denied.as_ref().map(|e| e.kind()) == Some(ErrorKind::PermissionDenied), "create /data/forbidden.txt: {:?}", denied);
    check!(denied.as_ref().and_then(|e| e.raw_os_error()) == Some(EACCES), "errno is EACCES: {:?}", denied);

    // The folder may exist already (the page's file tree has one; a second run made one).
    check!(fs::create_dir_all("/data/out").is_ok(), "mkdir -p /data/out");
    check!(fs::write("/data/out/ok.txt", "written\n").is_ok(), "write /data/out/ok.txt");
    check!(fs::read_to_string("/data/out/ok.txt").ok().as_deref() == Some("written\n"), "read /data/out/ok.txt back");

    let renamed = fs::rename("/data/out/ok.txt", "/data/moved.txt").err();
    check!(renamed.as_ref().and_then(|e| e.raw_os_error()) == Some(EACCES), "rename out of /data/out: {:?}", renamed);
    let escaped = File::open("/data/../escape.txt").err();
    check!(escaped.as_ref().and_then(|e| e.raw_os_error()) == Some(EPERM), "\"..\" out of the preopen: {:?}", escaped);

    println!("denied-rs: ok");
}
