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

# The first port of 55432-55531 that nothing listens on, from a random one on, wrapping:
# two servers started at once (two test runs) seldom try the same port first.
free_port() {
  local first=$((RANDOM % 100)) i port
  for i in $(seq 0 99); do
    port=$((55432 + (first + i) % 100))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "postgres.sh: no free port in 55432-55531" >&2
  exit 1
}

# Starts the server of "$dir" on port $1; fails when it does not come up.
start_server() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $1 -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null
}

case "${1:-}" in
  start)
    dir=${2:?usage: postgres.sh start DIR}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=${PLAYGROUND_PG_PORT:-$(free_port)}
    # A port found free can be taken before this server binds it (another run starting one
    # at the same moment): then another free port, a few times. A given port is not changed.
    for attempt in 1 2 3 4 5; do
      start_server "$port" && break
      if [ "$attempt" -eq 5 ] || [ -n "${PLAYGROUND_PG_PORT:-}" ] || ! grep -qi "could not bind\|already in use\|could not create lock file" "$dir/server.log"; then
        cat "$dir/server.log" >&2
        exit 1
      fi
      port=$(free_port)
    done
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
