#!/usr/bin/env bash
# Builds or tests the native command executor with Debian's Rust toolchain, offline, from
# Debian's packaged crates (see .cargo/config.toml).
#
#   scripts/executor.sh build   # release build: executor/target/release/executor
#   scripts/executor.sh test    # cargo test (unit and integration); extra args go to cargo
#
# Safe to run repeatedly: cargo rebuilds only what changed. Needs the apt packages cargo,
# rustc, librust-serde-dev, librust-serde-derive-dev, librust-serde-json-dev.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# Debian's cargo, rustc and rustdoc (doctests) by absolute path: a rustup toolchain earlier
# on PATH would otherwise be picked, and a fresh machine with only the apt packages has none.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
for tool in /usr/bin/cargo "$RUSTC" "$RUSTDOC"; do
  if [[ ! -x "$tool" ]]; then
    echo "executor.sh: $tool not found; install the apt packages cargo and rustc" >&2
    exit 1
  fi
done

# No --locked: executor/Cargo.lock pins the crate versions of Debian bookworm; on another
# release cargo re-resolves against the versions that release packages instead of failing.
case "${1:-}" in
  build)
    shift
    /usr/bin/cargo build --release --offline --manifest-path executor/Cargo.toml "$@"
    echo "executor.sh: built executor/target/release/executor" >&2
    ;;
  test)
    shift
    /usr/bin/cargo test --offline --manifest-path executor/Cargo.toml "$@"
    ;;
  *)
    echo "usage: scripts/executor.sh build|test [cargo arguments]" >&2
    exit 2
    ;;
esac
