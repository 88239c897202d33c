#!/usr/bin/env bash
# Starts the real binary for the Playwright suite on a fresh SQLite data directory.
set -euo pipefail
cd "$(dirname "$0")"
dir=".data/run-$(date +%s)-$$"
mkdir -p "$dir"
export CUSTOS_ADDR="127.0.0.1:${E2E_PORT:-18089}" CUSTOS_DATA_DIR="$dir" CUSTOS_ADMIN_PASSWORD="e2e-admin-password"
# The mTLS entry of integrated systems (systems.spec.ts), its server certificate from our CA.
export CUSTOS_MTLS_ADDR="127.0.0.1:${E2E_MTLS_PORT:-$(( ${E2E_PORT:-18089} + 354 ))}"
export CUSTOS_LOG_FORMAT=text CUSTOS_LOG_LEVEL=warn CUSTOS_LOGIN_IP_MAX_FAILURES=1000
# The suite's Kerberos front (Apache with mod_auth_gssapi, scripts/kerberos.sh) reaches Custos
# from 127.0.0.1, so Custos must believe the X-Remote-User header it sets from there.
export CUSTOS_TRUSTED_PROXIES=127.0.0.1/32
# Webhook receivers of the suite (stats-webhooks.spec.ts) are Node servers on 127.0.0.1:
# plain http to that host, and a loopback address, are allowed here (refused by default).
export CUSTOS_WEBHOOK_ALLOW_HTTP=127.0.0.1 CUSTOS_WEBHOOK_ALLOW_PRIVATE=true
# CUSTOS_BIN lets a long session test one build while the work tree is rebuilt.
exec "${CUSTOS_BIN:-../bin/custos}" serve
