#!/usr/bin/env bash
# Runs the Playwright suite against bin/custos (make e2e builds it first).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --system
cd "$root/e2e"
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
rm -rf .data
# A free port unless one is given, so a second suite or a running Custos never collides.
export E2E_PORT="${E2E_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
npx playwright test "$@"
