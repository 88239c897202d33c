#!/usr/bin/env bash
# Makes a throwaway SoftHSM2 token in its own directory: its own softhsm2.conf and token
# store under <dir>, so nothing of the system's SoftHSM state is read or touched.
#   bash scripts/softhsm-token.sh <dir> [label] [so-pin] [user-pin]
# Prints the module path and the environment to use (eval-able lines), e.g.:
#   eval "$(bash scripts/softhsm-token.sh /tmp/token)"; ./bin/custos-agent
# The defaults (SO PIN 87654321, user PIN 12345678) are for demos and tests only.
set -euo pipefail
dir=${1:?usage: softhsm-token.sh <dir> [label] [so-pin] [user-pin]}
label=${2:-custos-demo}
so_pin=${3:-87654321}
user_pin=${4:-12345678}
command -v softhsm2-util >/dev/null || { echo "softhsm2-util is missing: run 'make deps' (apt: softhsm2)" >&2; exit 1; }
module=""
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so \
  /opt/homebrew/lib/softhsm/libsofthsm2.so; do
  [ -f "$m" ] && { module=$m; break; }
done
[ -n "$module" ] || { echo "libsofthsm2.so not found: run 'make deps' (apt: softhsm2)" >&2; exit 1; }
mkdir -p "$dir/tokens"
dir=$(cd "$dir" && pwd)
chmod 700 "$dir" "$dir/tokens"
cat >"$dir/softhsm2.conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
export SOFTHSM2_CONF=$dir/softhsm2.conf
softhsm2-util --init-token --free --label "$label" --so-pin "$so_pin" --pin "$user_pin" >&2
serial=$(softhsm2-util --show-slots | awk -v l="$label" '
  /Serial number:/ {s=$3} /Label:/ {sub(/^[ \t]*Label:[ \t]*/, ""); sub(/[ \t]+$/, ""); if ($0 == l) {print s; exit}}')
cat <<OUT
export SOFTHSM2_CONF=$dir/softhsm2.conf
export CUSTOS_AGENT_PKCS11_MODULE=$module
export CUSTOS_AGENT_STATE=$dir/agent-state.json
# token "$label" serial $serial (SO PIN $so_pin, user PIN $user_pin)
# inspect it: pkcs11-tool --module $module --list-objects --login --pin $user_pin
OUT
