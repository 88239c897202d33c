#!/usr/bin/env bash
# Runs `make test` while a CPU hog keeps both cores busy, as on a shared CI machine, and
# repeats it (RUNS, default 3). The hog is bounded: one busy loop per core at normal
# priority, stopped when the suite ends. Prints each run's timings and stops at the
# first red run.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${RUNS:-3}
cores=${HOG_CORES:-$(nproc)}
hog_pids=()
stop_hog() { [ ${#hog_pids[@]} -gt 0 ] && kill "${hog_pids[@]}" 2>/dev/null; hog_pids=(); }
trap stop_hog EXIT
for i in $(seq 1 "$runs"); do
  for _ in $(seq 1 "$cores"); do
    bash -c 'while :; do :; done' &
    hog_pids+=($!)
  done
  echo "== run $i of $runs with $cores busy loops beside it"
  start=$(date +%s)
  bash scripts/test.sh
  rc=$?
  stop_hog
  echo "== run $i: $([ $rc = 0 ] && echo green || echo RED) in $(( $(date +%s) - start ))s"
  [ $rc = 0 ] || exit $rc
done
echo "== $runs runs green under load"
