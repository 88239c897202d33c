#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for `make test`: Chromium for Playwright,
# PostgreSQL client/server tools, OpenLDAP (slapd) for provider tests, an MIT Kerberos KDC
# and Apache with mod_auth_gssapi for the Kerberos sign-in test (scripts/kerberos.sh),
# SoftHSM2 and OpenSC for the device agent's tests, haproxy for the cluster test, aiosmtpd
# as the SMTP sink of the mail tests, and the npm packages of the SPA and the e2e suite.
# Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export DEBIAN_FRONTEND=noninteractive
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v psql >/dev/null || need+=(postgresql-client)
# The fault tests (make test-faults) run private servers: initdb, pg_ctl, pg_basebackup.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# slapd lives in /usr/sbin, often not on a user's PATH; scripts/slapd.sh also needs openssl.
command -v slapd >/dev/null || [ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null || need+=(ldap-utils)
command -v openssl >/dev/null || need+=(openssl)
# Kerberos (scripts/kerberos.sh): krb5kdc and kdb5_util come with krb5-kdc, kadmin.local with
# krb5-admin-server, kinit with krb5-user; /usr/sbin/apache2 and its modules with apache2-bin
# (not apache2: the test runs its own config, the system service is never wanted), and
# mod_auth_gssapi.so with libapache2-mod-auth-gssapi.
command -v krb5kdc >/dev/null || [ -x /usr/sbin/krb5kdc ] || need+=(krb5-kdc)
command -v kadmin.local >/dev/null || [ -x /usr/sbin/kadmin.local ] || need+=(krb5-admin-server)
command -v kinit >/dev/null || need+=(krb5-user)
command -v apache2 >/dev/null || [ -x /usr/sbin/apache2 ] || need+=(apache2-bin)
[ -e /usr/lib/apache2/modules/mod_auth_gssapi.so ] || need+=(libapache2-mod-auth-gssapi)
# The device agent's tests (backend/agent): SoftHSM2 as the PKCS#11 token
# (scripts/softhsm-token.sh), OpenSC's pkcs11-tool to judge what the agent wrote on it,
# and a C compiler for the agent's cgo.
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
# make test-cluster and make bench-load put Debian's haproxy in front of the replicas
# (scripts/cluster.sh); it lives in /usr/sbin. The package's own service is not wanted.
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
# The mail tests' SMTP sink (testutil.StartMailSink) runs Debian's python3 -m aiosmtpd; a
# python3 earlier on PATH (pyenv, a venv) may lack it, so ask Debian's own.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  # krb5-kdc and krb5-admin-server start their system services from postinst; with no realm
  # configured kadmind cannot start, and krb5-admin-server's postinst then fails the install
  # (`invoke-rc.d ... || exit 1`). A policy-rc.d answering 101 ("action forbidden") stops
  # invoke-rc.d / deb-systemd-invoke from starting anything for the length of the install;
  # an existing one (Docker images ship one) is left alone.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Written by custos scripts/install-deps.sh for the length of one apt-get install.\nexit 101\n' |
      $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    trap '$sudo rm -f "$policy"' EXIT
    trap 'exit 130' INT TERM
  fi
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
cd "$root/backend/agent" && go mod download
