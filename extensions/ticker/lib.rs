//! `ticker`: prints a line every 300 ms. `std::thread::sleep` becomes WASI
//! `poll_oneoff` on a clock, which really waits: the playground suspends the
//! guest with JSPI while a timer runs, and streams each line to the page as
//! it is written rather than at the end of the call.

use std::time::{Duration, Instant};

#[no_mangle]
pub extern "C" fn on_reload() {
    let started = Instant::now();
    for tick in 1..=5 {
        std::thread::sleep(Duration::from_millis(300));
        println!("tick {} at {} ms", tick, started.elapsed().as_millis() / 100 * 100);
    }
}
