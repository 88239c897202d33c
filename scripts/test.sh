#!/usr/bin/env bash
# The whole suite (`make test`): Go on SQLite and PostgreSQL, three replicas behind
# haproxy (make test-cluster), the fault scenarios on the real binary (make test-faults),
# the SPA's type check and Vitest, then Playwright against the real binary. Each part is
# timed; the timings are printed at the end, and also when a part fails (then the run
# stops there).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
report=()
summary() {
  echo
  echo "== test timings"
  for line in "${report[@]}"; do echo "  $line"; done
}
trap summary EXIT
part() { # part <name> <make target>
  local name=$1 target=$2 start end rc
  start=$(date +%s)
  make --no-print-directory "$target"
  rc=$?
  end=$(date +%s)
  report+=("$(printf '%-22s %4ds  %s' "$name" $((end - start)) "$([ $rc = 0 ] && echo ok || echo FAILED)")")
  return $rc
}
total=$(date +%s)
part "Go (SQLite+PostgreSQL)" test-go &&
  part "Go fuzz (bounded)" fuzz &&
  part "Cluster (3 + haproxy)" test-cluster &&
  part "Faults (failover…)" test-faults &&
  part "SPA typecheck+Vitest" test-web &&
  part "Playwright (e2e)" e2e
rc=$?
report+=("$(printf '%-22s %4ds' total $(( $(date +%s) - total )))")
exit $rc
