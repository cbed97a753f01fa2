#!/usr/bin/env bash
# The deploy step, run after the program is deployed: checks that the chain runs this build,
# then creates the config (R30) with the roles, floors and parameters given. Idempotent: when the
# config already holds these values it says so and exits 0; when it holds others it lists them
# and exits non-zero (change them with the admin's commands, not here).
#
#   migrations/deploy.sh [--url URL] [-k UPGRADE_AUTHORITY_KEYPAIR] [--local] --mint MINT \
#       --oracle KEY --reward-authority KEY --slash-authority KEY --treasury KEY \
#       [--admin KEY] [--params FILE] [--set KEY=VALUE ...] [--binary FILE]
#
# KEY: an address or a keypair file. Defaults: --url http://127.0.0.1:8899 (monikers such as
# devnet work), -k ~/.config/solana/id.json, --params migrations/params.toml,
# --binary target/deploy/device_staking.so.
#
# Floors (the smallest cover window, cooldown and role change delay; fixed for good at
# initialize): 1 d / 7 d / 7 d on devnet, mainnet and any other cluster. --local says the
# deployment is a validator on this machine: the floors are then 1 s / 1 s / 0 s, so that the
# windows of seconds of migrations/params.localnet.toml are allowed; --local is refused unless
# the URL is localhost, 127.0.0.1 or [::1]. Against `make localnet`: --local,
# -k .localnet/authority.json and --params migrations/params.localnet.toml.
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
local=0
initialize=()
while [ $# -gt 0 ]; do
  case "$1" in
  -u | --url) url="$2"; shift 2 ;;
  -k | --keypair) keypair=(-k "$2"); shift 2 ;;
  --params) params="$2"; shift 2 ;;
  --binary) binary="$2"; shift 2 ;;
  --local) local=1; shift ;;
  --floors) echo "deploy.sh chooses the floors itself (--local for a validator on this machine)" >&2; exit 2 ;;
  -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) initialize+=("$1"); shift ;;
  esac
done

# Whether the URL names this machine: the moniker localhost, or an http(s) URL whose host is
# localhost, 127.0.0.1 or [::1].
is_local_url() {
  case "$1" in
  l | localhost) return 0 ;;
  esac
  [[ $1 =~ ^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?(/.*)?$ ]]
}

if [ $local -eq 1 ]; then
  if ! is_local_url "$url"; then
    echo "--local (floors of seconds) is only for a validator on this machine, not $url" >&2
    exit 2
  fi
  floors=local
else
  case "$url" in
  d | devnet | *devnet*) floors=devnet ;;
  *) floors=mainnet ;;
  esac
fi

cli="${DEVICE_STAKING_CLI:-$("$root/tools/cli.sh")}"
step() { printf '\033[1m[deploy]\033[0m %s\n' "$*" >&2; }

step "1/2 the program on $url is $(basename "$binary")"
if ! "$cli" --url "$url" "${keypair[@]}" program --expect "$binary"; then
  echo "Deploy this build first (see the comment at the top of $0), then run this step again." >&2
  exit 1
fi
step "2/2 the config ($floors floors)"
"$cli" --url "$url" "${keypair[@]}" operator initialize --floors "$floors" --params "$params" "${initialize[@]}"
