#!/usr/bin/env bash
# A Custos cluster on one machine: a fresh PostgreSQL database (scripts/test-postgres.sh),
# N custos processes (default 3) on free ports with private data directories and one
# shared application key, and Debian's haproxy round-robin in front (no sticky sessions:
# any request may land on any replica). The mTLS entries of the replicas get a TCP
# round-robin frontend of their own.
#
#   scripts/cluster.sh [-n N] [-- command args...]
#
# With a command: runs it with the cluster's addresses in the environment, then stops
# everything and exits with the command's status. Without: prints the addresses and waits
# for Ctrl-C. The environment given to the command (also written to $CLUSTER_DIR/env):
#   CLUSTER_URL            http://127.0.0.1:<port> (haproxy)
#   CLUSTER_MTLS_ADDR      127.0.0.1:<port> (haproxy, TCP to the replicas' mTLS entries)
#   CLUSTER_REPLICAS       the replicas' own URLs, comma-separated (r1,r2,…)
#   CLUSTER_REPLICA_MTLS   their mTLS addresses, comma-separated
#   CLUSTER_PIDS           their process ids, comma-separated (a test may stop one)
#   CLUSTER_DATABASE_URL   the database they share
#   CLUSTER_ADMIN_PASSWORD tech_admin's password
#   CLUSTER_DIR            working directory (logs rN.log, haproxy.cfg, haproxy.log)
# Inputs: CUSTOS_BIN (a binary to run; default: built from backend/ into the working
# directory), CLUSTER_JOB_PERIODS (CUSTOS_JOB_PERIODS of every replica), CLUSTER_KEEP=1
# (keep the database and directory afterwards).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$root/scripts/lib.sh"
n=3
while [ $# -gt 0 ]; do
  case $1 in
    -n) n=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: scripts/cluster.sh [-n N] [-- command args...]" >&2; exit 2 ;;
  esac
done
haproxy=$(command -v haproxy || ls /usr/sbin/haproxy 2>/dev/null || true)
if [ -z "$haproxy" ]; then
  echo "haproxy is missing: run scripts/install-deps.sh (apt-get install haproxy)" >&2
  exit 1
fi
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
mkdir -p "$root/.cache"
dir=$(mktemp -d "$root/.cache/cluster.XXXXXX")
pids=()
base=$(bash "$root/scripts/test-postgres.sh")
dbname="custos_cluster_$(date +%s)_$$"
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${CLUSTER_KEEP:-0}" != 1 ]; then
    psql "$base" -qtAc "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true
    [ $rc = 0 ] && rm -rf "$dir"
  fi
  [ $rc = 0 ] || echo "cluster: logs kept in $dir" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
psql "$base" -qtAc "CREATE DATABASE $dbname" >/dev/null
dburl=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$base" "$dbname")

bin=${CUSTOS_BIN:-}
if [ -z "$bin" ]; then
  bin="$dir/custos"
  (cd "$root/backend" && CGO_ENABLED=0 go build -o "$bin" ./cmd/custos)
fi
key=$(openssl rand -base64 32)
password=${CLUSTER_ADMIN_PASSWORD:-Cluster-Harbor-$RANDOM-$RANDOM}

urls=() mtls=() servers="" mservers=""
start_replica() { # start_replica <i>
  local i=$1 port mport
  port=$(free_port) mport=$(free_port)
  mkdir -p "$dir/r$i"
  env DATABASE_URL="$dburl" CUSTOS_ADDR="127.0.0.1:$port" CUSTOS_MTLS_ADDR="127.0.0.1:$mport" \
    CUSTOS_DATA_DIR="$dir/r$i" CUSTOS_REPLICA_NAME="r$i" CUSTOS_APP_KEY="$key" CUSTOS_ADMIN_PASSWORD="$password" \
    CUSTOS_TRUSTED_PROXIES=127.0.0.1/32 CUSTOS_WEBHOOK_ALLOW_PRIVATE=true CUSTOS_WEBHOOK_ALLOW_HTTP=127.0.0.1,localhost \
    CUSTOS_JOB_PERIODS="${CLUSTER_JOB_PERIODS:-}" CUSTOS_LOG_LEVEL=warn CUSTOS_LOG_FORMAT=text \
    CUSTOS_LOGIN_IP_MAX_FAILURES=100000 CUSTOS_LOGIN_MAX_FAILURES=100000 \
    "$bin" serve >"$dir/r$i.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$port") mtls+=("127.0.0.1:$mport")
  servers+="    server r$i 127.0.0.1:$port check inter 1s fall 2 rise 1"$'\n'
  mservers+="    server r$i 127.0.0.1:$mport check inter 1s"$'\n'
}
ready() { # ready <url>: /readyz answers 200 (the database answers, every migration applied)
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1/readyz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "cluster: $1 did not become ready; see $dir" >&2
  tail -n 20 "$dir"/r*.log >&2
  return 1
}
# The first replica migrates the empty database and sets tech_admin's password; the
# others start side by side after it.
start_replica 1
ready "${urls[0]}"
for i in $(seq 2 "$n"); do start_replica "$i"; done
for u in "${urls[@]:1}"; do ready "$u"; done

lb=$(free_port) mlb=$(free_port)
cat >"$dir/haproxy.cfg" <<EOF
# Written by scripts/cluster.sh: round-robin, no stickiness.
global
    maxconn 4096
defaults
    timeout connect 2s
    timeout client 60s
    timeout server 60s
frontend custos
    mode http
    bind 127.0.0.1:$lb
    option forwardfor
    default_backend replicas
backend replicas
    mode http
    balance roundrobin
    option httpchk GET /readyz
    http-reuse safe
$servers
frontend custos_mtls
    mode tcp
    bind 127.0.0.1:$mlb
    default_backend replicas_mtls
backend replicas_mtls
    mode tcp
    balance roundrobin
$mservers
EOF
"$haproxy" -c -q -f "$dir/haproxy.cfg"
"$haproxy" -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$lb/readyz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "http://127.0.0.1:$lb/readyz" || { echo "cluster: haproxy does not answer; see $dir/haproxy.log" >&2; exit 1; }

join() { local IFS=,; echo "$*"; }
cat >"$dir/env" <<EOF
export CLUSTER_URL=http://127.0.0.1:$lb
export CLUSTER_MTLS_ADDR=127.0.0.1:$mlb
export CLUSTER_REPLICAS=$(join "${urls[@]}")
export CLUSTER_REPLICA_MTLS=$(join "${mtls[@]}")
export CLUSTER_PIDS=$(join "${pids[@]:0:$n}")
export CLUSTER_DATABASE_URL='$dburl'
export CLUSTER_ADMIN_PASSWORD='$password'
export CLUSTER_DIR=$dir
EOF
# shellcheck disable=SC1091
source "$dir/env"
echo "cluster: $n replicas (${urls[*]}) behind haproxy at $CLUSTER_URL on ${dburl%%\?*}" >&2
if [ $# -gt 0 ]; then
  "$@"
else
  cat "$dir/env"
  echo "cluster: Ctrl-C stops it" >&2
  wait "${pids[0]}"
fi
