#!/usr/bin/env bash
# Builds the Next.js app (`next build`) unless nothing it is built from changed since the last
# build: the files git tracks or would track (less tests, docs, the bench, the executor's and
# the examples' sources, which have builds of their own), by content, and the lockfile.
# The fingerprint of the last build is kept in .next/build-inputs.sha256.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=.next/build-inputs.sha256
fingerprint() {
  git ls-files -z --cached --others --exclude-standard -- . \
      ':!e2e/' ':!docs/' ':!bench/' ':!executor/' ':!extensions/' ':!*.md' ':!*.test.ts' ':!.ci/' \
    | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
}

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  inputs=$(fingerprint)
  if [ -f .next/BUILD_ID ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ]; then
    echo "build-app: nothing changed since the last build ($(cat .next/BUILD_ID)): reusing it"
    exit 0
  fi
fi
rm -f "$stamp"
npx next build
if [ -n "${inputs:-}" ]; then echo "$inputs" > "$stamp"; fi
