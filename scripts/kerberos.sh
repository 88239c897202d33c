#!/usr/bin/env bash
# Starts a throwaway MIT Kerberos KDC and an Apache reverse proxy doing SPNEGO in front of
# Custos, for the Kerberos sign-in test, and prints how to reach them as KEY=VALUE lines
# (KRB5_CONFIG, KRB5_KDC_PROFILE, KRB_DIR, KRB_REALM, KDC_PORT, KDC_PID, APACHE_PORT,
# APACHE_PID, KERBEROS_PROXY_URL, KRB_ALICE_PRINCIPAL, KRB_ALICE_PASSWORD).
#
#   scripts/kerberos.sh http://127.0.0.1:18089
#
# Everything lives in one temp directory; no system configuration is read or written
# (KRB5_CONFIG and KRB5_KDC_PROFILE point into the directory, Apache gets its own config):
#   - a KDC (krb5kdc) for realm CUSTOS.TEST on 127.0.0.1:KDC_PORT (UDP and TCP) with the
#     principals alice (password alice-kerberos-password; alice is also in scripts/slapd.sh)
#     and HTTP/localhost, whose key is exported to http.keytab;
#   - Apache (apache2 with its own config) on 127.0.0.1:APACHE_PORT proxying every path to
#     the Custos URL given as the first argument. Only /api/v1/auth/kerberos asks for
#     Negotiate (mod_auth_gssapi) and passes the authenticated principal to Custos in
#     X-Remote-User; everywhere else a client's own X-Remote-User is removed.
# The proxy's URL is http://localhost:APACHE_PORT: the service principal is HTTP/localhost.
#
# A client gets a ticket with
#   KRB5_CONFIG=$KRB5_CONFIG KRB5CCNAME=FILE:$KRB_DIR/cc kinit alice <<<alice-kerberos-password
# Stop with: kill "$APACHE_PID" "$KDC_PID"; rm -rf "$KRB_DIR"
set -euo pipefail

upstream=${1:-}
upstream=${upstream%/}
case "$upstream" in
  http://* | https://*) ;;
  *) echo "usage: $0 <Custos URL, e.g. http://127.0.0.1:18089>" >&2; exit 2 ;;
esac

