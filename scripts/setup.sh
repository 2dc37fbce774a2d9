#!/usr/bin/env bash
# Installs everything the playground needs on a fresh Debian machine, idempotently:
# Debian's packages (Chromium, the guest toolchains, the executor's Rust crates), the npm
# dependencies, the example extensions and the executor binary. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  chromium                                        # the browser the end-to-end tests drive
  rustc libstd-rust-dev-wasm32 lld-14             # Rust guests (wasm32-wasi)
  clang-14 wasi-libc libclang-rt-14-dev-wasm32    # C guests
  bubblewrap                                      # the build route's sandbox (bwrap; prlimit is util-linux's)
  rustfmt clang-format-14                         # the format route
  cargo librust-serde-dev librust-serde-derive-dev librust-serde-json-dev  # the executor
  postgresql zip unzip                            # the share store's tests (a throwaway server); .ftx tests
)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Never let a tool fetch a browser of its own: Chromium comes from Debian.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# `npm ci` installs exactly the committed lock and never rewrites it; install scripts run only
# for the packages package.json's `allowScripts` approves (esbuild's binary check).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "setup: bundling the CLI (cli/dist/)"
node cli/build.mjs

echo "setup: building the example extensions"
npx tsx scripts/build-extensions.ts

if [ -f executor/Cargo.toml ]; then
  echo "setup: building the executor"
  bash scripts/executor.sh build
fi
