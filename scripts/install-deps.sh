#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for `make test`: Chromium for Playwright,
# PostgreSQL client/server tools, OpenLDAP (slapd) for provider tests, and the npm
# packages of the SPA and the e2e suite. Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DEBIAN_FRONTEND=noninteractive
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v psql >/dev/null || need+=(postgresql-client)
# slapd lives in /usr/sbin, often not on a user's PATH; scripts/slapd.sh also needs openssl.
command -v slapd >/dev/null || [ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null || need+=(ldap-utils)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "apt: installing ${need[*]}"
  $sudo apt-get update -qq
  # apt can fail midway when another apt runs at once: retry once.
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" || { sleep 10; $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"; }
fi
# --system: only the apt packages (make test-go and make e2e call it; cheap when all is there).
[ "${1:-}" = "--system" ] && exit 0
for d in frontend e2e; do
  if [ -f "$root/$d/package-lock.json" ]; then (cd "$root/$d" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund); fi
done
cd "$root/backend" && go mod download
