#!/usr/bin/env bash
# The deploy step, run after the program is deployed: checks that the chain runs this build,
# then creates the config (R30) with the roles and parameters given. Idempotent: when the config
# already holds these values it says so and exits 0; when it holds others it lists them and
# exits non-zero (change them with the admin's commands, not here).
#
#   migrations/deploy.sh [--url URL] [-k UPGRADE_AUTHORITY_KEYPAIR] --mint MINT \
#       --oracle KEY --reward-authority KEY --slash-authority KEY --treasury KEY \
#       [--admin KEY] [--params FILE] [--set KEY=VALUE ...] [--binary FILE]
#
# KEY: an address or a keypair file. Defaults: --url http://127.0.0.1:8899 (monikers such as
# devnet work), -k ~/.config/solana/id.json, --params migrations/params.toml,
# --binary target/deploy/device_staking.so. Against `make localnet`: -k .localnet/authority.json
# and --params migrations/params.localnet.toml (windows of seconds).
#
# Deploying the program itself is the Solana CLI's job on a cluster
# (solana program deploy target/deploy/device_staking.so --program-id keys/device_staking-keypair.json);
# the local validator loads it at start.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
url="http://127.0.0.1:8899"
keypair=()
params="$root/migrations/params.toml"
binary="$root/target/deploy/device_staking.so"
initialize=()
while [ $# -gt 0 ]; do
  case "$1" in
  -u | --url) url="$2"; shift 2 ;;
  -k | --keypair) keypair=(-k "$2"); shift 2 ;;
  --params) params="$2"; shift 2 ;;
  --binary) binary="$2"; shift 2 ;;
  -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) initialize+=("$1"); shift ;;
  esac
done

cli="${DEVICE_STAKING_CLI:-$("$root/tools/cli.sh")}"
step() { printf '\033[1m[deploy]\033[0m %s\n' "$*" >&2; }

step "1/2 the program on $url is $(basename "$binary")"
if ! "$cli" --url "$url" "${keypair[@]}" program --expect "$binary"; then
  echo "Deploy this build first (see the comment at the top of $0), then run this step again." >&2
  exit 1
fi
step "2/2 the config"
"$cli" --url "$url" "${keypair[@]}" operator initialize --params "$params" "${initialize[@]}"
