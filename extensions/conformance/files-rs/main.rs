//! files-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! Under the writable preopen /work: create, write, read back, append, seek (Start,
//! Current, End, before the start), truncate (`set_len`, `File::create`), rename across
//! directories, remove. Leaves /work/final.txt = "files-rs: ok\n". Exits 0; on the first
//! failed check prints "FAIL ..." on stderr and exits 1.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};

macro_rules! check {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            eprintln!("FAIL line {}: {}", line!(), format!($($what)+));
            std::process::exit(1);
        }
    };
}

fn ok<T, E: std::fmt::Display>(result: Result<T, E>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => {
            eprintln!("FAIL {}: {}", what, error);
            std::process::exit(1);
        }
    }
}

fn contents(path: &str) -> String {
    ok(fs::read_to_string(path), path)
}

fn main() {
    // create, write, read back
    ok(fs::write("/work/notes.txt", "hello\n"), "write /work/notes.txt");
    check!(contents("/work/notes.txt") == "hello\n", "read back");

    // append
    let mut file = ok(OpenOptions::new().append(true).open("/work/notes.txt"), "open for append");
    ok(file.write_all(b"world\n"), "append");
    drop(file);
    check!(contents("/work/notes.txt") == "hello\nworld\n", "after append: {:?}", contents("/work/notes.txt"));

    // seeks
    let mut file = ok(OpenOptions::new().read(true).write(true).open("/work/notes.txt"), "open read+write");
    check!(ok(file.seek(SeekFrom::End(0)), "seek End") == 12, "size is 12");
    check!(ok(file.seek(SeekFrom::Start(6)), "seek Start") == 6, "seek to 6");
    let mut word = [0u8; 5];
    ok(file.read_exact(&mut word), "read after seek");
    check!(&word == b"world", "read {:?} after seek", word);
    check!(ok(file.seek(SeekFrom::Current(0)), "seek Current") == 11, "position 11");
    check!(ok(file.seek(SeekFrom::End(-6)), "seek End(-6)") == 6, "position 6 from the end");
    check!(file.seek(SeekFrom::Current(-100)).is_err(), "seeking before the start fails");

    // truncate
    ok(file.set_len(5), "set_len");
    check!(ok(file.metadata(), "metadata").len() == 5, "size after set_len");
    drop(file);
    check!(contents("/work/notes.txt") == "hello", "after truncate");
    ok(File::create("/work/notes.txt"), "File::create truncates");
    check!(ok(fs::metadata("/work/notes.txt"), "metadata").len() == 0, "File::create truncated");

    // rename across directories
    ok(fs::create_dir("/work/a"), "mkdir /work/a");
    ok(fs::create_dir("/work/b"), "mkdir /work/b");
    ok(fs::write("/work/a/x.txt", "moved\n"), "write /work/a/x.txt");
    ok(fs::rename("/work/a/x.txt", "/work/b/y.txt"), "rename");
    check!(fs::metadata("/work/a/x.txt").map_err(|e| e.kind()).err() == Some(ErrorKind::NotFound), "old name gone");
    check!(contents("/work/b/y.txt") == "moved\n", "new name holds the contents");

    // remove
    ok(fs::remove_file("/work/b/y.txt"), "remove_file");
    check!(File::open("/work/b/y.txt").map_err(|e| e.kind()).err() == Some(ErrorKind::NotFound), "removed file gone");

    // writing through a read-only handle fails
    let mut read_only = ok(File::open("/work/notes.txt"), "open read-only");
    check!(read_only.write(b"x").is_err(), "writing a read-only file fails");

    ok(fs::write("/work/final.txt", "files-rs: ok\n"), "write /work/final.txt");
    println!("files-rs: ok");
}
