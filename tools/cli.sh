#!/usr/bin/env bash
# Builds the device-staking CLI if needed (quietly) and prints the path of its binary.
# Scripts take DEVICE_STAKING_CLI instead when it is set (e.g. inside a running cargo test).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo build --locked -q -p device-staking-cli --manifest-path "$root/Cargo.toml" >&2
echo "${CARGO_TARGET_DIR:-$root/target}/debug/device-staking"
