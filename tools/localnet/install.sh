#!/usr/bin/env bash
# Installs solana-test-validator from the crates registry (idempotent; about 35 min cold on 2 cores).
#
# The binary lands under $LOCALNET_TOOLS_DIR (default ~/.cache/device-staking-validator/<version>),
# outside the clone, so later clones and CI runs on the same machine reuse it.
# Prints the path of the binary on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

root="${LOCALNET_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/device-staking-validator}/$AGAVE_VALIDATOR_VERSION"
bin="$root/bin/solana-test-validator"

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" localnet # say, die

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  echo "$bin"
  exit 0
fi

# rocksdb's bindings are generated with bindgen, which needs libclang.
if ! ldconfig -p 2>/dev/null | grep -q 'libclang-[0-9.]*\.so\|libclang\.so'; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "libclang is missing: install it as root with apt-get install libclang-dev"
    sudo="sudo"
  fi
  say "apt: installing libclang-dev (needed to build rocksdb's bindings)"
  mkdir -p "$root"
  if ! $sudo apt-get install -y --no-install-recommends libclang-dev clang >"$root/apt.log" 2>&1; then
    $sudo apt-get update >>"$root/apt.log" 2>&1 || die "apt-get update failed; see $root/apt.log"
    $sudo apt-get install -y --no-install-recommends libclang-dev clang >>"$root/apt.log" 2>&1 ||
      die "apt-get install libclang-dev failed; see $root/apt.log"
  fi
fi

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"
mkdir -p "$root"
say "building solana-test-validator $AGAVE_VALIDATOR_VERSION from the crates registry (once; about 35 min on 2 cores; log: $root/build.log)"
start=$(date +%s)
# A separate target folder under the cache: a failed build resumes where it stopped.
if ! CARGO_TARGET_DIR="$root/target" cargo install agave-validator --version "=$AGAVE_VALIDATOR_VERSION" \
  --locked --bin solana-test-validator --root "$root" >"$root/build.log" 2>&1; then
  tail -n 20 "$root/build.log" >&2
  die "building agave-validator $AGAVE_VALIDATOR_VERSION failed; see $root/build.log.
       If the version is no longer served, update tools/localnet/versions.env."
fi
rm -rf "$root/target"
say "solana-test-validator ready in $(($(date +%s) - start)) s: $bin"
echo "$bin"
