#!/usr/bin/env bash
# Builds the native command executor in release mode with Debian's Rust toolchain,
# offline, from Debian's packaged crates (see .cargo/config.toml).
# Result: executor/target/release/executor. Safe to run repeatedly: cargo rebuilds only
# what changed.
#
# Needs the apt packages: cargo rustc librust-serde-dev librust-serde-derive-dev
# librust-serde-json-dev.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# Debian's cargo, rustc and rustdoc by absolute path: a rustup toolchain earlier on PATH would
# otherwise be picked, and a fresh machine with only the apt packages has no rustup.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
for tool in /usr/bin/cargo "$RUSTC" "$RUSTDOC"; do
  if [[ ! -x "$tool" ]]; then
    echo "build-executor: $tool not found; install the apt packages cargo and rustc" >&2
    exit 1
  fi
done

# No --locked: executor/Cargo.lock pins the crate versions of Debian bookworm; on another
# release cargo re-resolves against the versions that release packages instead of failing.
/usr/bin/cargo build --release --offline --manifest-path executor/Cargo.toml "$@"
echo "build-executor: built executor/target/release/executor" >&2
