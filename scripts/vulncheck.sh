#!/usr/bin/env bash
# make vulncheck: govulncheck against the offline vulnerability database; fails on a
# vulnerability our code reaches (symbol level) unless backend/govulncheck.allow lists it
# with a reason. CUSTOS_VULNDB overrides the database directory; otherwise the first
# shared/vulndb found beside the repository or in a folder above it, then /work/shared.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.26.10}
version=v1.1.4
find_db() {
  local d=$root
  while [ "$d" != / ]; do
    d=$(dirname "$d")
    [ -d "$d/shared/vulndb/ID" ] && { echo "$d/shared/vulndb"; return; }
  done
  echo /work/shared/vulndb
}
db=${CUSTOS_VULNDB:-$(find_db)}
if [ ! -d "$db/ID" ] || [ ! -d "$db/index" ]; then
  echo "vulncheck: no vulnerability database at $db (want ID/ and index/): set CUSTOS_VULNDB" >&2
  exit 1
fi
db=$(realpath "$db")
bin=$(go env GOBIN); bin=${bin:-$(go env GOPATH)/bin}/govulncheck
if ! go version -m "$bin" 2>/dev/null | grep -q "golang.org/x/vuln[[:space:]]*$version"; then
  echo "vulncheck: installing govulncheck@$version"
  go install "golang.org/x/vuln/cmd/govulncheck@$version"
fi
out=$(mktemp); trap 'rm -f "$out"' EXIT
# In -format json govulncheck exits 0 with findings; non-zero means the scan itself failed.
if ! (cd "$root/backend" && "$bin" -db "file://$db" -format json ./... >"$out"); then
  echo "vulncheck: govulncheck could not scan backend/ (see above)" >&2
  exit 1
fi
# The filter uses only the standard library: run it outside the workspace's modules.
cd "$root/scripts/vulncheck" && GOWORK=off go run filter.go -allow "$root/backend/govulncheck.allow" <"$out"
