#!/usr/bin/env bash
# Serves the playground at http://localhost:3000 (or $PORT) with the example extensions loaded.
# A second run with nothing changed reuses the last build and serves within seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-app.sh
echo "serve: http://localhost:${PORT:-3000} (set PORT to use another port)"
exec npx next start -p "${PORT:-3000}"
