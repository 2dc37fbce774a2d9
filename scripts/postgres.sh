#!/usr/bin/env bash
# A throwaway PostgreSQL for tests: Debian's server on a temporary data directory and a
# free local port, run as the `postgres` user (the server refuses root), trust auth on
# 127.0.0.1 only. Nothing of the machine's own clusters is touched.
#
#   scripts/postgres.sh start DIR   initialises DIR, starts the server, prints DATABASE_URL
#   scripts/postgres.sh stop DIR    stops it (fast shutdown) and removes DIR
#
# PLAYGROUND_PG_PORT picks the port; otherwise the first free one from 55432 up.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres.sh: Debian's postgresql is not installed (scripts/setup.sh installs it)" >&2; exit 1; }

# Runs a server binary as `postgres` when we are root, as ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port=${PLAYGROUND_PG_PORT:-}
  if [ -n "$port" ]; then echo "$port"; return; fi
  for port in $(seq 55432 55532); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "postgres.sh: no free port in 55432-55532" >&2
  exit 1
}

case "${1:-}" in
  start)
    dir=${2:?usage: postgres.sh start DIR}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    port=$(free_port)
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?usage: postgres.sh stop DIR}
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: postgres.sh start DIR | stop DIR" >&2
    exit 2
    ;;
esac
