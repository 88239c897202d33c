#!/usr/bin/env bash
# A private PostgreSQL pair for the failover tests (backend/internal/faulttest): a
# primary and a synchronous streaming standby made with pg_basebackup -R, on free ports
# in one temp directory, with Debian's PostgreSQL binaries. Run as root, the servers run
# as the `postgres` OS user (initdb refuses root), like scripts/test-postgres.sh.
#
#   eval "$(scripts/pg-failover.sh start)"      # PG_DIR, PRIMARY_PORT, STANDBY_PORT,
#                                               # PRIMARY_URL, DATABASE_URL (both hosts,
#                                               # target_session_attrs=read-write)
#   scripts/pg-failover.sh start --single       # a primary alone (STANDBY_PORT empty)
#   scripts/pg-failover.sh kill-primary "$PG_DIR"   # pg_ctl stop -m immediate: a crash
#   scripts/pg-failover.sh promote "$PG_DIR"        # the standby becomes the primary
#   scripts/pg-failover.sh restart "$PG_DIR"        # pg_ctl restart -m fast of the primary
#   scripts/pg-failover.sh freeze "$PG_DIR"         # SIGSTOP the primary's processes: a
#   scripts/pg-failover.sh thaw "$PG_DIR"           # server that hangs; SIGCONT them
#   scripts/pg-failover.sh stop "$PG_DIR"           # stop both and remove the directory
#
# The primary waits for the standby's flush before a commit returns
# (synchronous_standby_names='*', synchronous_commit=on), so a write acknowledged by the
# primary is on the standby when the primary dies. The setting is given on the primary's
# command line, not in its postgresql.conf, so the standby (a copy of that file) does
# not inherit it and, once promoted, does not wait for a standby it does not have.
# fsync=off: the tests kill processes, not the machine; the page cache survives them.
set -euo pipefail

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)}
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_basebackup" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql, or: make deps)" >&2
  exit 3
fi
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
common="-c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 -c shared_buffers=32MB -c wal_retrieve_retry_interval=200ms"

start_primary() { # start_primary DIR PORT
  local dir=$1 port=$2 sync="'*'"
  [ -f "$dir/single" ] && sync="''"
  as_pg "$bindir/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w -t 30 \
    -o "-p $port -k $dir $common -c synchronous_standby_names=$sync" start >/dev/null
}

cmd=${1:-}
case "$cmd" in
start)
  base=${TMPDIR:-/tmp}
  [ "$(id -u)" = 0 ] && base=/tmp # the postgres user must reach it: not a root-only TMPDIR
  dir=$(mktemp -d "$base/custos-pgfo.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  [ "${2:-}" = --single ] && touch "$dir/single"
  p1=$(free_port)
  p2=$(free_port)
  while [ "$p2" = "$p1" ]; do p2=$(free_port); done
  printf 'PRIMARY_PORT=%s\nSTANDBY_PORT=%s\n' "$p1" "$p2" >"$dir/ports"
  as_pg "$bindir/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  start_primary "$dir" "$p1" || { cat "$dir/primary.log" >&2; exit 1; }
  primary="postgres://postgres@127.0.0.1:$p1/postgres?sslmode=disable"
  if [ -f "$dir/single" ]; then
    printf 'PG_DIR=%s\nPRIMARY_PORT=%s\nSTANDBY_PORT=\nPRIMARY_URL=%s\nDATABASE_URL=%s\n' "$dir" "$p1" "$primary" "$primary"
    exit 0
  fi
  as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$dir/standby" -R -X stream --checkpoint=fast \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  as_pg "$bindir/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w -t 30 \
    -o "-p $p2 -k $dir $common -c cluster_name=standby" start >/dev/null || { cat "$dir/standby.log" >&2; exit 1; }
  # Ready when the primary reports the standby as its synchronous one.
  for _ in $(seq 1 100); do
    st=$(as_pg "$bindir/psql" -h "$dir" -p "$p1" -U postgres -qtAc "select sync_state from pg_stat_replication" 2>/dev/null || true)
    [ "$st" = sync ] && break
    sleep 0.1
  done
  [ "$st" = sync ] || { echo "the standby did not become synchronous (state '$st'); see $dir/standby.log" >&2; exit 1; }
  printf 'PG_DIR=%s\nPRIMARY_PORT=%s\nSTANDBY_PORT=%s\nPRIMARY_URL=%s\n' "$dir" "$p1" "$p2" "$primary"
  printf 'DATABASE_URL=postgres://postgres@127.0.0.1:%s,127.0.0.1:%s/postgres?sslmode=disable&target_session_attrs=read-write\n' "$p1" "$p2"
  ;;
kill-primary | promote | restart | freeze | thaw | stop)
  dir=${2:?usage: $0 $cmd PG_DIR}
  [ -f "$dir/ports" ] || { echo "$dir is no pg-failover directory" >&2; exit 2; }
  # shellcheck disable=SC1091
  . "$dir/ports"
  case "$cmd" in
  kill-primary) as_pg "$bindir/pg_ctl" -D "$dir/primary" -m immediate -w stop >/dev/null ;;
  promote) as_pg "$bindir/pg_ctl" -D "$dir/standby" -w -t 30 promote >/dev/null ;;
  freeze | thaw)
    pid=$(head -n1 "$dir/primary/postmaster.pid")
    sig=STOP
    [ "$cmd" = thaw ] && sig=CONT
    # shellcheck disable=SC2046
    kill -s "$sig" "$pid" $(ps -o pid= --ppid "$pid")
    ;;
  restart)
    as_pg "$bindir/pg_ctl" -D "$dir/primary" -m fast -w stop >/dev/null
    start_primary "$dir" "$PRIMARY_PORT"
    ;;
  stop)
    for d in primary standby; do
      [ -f "$dir/$d/postmaster.pid" ] && as_pg "$bindir/pg_ctl" -D "$dir/$d" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$dir"
    ;;
  esac
  ;;
*)
  sed -n '2,20p' "$0" >&2
  exit 2
  ;;
esac
