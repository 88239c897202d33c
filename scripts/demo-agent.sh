#!/usr/bin/env bash
# Runs custos-agent (bin/custos-agent, built by `make build`) on a SoftHSM2 demo token kept
# in ./data/demo-token: made on the first run (SO PIN 87654321, user PIN 12345678), reused
# after. `make run DEMO_AGENT=1` starts it beside Custos; the agent prints the pairing code
# to type on the self-service page. For demos only: a real workstation runs the agent with
# its token's own PKCS#11 module (README, «The device agent»).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/data/demo-token"
if [ ! -f "$dir/agent.env" ]; then
  mkdir -p "$dir"
  bash "$root/scripts/softhsm-token.sh" "$dir" custos-demo >"$dir/agent.env.tmp"
  mv "$dir/agent.env.tmp" "$dir/agent.env"
fi
# shellcheck disable=SC1091
source "$dir/agent.env"
echo "custos-agent on the SoftHSM2 demo token (SO PIN 87654321, user PIN 12345678): ${CUSTOS_AGENT_ADDR:-127.0.0.1:7443}" >&2
exec "$root/bin/custos-agent"
