#!/usr/bin/env bash
# Starts the real binary for the Playwright suite on a fresh SQLite data directory.
set -euo pipefail
cd "$(dirname "$0")"
dir=".data/run-$(date +%s)-$$"
mkdir -p "$dir"
export CUSTOS_ADDR="127.0.0.1:${E2E_PORT:-18089}" CUSTOS_DATA_DIR="$dir" CUSTOS_ADMIN_PASSWORD="e2e-admin-password"
export CUSTOS_LOG_FORMAT=text CUSTOS_LOG_LEVEL=warn CUSTOS_LOGIN_IP_MAX_FAILURES=1000
exec ../bin/custos serve
