#!/usr/bin/env bash
# Serves the web app against a local validator (make app):
#   1. a validator on 127.0.0.1:8899 (LOCALNET_RPC_PORT): the one running there, else a new one
#      (tools/localnet/start.sh --background; it keeps running after this script: make localnet-stop);
#   2. the chain seeded once by app-world (crates/kit/src/app_world.rs): config, mint, wallets with
#      SOL and tokens, devices, an open offer and announced changes, described in .localnet/app-world.json, keypair
#      files in .localnet/app-world/ (the state folder is LOCALNET_DIR, default .localnet);
#      seeded again when that file is missing or names accounts the chain does not have;
#   3. the wallets and how to import them into a browser wallet;
#   4. the indexer following the validator into $LOCALNET_DIR/history.sqlite (started afresh with a new
#      chain) and its history API on http://127.0.0.1:8787 (INDEXER_PORT; docs/api.md), log indexer.log;
#   5. the app's dev server on http://127.0.0.1:5173 (APP_PORT) with VITE_RPC_URL and VITE_INDEXER_URL
#      set; Ctrl-C stops it and the indexer.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app="$root/app"
state="${LOCALNET_DIR:-$root/.localnet}"
[[ $state = /* ]] || state="$PWD/$state"
rpc="http://127.0.0.1:${LOCALNET_RPC_PORT:-8899}"
world="$state/app-world.json"
app_port="${APP_PORT:-5173}"
indexer_port="${INDEXER_PORT:-8787}"
history_db="$state/history.sqlite"

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" app # say, die

# Whether the account at $1 exists on the chain (at confirmed).
account_exists() {
  curl -s -m 5 -H 'Content-Type: application/json' \
    -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"getAccountInfo\",\"params\":[\"$1\",{\"encoding\":\"base64\",\"commitment\":\"confirmed\"}]}" \
    "$rpc" | jq -e '.result.value != null' >/dev/null
}

cli="$("$root/tools/cli.sh")"
export DEVICE_STAKING_CLI="$cli"

if ! curl -s -m 2 "$rpc" >/dev/null 2>&1; then
  say "no validator at $rpc: starting one (tools/localnet/start.sh --background)"
  "$root/tools/localnet/start.sh" --background
fi

config="$("$cli" pda --output json | jq -r .config)"
if [ -f "$world" ] && account_exists "$config" && account_exists "$(jq -r '.devices[0].address' "$world")"; then
  say "the chain is seeded already ($world)"
else
  if account_exists "$config"; then
    die "the validator at $rpc has a config that $world does not describe (another run made it).
       Restart the validator to seed it afresh: make localnet-stop (or stop it where it runs), then make app."
  fi
  [ -f "$state/authority.json" ] ||
    die "$state/authority.json is missing: the validator at $rpc was not started by tools/localnet/start.sh; stop it and run make app"
  say "seeding the chain with app-world (wallets in $state/app-world/)"
  rm -f "$world" "$history_db" "$history_db-wal" "$history_db-shm"
  cargo run --locked -q -p device-staking-kit --manifest-path "$root/Cargo.toml" --bin app-world -- \
    --url "$rpc" --out "$world" --state "$state/app-world" --authority "$state/authority.json" 2>"$state/app-world.log" ||
    { tail -n 30 "$state/app-world.log" >&2; die "seeding failed; see $state/app-world.log"; }
fi

# The wallets, with their secret keys in base58 (what browser wallets import). Localnet keys only.
(cd "$app" && node --input-type=module -e '
import { readFileSync } from "node:fs";
import { getBase58Decoder } from "@solana/kit";
const world = JSON.parse(readFileSync(process.argv[1], "utf8"));
const roles = { owner: "device owner: 2 unstaked devices (one hired), 50,000 tokens", costaker: "co-staker: 20,000 tokens",
  owner2: "device owner with an open offer", admin: "the config admin (announced changes)", oracle: "the oracle",
  nextOracle: "proposed as the next oracle (not accepted)",
  rewardAuthority: "pays rewards: 1,000,000 tokens", slashAuthority: "holds and slashes", treasury: "treasury", authority: "mint authority, upgrade authority" };
console.log(`\nThe app: http://127.0.0.1:${process.argv[2]}  (chain ${world.rpcUrl}, mint ${world.mint}, program ${world.programId})\n`);
for (const [name, wallet] of Object.entries(world.wallets)) {
  console.log(`  ${name.padEnd(16)} ${wallet.address.padEnd(45)} ${roles[name] ?? ""}\n  ${"".padEnd(16)} keypair ${wallet.keypair}`);
}
console.log(`
To use a wallet in a browser wallet (Phantom, Solflare, Backpack): add an account with "Import private key"
and paste its key from the list below, then point the wallet at the custom network ${world.rpcUrl}
(localnet). The devices are listed in ${process.argv[1]}; the CLI works on them too:
  target/debug/device-staking --url ${world.rpcUrl} -k <keypair file> status --wallet <address>
`);
for (const [name, wallet] of Object.entries(world.wallets)) {
  const secret = Uint8Array.from(JSON.parse(readFileSync(wallet.keypair, "utf8")));
  console.log(`  ${name.padEnd(16)} ${getBase58Decoder().decode(secret)}`);
}
console.log("");
' "$world" "$app_port")

# The indexer and its API beside the validator, stopped with the app (by its PID).
cargo build --locked -q -p device-staking-indexer --manifest-path "$root/Cargo.toml"
"${CARGO_TARGET_DIR:-$root/target}/debug/device-staking-indexer" --database "sqlite:$history_db" index --url "$rpc" --follow \
  --api-port "$indexer_port" 2>"$state/indexer.log" &
indexer_pid=$!
trap 'kill "$indexer_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -s -m 1 "http://127.0.0.1:$indexer_port/health" >/dev/null 2>&1 && break; sleep 0.2; done
kill -0 "$indexer_pid" 2>/dev/null || { tail -n 20 "$state/indexer.log" >&2; die "the indexer stopped; see $state/indexer.log"; }
say "the indexer follows $rpc into $history_db; its API: http://127.0.0.1:$indexer_port (log $state/indexer.log)"

say "serving the app on http://127.0.0.1:$app_port (Ctrl-C stops it and the indexer; the validator keeps running: make localnet-stop)"
cd "$app"
VITE_RPC_URL="$rpc" VITE_INDEXER_URL="http://127.0.0.1:$indexer_port" ./node_modules/.bin/vite --host 127.0.0.1 --port "$app_port" --strictPort
