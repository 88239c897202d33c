#!/usr/bin/env bash
# Prints a PostgreSQL URL for tests. Order: $TEST_DATABASE_URL; a server answering on
# 127.0.0.1:5432; otherwise a throwaway server in .cache/pg on port 55432 (PostgreSQL is
# installed with apt when missing). Tests create their own databases from this URL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "$TEST_DATABASE_URL"; exit 0; fi
try() { command -v psql >/dev/null && psql "$1" -qtAc 'select 1' >/dev/null 2>&1; }
local_url="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
if try "$local_url"; then echo "$local_url"; exit 0; fi

port=55432
url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
if try "$url"; then echo "$url"; exit 0; fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "installing postgresql with apt" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql postgresql-contrib) >&2 || \
    (sleep 5; apt-get install -y -qq postgresql postgresql-contrib) >&2
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi
dir="$root/.cache/pg"
mkdir -p "$dir"
run() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; runuser -u postgres -- "$@"; else "$@"; fi; }
if [ ! -f "$dir/data/PG_VERSION" ]; then
  run "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
fi
run "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
for _ in $(seq 1 30); do try "$url" && break; sleep 1; done
try "$url" || { echo "throwaway PostgreSQL did not start; see $dir/log" >&2; exit 1; }
echo "$url"
