#!/usr/bin/env bash
# Serves the playground at http://localhost:3000 with the example extensions loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx next build
exec npx next start -p "${PORT:-3000}"
