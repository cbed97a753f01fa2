#!/usr/bin/env bash
# The web app's checks and browser tests (make app-test), in order:
#   1. the CLI, the kit's app-world and the indexer (debug builds; the tests' operator steps, chain
#      checks, seeding and history use them); the indexer as `make indexer-test` builds it (through
#      its validator test), so that after that phase nothing is compiled again;
#   2. the IDL is current with the program's source (device-staking-idl --check);
#   3. the generated TypeScript client is current with the IDL (npm run generate:check);
#   4. the TypeScript type check (npm run typecheck);
#   5. the unit tests (npm run test:unit);
#   6. the browser tests (npm run test:e2e): each file starts its own validator (.localnet-app/,
#      RPC 18899), seeds it with the kit's app-world (crates/kit/src/app_world.rs) and an app
#      server (127.0.0.1:5199), and stops them; screenshots in app/e2e/screenshots.
# Needs: target/deploy/device_staking.so, solana-test-validator (tools/localnet/install.sh),
# Chromium and the app's packages (tools/app/install.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app="$root/app"

# shellcheck source=../lib.sh
source "$root/tools/lib.sh" app # say

say "1/6 the CLI, app-world and the indexer"
DEVICE_STAKING_CLI="$("$root/tools/cli.sh")"
export DEVICE_STAKING_CLI
cargo build --locked -q -p device-staking-kit --bin app-world --manifest-path "$root/Cargo.toml"
cargo test --locked -q -p device-staking-indexer --test validator --no-run --manifest-path "$root/Cargo.toml"
DEVICE_STAKING_INDEXER="${CARGO_TARGET_DIR:-$root/target}/debug/device-staking-indexer"
export DEVICE_STAKING_INDEXER

say "2/6 the IDL is current (idl/device_staking.json)"
cargo run --locked -q -p device-staking-idl --manifest-path "$root/Cargo.toml" -- --check

cd "$app"
say "3/6 the generated client is current (app/src/generated)"
npm run -s generate:check

say "4/6 type check"
npm run -s typecheck

say "5/6 unit tests"
npm run -s test:unit

say "6/6 browser tests"
npm run -s test:e2e
