//! dirs-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! Under the writable preopen /work: create_dir (and AlreadyExists), read_dir listings
//! (including 300 long names, read over several fd_readdir calls), remove_dir of a
//! non-empty directory (fails) and an empty one, remove_dir_all. Exits 0; on the first
//! failed check prints "FAIL ..." on stderr and exits 1.

use std::fs;
use std::io::ErrorKind;

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

fn listing(path: &str) -> Vec<(String, bool)> {
    let mut names: Vec<(String, bool)> = ok(fs::read_dir(path), path)
        .map(|entry| {
            let entry = ok(entry, "read_dir entry");
            let is_dir = ok(entry.file_type(), "file_type").is_dir();
            (entry.file_name().into_string().unwrap_or_default(), is_dir)
        })
        .collect();
    names.sort();
    names
}

fn main() {
    ok(fs::create_dir("/work/d"), "mkdir /work/d");
    let again = fs::create_dir("/work/d").map_err(|e| e.kind()).err();
    check!(again == Some(ErrorKind::AlreadyExists), "mkdir of an existing directory: {:?}", again);
    for name in ["c.txt", "a.txt", "b.txt"] {
        ok(fs::write(format!("/work/d/{}", name), name), "write");
    }
    ok(fs::create_dir("/work/d/sub"), "mkdir /work/d/sub");
    let names = listing("/work/d");
    let expected: Vec<(String, bool)> =
        vec![("a.txt".into(), false), ("b.txt".into(), false), ("c.txt".into(), false), ("sub".into(), true)];
    check!(names == expected, "listing {:?}", names);

    ok(fs::create_dir_all("/work/many/deeper/still"), "create_dir_all");
    for i in 0..300 {
        ok(fs::write(format!("/work/many/a-rather-long-file-name-to-fill-the-buffer-{:03}.txt", i), ""), "write many");
    }
    let many = listing("/work/many");
    check!(many.len() == 301, "{} entries in /work/many, expected 301", many.len());
    for (i, (name, _)) in many.iter().take(300).enumerate() {
        check!(*name == format!("a-rather-long-file-name-to-fill-the-buffer-{:03}.txt", i), "entry {} is {}", i, name);
    }

    check!(fs::remove_dir("/work/d").is_err(), "remove_dir of a non-empty directory fails");
    for name in ["a.txt", "b.txt", "c.txt"] {
        ok(fs::remove_file(format!("/work/d/{}", name)), "remove_file");
    }
    ok(fs::remove_dir("/work/d/sub"), "remove_dir sub");
    ok(fs::remove_dir("/work/d"), "remove_dir /work/d");
    check!(fs::metadata("/work/d").map_err(|e| e.kind()).err() == Some(ErrorKind::NotFound), "removed directory gone");
    ok(fs::remove_dir_all("/work/many"), "remove_dir_all /work/many");
    check!(listing("/work").is_empty(), "/work is empty at the end: {:?}", listing("/work"));

    println!("dirs-rs: ok");
}
