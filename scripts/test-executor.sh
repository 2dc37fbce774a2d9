#!/usr/bin/env bash
# Runs the executor's unit and integration tests (cargo test) with Debian's Rust
# toolchain, offline, exactly as scripts/build-executor.sh builds it. Extra arguments go
# to cargo test (e.g. a test-name filter).
#
# Needs the apt packages: cargo rustc librust-serde-dev librust-serde-derive-dev
# librust-serde-json-dev.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

# Debian's cargo, rustc and rustdoc (doctests) by absolute path; see scripts/build-executor.sh.
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
for tool in /usr/bin/cargo "$RUSTC" "$RUSTDOC"; do
  if [[ ! -x "$tool" ]]; then
    echo "test-executor: $tool not found; install the apt packages cargo and rustc" >&2
    exit 1
  fi
done

/usr/bin/cargo test --offline --manifest-path executor/Cargo.toml "$@"
