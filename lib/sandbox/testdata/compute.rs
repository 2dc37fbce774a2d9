//! Test data for the instrumenter: a Rust cdylib as rustc 1.63 emits it for wasm32-wasi.
//! Built (symbols and the name section stripped) with:
//!   rustc --target wasm32-wasi --crate-type cdylib -O -C strip=symbols -o compute-rs.wasm compute.rs

/// Naive recursion: fib(n) calls.
#[no_mangle]
pub extern "C" fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

/// A data-dependent loop the optimiser cannot close-form.
#[no_mangle]
pub extern "C" fn collatz_steps(start: u64) -> u32 {
    let mut n = start;
    let mut steps = 0;
    while n > 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

/// Midpoint rule for the integral of x·√x over [0, 1] (exact value 0.4).
#[no_mangle]
pub extern "C" fn integrate(steps: u32) -> f64 {
    let h = 1.0 / steps as f64;
    let mut sum = 0.0;
    for i in 0..steps {
        let x = (i as f64 + 0.5) * h;
        sum += x * x.sqrt();
    }
    sum * h
}

/// Pushes `n` values into a Vec (growing the heap, so memory.grow), returns a checksum.
#[no_mangle]
pub extern "C" fn vec_growth(n: u32) -> u32 {
    let mut values: Vec<u64> = Vec::new();
    for i in 0..n as u64 {
        values.push(i.wrapping_mul(2654435761) % 1000);
    }
    let sum: u64 = values.iter().sum();
    (sum % 1_000_000_007) as u32
}

/// Counts primes below `n` with a sieve in a heap Vec<bool>.
#[no_mangle]
pub extern "C" fn primes_below(n: u32) -> u32 {
    let n = n as usize;
    if n < 3 {
        return 0;
    }
    let mut composite = vec![false; n];
    let mut count = 0;
    for i in 2..n {
        if !composite[i] {
            count += 1;
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
    }
    count
}
