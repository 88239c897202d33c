#!/usr/bin/env bash
# Starts a throwaway OpenLDAP slapd for tests and prints how to reach it as KEY=VALUE
# lines (LDAP_URL, LDAP_HOST, LDAP_PORT, LDAPS_PORT, LDAP_BASE_DN, LDAP_ADMIN_DN,
# LDAP_ADMIN_PASSWORD, LDAP_CA_CERT, SLAPD_PID, SLAPD_DIR). Everything lives in one
# temp directory: cn=config (slapadd of an LDIF), an mdb database with suffix
# dc=custos,dc=test, two users (alice, bob) and a TLS certificate for 127.0.0.1 signed
# by a throwaway CA (ldaps on LDAPS_PORT, STARTTLS on LDAP_PORT).
#
#   eval "$(scripts/slapd.sh)"; ...; kill "$SLAPD_PID"; rm -rf "$SLAPD_DIR"
#
# Ports: LDAP_PORT / LDAPS_PORT from the environment, else free high ports.
set -euo pipefail

slapd=$(command -v slapd || true)
[ -n "$slapd" ] || [ ! -x /usr/sbin/slapd ] || slapd=/usr/sbin/slapd
slapadd=$(command -v slapadd || echo /usr/sbin/slapadd)
if [ -z "$slapd" ] || [ ! -x "$slapadd" ]; then
  echo "slapd is not installed (apt-get install slapd ldap-utils, or: make deps)" >&2
  exit 3
fi
modules=$(ls -d /usr/lib/ldap /usr/lib/*/ldap /usr/lib/openldap /usr/libexec/openldap 2>/dev/null | head -n1 || true)
schema=$(ls -d /etc/ldap/schema /etc/openldap/schema 2>/dev/null | head -n1 || true)
[ -n "$schema" ] || { echo "no OpenLDAP schema directory found" >&2; exit 3; }

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
port=${LDAP_PORT:-$(free_port)}
tls_port=${LDAPS_PORT:-$(free_port)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/custos-slapd.XXXXXX")
mkdir -p "$dir/config" "$dir/data"
suffix="dc=custos,dc=test"
admin_pw="admin-secret"

# A CA and a server certificate for 127.0.0.1 / localhost.
(
  # Chained with && : set -e does not apply inside a subshell that is part of a || list.
  cd "$dir" &&
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Custos test CA" \
    -keyout ca.key -out ca.crt -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" >>"$dir/openssl.log" 2>&1 &&
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key -out server.csr >>"$dir/openssl.log" 2>&1 &&
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext &&
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext \
    -out server.crt >>"$dir/openssl.log" 2>&1
) || { echo "openssl failed:" >&2; cat "$dir/openssl.log" >&2; rm -rf "$dir"; exit 1; }

cat >"$dir/config.ldif" <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcLogLevel: none
olcTLSCACertificateFile: $dir/ca.crt
olcTLSCertificateFile: $dir/server.crt
olcTLSCertificateKeyFile: $dir/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${modules:-/usr/lib/ldap}
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://$schema/core.ldif
include: file://$schema/cosine.ldif
include: file://$schema/nis.ldif
include: file://$schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: 500

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbMaxSize: 67108864
olcSuffix: $suffix
olcDbDirectory: $dir/data
olcRootDN: cn=admin,$suffix
olcRootPW: $admin_pw
olcDbIndex: objectClass eq
olcDbIndex: uid,mail eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
EOF

cat >"$dir/data.ldif" <<EOF
dn: $suffix
objectClass: dcObject
objectClass: organization
dc: custos
o: Custos test directory

dn: ou=people,$suffix
objectClass: organizationalUnit
ou: people

dn: uid=alice,ou=people,$suffix
objectClass: inetOrgPerson
uid: alice
cn: Alice Liddell
sn: Liddell
displayName: Alice Liddell
mail: alice@custos.test
departmentNumber: R&D
title: engineer
userPassword: alice-password

dn: uid=bob,ou=people,$suffix
objectClass: inetOrgPerson
uid: bob
cn: Bob Builder
sn: Builder
mail: bob@custos.test
departmentNumber: Sales
userPassword: bob-password
EOF

"$slapadd" -n 0 -F "$dir/config" -l "$dir/config.ldif" >"$dir/slapadd.log" 2>&1 ||
  { cat "$dir/slapadd.log" >&2; rm -rf "$dir"; exit 1; }
"$slapadd" -n 1 -F "$dir/config" -l "$dir/data.ldif" >>"$dir/slapadd.log" 2>&1 ||
  { cat "$dir/slapadd.log" >&2; rm -rf "$dir"; exit 1; }

# slapd forks into the background and writes its pid file once it listens.
"$slapd" -F "$dir/config" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tls_port/" >"$dir/slapd.log" 2>&1 ||
  { cat "$dir/slapd.log" >&2; rm -rf "$dir"; exit 1; }
for _ in $(seq 1 100); do
  if [ -s "$dir/slapd.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
if ! [ -s "$dir/slapd.pid" ]; then
  echo "slapd did not start; see $dir/slapd.log" >&2; cat "$dir/slapd.log" >&2; exit 1
fi

cat <<EOF
LDAP_URL=ldap://127.0.0.1:$port
LDAP_HOST=127.0.0.1
LDAP_PORT=$port
LDAPS_PORT=$tls_port
LDAP_BASE_DN=$suffix
LDAP_ADMIN_DN=cn=admin,$suffix
LDAP_ADMIN_PASSWORD=$admin_pw
LDAP_CA_CERT=$dir/ca.crt
SLAPD_PID=$(cat "$dir/slapd.pid")
SLAPD_DIR=$dir
EOF