find_bin() { # name: the binary on PATH or in /usr/sbin (often not on a user's PATH)
  command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true
}
krb5kdc=$(find_bin krb5kdc)
kdb5_util=$(find_bin kdb5_util)
kadmin_local=$(find_bin kadmin.local)
kinit=$(find_bin kinit)
apache=$(find_bin apache2)
modules=/usr/lib/apache2/modules
missing=()
[ -n "$krb5kdc" ] && [ -n "$kdb5_util" ] || missing+=(krb5-kdc)
[ -n "$kadmin_local" ] || missing+=(krb5-admin-server)
[ -n "$kinit" ] || missing+=(krb5-user)
[ -n "$apache" ] || missing+=(apache2-bin)
[ -e "$modules/mod_auth_gssapi.so" ] || missing+=(libapache2-mod-auth-gssapi)
if [ ${#missing[@]} -gt 0 ]; then
  echo "kerberos.sh: not installed: ${missing[*]} (apt-get install ${missing[*]}, or: bash scripts/install-deps.sh --system)" >&2
  exit 3
fi

realm=CUSTOS.TEST
alice_password=alice-kerberos-password
dir=$(mktemp -d "${TMPDIR:-/tmp}/custos-krb.XXXXXX")
kdc_pid="" apache_pid=""
fail() { # message: stop what was started, say why, exit non-zero
  echo "kerberos.sh: $*" >&2
  [ -z "$apache_pid" ] || kill "$apache_pid" 2>/dev/null || true
  [ -z "$kdc_pid" ] || kill "$kdc_pid" 2>/dev/null || true
  for f in kdc.out kdc.log apache.out apache-error.log; do
    if [ -s "$dir/$f" ]; then echo "--- $dir/$f (last lines)" >&2; tail -n 20 "$dir/$f" >&2; fi
  done
  rm -rf "$dir"
  exit 1
}
trap 'fail "interrupted"' INT TERM
trap 'rc=$?; [ $rc = 0 ] || fail "failed (exit $rc) at line $LINENO"' ERR

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
# The replay cache of Apache's workers (mod_auth_gssapi), instead of /var/tmp.
export KRB5RCACHEDIR="$dir/rcache"
mkdir -p "$dir/rcache" "$dir/run"

write_krb_conf() { # kdc port
  cat >"$dir/krb5.conf" <<EOF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false

[realms]
    $realm = {
        kdc = 127.0.0.1:$1
    }

[domain_realm]
    localhost = $realm
EOF
  cat >"$dir/kdc.conf" <<EOF
[kdcdefaults]
    kdc_ports = $1
    kdc_tcp_ports = $1

[realms]
    $realm = {
        kdc_listen = 127.0.0.1:$1
        kdc_tcp_listen = 127.0.0.1:$1
        database_name = $dir/principal
        key_stash_file = $dir/stash
        acl_file = $dir/kadm5.acl
        max_life = 10h 0m 0s
        max_renewable_life = 1d 0h 0m 0s
    }

[logging]
    kdc = FILE:$dir/kdc.log
    admin_server = FILE:$dir/kadmin.log
    default = FILE:$dir/krb5lib.log
EOF
}

# The database and the principals, made before the KDC runs (kadmin.local writes the
# database directly). The port is rewritten below; the database does not depend on it.
write_krb_conf 88
: >"$dir/kadm5.acl"
"$kdb5_util" -r "$realm" create -s -P "master-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')" >"$dir/kdb5_util.log" 2>&1 ||
  fail "kdb5_util create failed: $(cat "$dir/kdb5_util.log")"
kadmin() { # query: kadmin.local exits 0 even when the query fails, so read what it says
  local out
  out=$("$kadmin_local" -r "$realm" -q "$1" 2>&1) || fail "kadmin.local -q '$1' failed: $out"
  echo "$out" >>"$dir/kadmin.local.log"
  if grep -qiE 'while |error|cannot|unknown|usage' <<<"$out"; then fail "kadmin.local -q '$1' says: $out"; fi
}
kadmin "addprinc -pw $alice_password alice"
kadmin "addprinc -randkey HTTP/localhost"
kadmin "ktadd -k $dir/http.keytab HTTP/localhost"
[ -s "$dir/http.keytab" ] || fail "no keytab was written"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
await_up() { # pid check...: wait up to 10 s for check to pass while pid lives
  local pid=$1; shift
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; } # pid

# The KDC in the foreground of its own background job (-n), so its pid is $!. A port taken
# between choosing and binding (a second run at the same time) makes it exit: try again.
kdc_port=""
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  write_krb_conf "$port"
  "$krb5kdc" -n -r "$realm" >"$dir/kdc.out" 2>&1 </dev/null &
  kdc_pid=$!
  if await_up "$kdc_pid" port_open "$port"; then kdc_port=$port; break; fi
  stop "$kdc_pid"
  kdc_pid=""
  echo "kerberos.sh: the KDC did not come up on port $port (attempt $attempt): $(tail -n 3 "$dir/kdc.out" "$dir/kdc.log" 2>/dev/null | tr '\n' ' ')" >&2
done
[ -n "$kdc_port" ] || fail "the KDC did not start"

# The KDC answers: a real AS exchange with the service's own key (proves the keytab too).
ok=""
for _ in $(seq 1 50); do
  if KRB5CCNAME="FILE:$dir/probe.cc" "$kinit" -k -t "$dir/http.keytab" HTTP/localhost >"$dir/probe.log" 2>&1; then ok=1; break; fi
  sleep 0.1
done
rm -f "$dir/probe.cc"
[ -n "$ok" ] || fail "the KDC does not hand out tickets: $(cat "$dir/probe.log")"

# Apache. Started as root it must switch to an unprivileged user for its workers, which
# then need to read the keytab and the config and write the replay cache.
user_directives=""
if [ "$(id -u)" = 0 ]; then
  run_user=nobody
  run_group=$(id -gn "$run_user")
  user_directives="User $run_user
Group $run_group"
  chmod 711 "$dir"
  chgrp "$run_group" "$dir/http.keytab" && chmod 640 "$dir/http.keytab"
  chmod 644 "$dir/krb5.conf"
  chown "$run_user:$run_group" "$dir/rcache"
fi

write_apache_conf() { # port
  cat >"$dir/httpd.conf" <<EOF
# Written by scripts/kerberos.sh; the Kerberos front of Custos for the e2e suite.
ServerRoot "$dir"
ServerName localhost
Listen 127.0.0.1:$1
PidFile "$dir/apache.pid"
DefaultRuntimeDir "$dir/run"
Mutex file:$dir/run default
ErrorLog "$dir/apache-error.log"
LogLevel warn auth_gssapi:debug
$user_directives

LoadModule mpm_event_module $modules/mod_mpm_event.so
LoadModule authn_core_module $modules/mod_authn_core.so
LoadModule authz_core_module $modules/mod_authz_core.so
LoadModule authz_user_module $modules/mod_authz_user.so
LoadModule auth_gssapi_module $modules/mod_auth_gssapi.so
LoadModule headers_module $modules/mod_headers.so
LoadModule proxy_module $modules/mod_proxy.so
LoadModule proxy_http_module $modules/mod_proxy_http.so

StartServers 1
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
MinSpareThreads 4
MaxSpareThreads 32
KeepAlive On

LogFormat "%h \"%r\" %>s user=%u x-remote-user=\"%{X-Remote-User}i\"" custos
CustomLog "$dir/apache-access.log" custos

ProxyRequests Off
ProxyPreserveHost On
ProxyPass / $upstream/
ProxyPassReverse / $upstream/

# Only the proxy may name the user: a client's own header never reaches Custos.
RequestHeader unset X-Remote-User

<Location /api/v1/auth/kerberos>
    AuthType GSSAPI
    AuthName "Custos"
    GssapiCredStore keytab:$dir/http.keytab
    GssapiAllowedMech krb5
    GssapiBasicAuth Off
    Require valid-user
    # alice@CUSTOS.TEST; Custos turns it into the login alice. Not "%{REMOTE_USER}s": that
    # reads the CGI environment, which mod_proxy never fills, and sends "(null)".
    RequestHeader set X-Remote-User "expr=%{REMOTE_USER}"
    # The ticket was for Apache; Custos has no use for it.
    RequestHeader unset Authorization
</Location>
EOF
}

challenges() { port_open "$1" && [ "$(http_status "$1" /api/v1/auth/kerberos)" = 401 ]; } # port: Apache asks for Negotiate
http_status() { # port path: the status code Apache answers to GET path (no Custos needed for 401)
  local line
  exec 4<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost:%s\r\n\r\n' "$2" "$1" >&4
  IFS= read -r -t 5 line <&4 || true
  exec 4<&- 4>&-
  line=${line#HTTP/1.? }
  echo "${line%% *}"
}

apache_port=""
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  write_apache_conf "$port"
  "$apache" -t -f "$dir/httpd.conf" >"$dir/apache.out" 2>&1 || fail "the Apache config is refused: $(cat "$dir/apache.out")"
  "$apache" -f "$dir/httpd.conf" -DFOREGROUND >"$dir/apache.out" 2>&1 </dev/null &
  apache_pid=$!
  if await_up "$apache_pid" challenges "$port"; then apache_port=$port; break; fi
  stop "$apache_pid"
  apache_pid=""
  echo "kerberos.sh: Apache did not come up on port $port (attempt $attempt): $(tail -n 3 "$dir/apache.out" "$dir/apache-error.log" 2>/dev/null | tr '\n' ' ')" >&2
done
[ -n "$apache_port" ] || fail "Apache did not start"

trap - INT TERM ERR
cat <<EOF
KRB5_CONFIG=$dir/krb5.conf
KRB5_KDC_PROFILE=$dir/kdc.conf
KRB_DIR=$dir
KRB_REALM=$realm
KDC_PORT=$kdc_port
KDC_PID=$kdc_pid
APACHE_PORT=$apache_port
APACHE_PID=$apache_pid
KERBEROS_PROXY_URL=http://localhost:$apache_port
KRB_ALICE_PRINCIPAL=alice@$realm
KRB_ALICE_PASSWORD=$alice_password
EOF
