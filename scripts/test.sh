#!/usr/bin/env bash
# Runs every test: type check, unit tests (Node; the store's start their own PostgreSQL),
# the executor's cargo tests, the end-to-end tests in Chromium against the production build,
# and the stored-share ones again on a throwaway PostgreSQL. Prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

logs=$(mktemp -d)
status=0
step() {
  local name=$1; shift
  echo "=== $name"
  "$@" 2>&1 | tee "$logs/$name.log"
  local code=${PIPESTATUS[0]}
  [ "$code" -eq 0 ] || { echo "=== $name failed (exit $code)"; status=1; }
}

step typecheck npx tsc --noEmit -p tsconfig.json
step unit npm run --silent test:unit
if [ -f executor/Cargo.toml ]; then step executor bash scripts/executor.sh test; fi
step build bash scripts/build-app.sh
# The filesystem share store of the e2e server lives in a temporary data directory.
e2e_data=$(mktemp -d)
step e2e env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PLAYGROUND_DATA_DIR="$e2e_data" npx playwright test
rm -rf "$e2e_data"
# The stored-share specs again, with the server on the PostgreSQL store: a throwaway server
# (scripts/postgres.sh) started for them and stopped after, whatever happens.
pg_dir=$(mktemp -d)
trap 'bash scripts/postgres.sh stop "$pg_dir"' EXIT
if pg_url=$(bash scripts/postgres.sh start "$pg_dir"); then
  step e2e-postgres env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DATABASE_URL="$pg_url" npx playwright test --grep @store
else
  echo "=== e2e-postgres failed (PostgreSQL did not start)"; status=1
fi

# One closing line over every runner: node's "ℹ pass N", cargo's "N passed;", Playwright's "N passed".
count() { cat "$logs"/*.log | sed -E 's/\x1b\[[0-9;]*m//g' | grep -oE "$1" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(( $(count '^ℹ pass [0-9]+') + $(count '[0-9]+ passed;') + $(count '^ +[0-9]+ passed') ))
failed=$(( $(count '^ℹ fail [0-9]+') + $(count '[0-9]+ failed;') + $(count '^ +[0-9]+ failed') ))
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "tests: $passed passed, $failed failed"
exit $status
