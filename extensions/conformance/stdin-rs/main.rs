//! stdin-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! Reads all of stdin and checks it is exactly EXPECTED (below, also in the manifest's
//! description), line by line too. Exits 0; otherwise prints "FAIL ..." on stderr and
//! exits 1.

use std::io::{self, BufRead, Read};

const EXPECTED: &str = "line one\nline two ✓\n";

fn main() {
    let mut text = String::new();
    if let Err(error) = io::stdin().read_to_string(&mut text) {
        eprintln!("FAIL reading stdin: {}", error);
        std::process::exit(1);
    }
    if text != EXPECTED {
        eprintln!("FAIL stdin was {:?}, expected {:?}", text, EXPECTED);
        std::process::exit(1);
    }
    let lines: Vec<String> = text.as_bytes().lines().map(|line| line.unwrap_or_default()).collect();
    if lines != ["line one", "line two ✓"] {
        eprintln!("FAIL lines {:?}", lines);
        std::process::exit(1);
    }
    let mut more = [0u8; 16];
    if io::stdin().read(&mut more).unwrap_or(1) != 0 {
        eprintln!("FAIL a read after end-of-file returned data");
        std::process::exit(1);
    }
    println!("stdin-rs: ok ({} bytes)", text.len());
}
