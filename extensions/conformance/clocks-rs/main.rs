//! clocks-rs: WASI conformance in Rust (std on wasm32-wasi), run as a command.
//!
//! `Instant` never goes back; `std::thread::sleep(20 ms)` really waits (poll_oneoff on a
//! clock); `SystemTime` is after 2020. Exits 0; on the first failed check prints
//! "FAIL ..." on stderr and exits 1.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

macro_rules! check {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            eprintln!("FAIL line {}: {}", line!(), format!($($what)+));
            std::process::exit(1);
        }
    };
}

fn main() {
    let mut previous = Instant::now();
    for _ in 0..1000 {
        let now = Instant::now();
        check!(now >= previous, "Instant went back");
        previous = now;
    }

    let before = Instant::now();
    std::thread::sleep(Duration::from_millis(20));
    let slept = before.elapsed();
    check!(slept >= Duration::from_millis(20), "sleep(20 ms) returned after {:?}", slept);

    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    check!(since_epoch.as_secs() > 1_577_836_800, "SystemTime {:?} is before 2020", since_epoch);

    println!("clocks-rs: ok (slept {} ms)", slept.as_millis());
}
