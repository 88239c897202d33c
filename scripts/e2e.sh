#!/usr/bin/env bash
# Runs the Playwright suite against bin/custos (make e2e builds it first).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --system
cd "$root/e2e"
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
# Each server gets its own .data/run-* directory; only leftovers older than an hour go,
# so a second suite started from the same checkout does not pull a running one's data away.
mkdir -p .data && find .data -mindepth 1 -maxdepth 1 -mmin +60 -exec rm -rf {} +
# A free port unless one is given, so a second suite or a running Custos never collides.
export E2E_PORT="${E2E_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
export E2E_MTLS_PORT="${E2E_MTLS_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
# A run of chosen spec files keeps its results apart (.runs/<pid>), so two runs from one
# checkout do not empty each other's output folder; leftovers older than a day go.
if [ "$#" -gt 0 ] && [ -z "${E2E_OUTPUT_DIR:-}" ]; then
  mkdir -p .runs && find .runs -mindepth 1 -maxdepth 1 -mmin +1440 -exec rm -rf {} +
  export E2E_OUTPUT_DIR=".runs/$$/test-results" E2E_REPORT_DIR=".runs/$$/playwright-report"
  echo "results of this run: e2e/$E2E_OUTPUT_DIR"
fi
npx playwright test "$@"
