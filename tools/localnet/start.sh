#!/usr/bin/env bash
# Starts solana-test-validator on 127.0.0.1 with the program loaded as an upgradeable program.
#
#   tools/localnet/start.sh               foreground: Ctrl-C stops the validator
#   tools/localnet/start.sh --background  returns once the validator answers (tools/localnet/stop.sh ends it)
#
# The state folder is $LOCALNET_DIR (default .localnet/ in the repository): a fresh ledger under
# its ledger/ on every start, the log validator.log, the PID file validator.pid, and the upgrade
# authority and funded wallet authority.json (created on first use). The program is
# target/deploy/device_staking.so. A second validator beside the first one needs its own
# LOCALNET_DIR and ports (LOCALNET_RPC_PORT, LOCALNET_FAUCET_PORT, LOCALNET_GOSSIP_PORT).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/localnet"
state="${LOCALNET_DIR:-$root/.localnet}"
[[ $state = /* ]] || state="$PWD/$state"
pidfile="$state/validator.pid"
program_so="$root/target/deploy/device_staking.so"
rpc_port="${LOCALNET_RPC_PORT:-8899}"
faucet_port="${LOCALNET_FAUCET_PORT:-9900}"
rpc="http://127.0.0.1:$rpc_port"
# Gossip's port: set LOCALNET_GOSSIP_PORT (with the two ports above) to run a second validator.
gossip=()
[ -n "${LOCALNET_GOSSIP_PORT:-}" ] && gossip=(--gossip-port "$LOCALNET_GOSSIP_PORT" --dynamic-port-range "$((LOCALNET_GOSSIP_PORT + 1))-$((LOCALNET_GOSSIP_PORT + 40))")

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" localnet # say, die

background=0
[ "${1:-}" = "--background" ] && background=1

if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  die "a validator started with the state folder $state is already running (pid $(cat "$pidfile")); stop it with LOCALNET_DIR=$state tools/localnet/stop.sh"
fi
if curl -s -m 1 "$rpc" >/dev/null 2>&1; then
  die "something already listens on 127.0.0.1:$rpc_port; stop it first (or set LOCALNET_RPC_PORT)"
fi

validator="$("$here/install.sh")"
[ -f "$program_so" ] || die "$program_so is missing: run make build"
cli="${DEVICE_STAKING_CLI:-$("$root/tools/cli.sh")}"

mkdir -p "$state"
authority="$state/authority.json"
[ -f "$authority" ] || "$cli" keygen --outfile "$authority" >/dev/null
authority_pubkey="$("$cli" address -k "$authority")"
program_id="$("$cli" address --program)"

say "starting solana-test-validator (ledger $state/ledger, log $state/validator.log)"
"$validator" --ledger "$state/ledger" --reset --quiet \
  --bind-address 127.0.0.1 --rpc-port "$rpc_port" --faucet-port "$faucet_port" "${gossip[@]}" \
  --mint "$authority_pubkey" \
  --upgradeable-program "$program_id" "$program_so" "$authority_pubkey" \
  >"$state/validator.log" 2>&1 &
pid=$!
echo "$pid" >"$pidfile"

stop() {
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping the validator (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
[ $background -eq 1 ] || trap 'stop; exit 130' INT TERM

# Ready when the RPC answers getHealth and the program is executable at a slot past its deployment.
start=$(date +%s)
until curl -s -m 2 -H 'Content-Type: application/json' \
  -d '{"jsonrpc":"2.0","id":1,"method":"getHealth"}' "$rpc" 2>/dev/null | grep -q '"ok"'; do
  kill -0 "$pid" 2>/dev/null || { tail -n 20 "$state/validator.log" >&2; rm -f "$pidfile"; die "the validator exited"; }
  [ $(($(date +%s) - start)) -lt 120 ] || { stop; die "the validator did not answer within 120 s"; }
  sleep 0.5
done
until [ "$(curl -s -m 2 -H 'Content-Type: application/json' \
  -d '{"jsonrpc":"2.0","id":1,"method":"getSlot"}' "$rpc" 2>/dev/null | jq -r '.result // 0')" -ge 2 ]; do
  [ $(($(date +%s) - start)) -lt 120 ] || { stop; die "the validator produced no slot within 120 s"; }
  sleep 0.5
done
say "ready in $(($(date +%s) - start)) s: $rpc (pid $pid), program $program_id, upgrade authority $authority"

if [ $background -eq 0 ]; then
  say "Ctrl-C stops it"
  wait "$pid" || true
  rm -f "$pidfile"
fi
