#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for the storage tests.
#
#   eval "$(.ci/postgres.sh)"        # start (installs Debian's postgresql if needed), exports DASBOR_TEST_PG_URL
#   source .ci/postgres.sh           # same, when sourced
#   .ci/postgres.sh stop             # stop it and delete its data directory
#
# Runs as root on Debian (the server itself runs as the "postgres" user, as PostgreSQL refuses
# root). Everything lives under $DASBOR_PG_DIR (default /tmp/dasbor-ci-pg): data, socket, log.
# The only line on stdout is the `export DASBOR_TEST_PG_URL=...` line; progress goes to stderr.
# Environment: DASBOR_PG_DIR, DASBOR_PG_PORT (default: a free port from 55432 up).

_dasbor_pg_main() {
  set -euo pipefail
  local dir="${DASBOR_PG_DIR:-/tmp/dasbor-ci-pg}"
  local action="${1:-start}"

  _say() { echo "[postgres.sh] $*" >&2; }
  _pg_bin() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$bin" ] && [ -x "$bin/pg_ctl" ] && echo "$bin"
  }
  _as_pg() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
  }

  local bin
  bin="$(_pg_bin || true)"

  if [ "$action" = "stop" ]; then
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
      _as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$dir"
    _say "stopped"
    return 0
  fi

  if [ -z "$bin" ]; then
    _say "installing postgresql with apt-get"
    if [ "$(id -u)" != "0" ]; then
      _say "PostgreSQL is not installed and this is not root: cannot install it"
      return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bin="$(_pg_bin)"
  fi
  _say "using $bin"

  # Debian's package may have started its own cluster on 5432; ours is separate and on its own port.
  local port="${DASBOR_PG_PORT:-}"
  if [ -f "$dir/data/postmaster.pid" ] && _as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port="$(sed -n 4p "$dir/data/postmaster.pid")"
    _say "already running on port $port"
  else
    rm -rf "$dir"
    mkdir -p "$dir"
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
    [ "$(id -u)" = "0" ] && chown postgres: "$dir"
    chmod 700 "$dir"
    if [ -z "$port" ]; then
      port=55432
      while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    fi
    local pwfile="$dir/pw"
    echo "dasbor-ci" >"$pwfile"
    [ "$(id -u)" = "0" ] && chown postgres: "$pwfile"
    _as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
    rm -f "$pwfile"
    _as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=100" \
      start >&2
    _as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q >&2 <<SQL
CREATE ROLE dasbor LOGIN PASSWORD 'dasbor-ci';
CREATE DATABASE dasbor_test OWNER dasbor;
SQL
    _say "started on 127.0.0.1:$port (data in $dir/data, log $dir/server.log)"
  fi

  local url="postgresql+psycopg://dasbor:dasbor-ci@127.0.0.1:${port}/dasbor_test"
  # Prove it works over TCP with the password before handing the URL out.
  PGPASSWORD=dasbor-ci "$bin/psql" -h 127.0.0.1 -p "$port" -U dasbor -d dasbor_test -tAc "SELECT 1" >/dev/null
  export DASBOR_TEST_PG_URL="$url"
  echo "export DASBOR_TEST_PG_URL='$url'"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # sourced: the work (and its `set -euo pipefail`) runs in a subshell; only the export reaches the
  # caller's shell, whose options stay as they were.
  _dasbor_pg_out="$(_dasbor_pg_main "$@")" || return 1
  eval "$_dasbor_pg_out"
  unset _dasbor_pg_out
else
  _dasbor_pg_main "$@"
fi
