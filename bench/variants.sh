#!/usr/bin/env bash
# The toolchain's overhead, one change at a time: builds bench/programs/minimal with each variant
# of the build (link-time options through bench/linker-variant.sh, program features) in the
# usual target dirs (only the minimal program is rebuilt: the options are environment variables,
# which cargo's fingerprints ignore), measures each with the `minimal` binary, and prints a table:
# compute units of the four cases and the size, per binary. Ends by rebuilding the baseline.
#
#   bench/variants.sh [NAME...]    (default: every variant below)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/target/bench/variants"
mkdir -p "$out"

# name | environment of the build (KEY=VALUE ...)
VARIANTS=(
  "baseline|"
  "linker -O2|SBF_LINKER_OPT=2"
  "linker -O1|SBF_LINKER_OPT=1"
  "linker -O0|SBF_LINKER_OPT=0"
  "linker -Os|SBF_LINKER_OPT=s"
  "linker -Oz|SBF_LINKER_OPT=z"
  "inline threshold 225 (LLVM's default)|SBF_LINKER_INLINE=225"
  "inline threshold 1000|SBF_LINKER_INLINE=1000"
  "inline threshold 2500|SBF_LINKER_INLINE=2500"
  "inline threshold 10000|SBF_LINKER_INLINE=10000"
  "no SBPF assembler optimizations|SBF_LINKER_APPEND=--sbpf-optimize=false"
  "v3 with --cpu v3 (not v4)|SBF_LINKER_CPU=v3 SBF_BUILD_ARCHS=v3"
  "v0 with --cpu v1 (not v2)|SBF_LINKER_CPU=v1 SBF_BUILD_ARCHS=v0"
  "no instruction-name log|MINIMAL_FEATURES=no-log-ix-name"
  "memory syscalls replaced by byte loops|MINIMAL_FEATURES=mem-loops"
  "Anchor's own entrypoint|MINIMAL_ENTRYPOINT="
)

cargo build --locked -q -p device-staking-bench --bin minimal --manifest-path "$root/Cargo.toml"
echo "| variant | v3 signer1 | v3 account_empty1 | v3 account_empty_init1 | v3 interface_account_token1 | v3 bytes | v0 signer1 | v0 account_empty1 | v0 account_empty_init1 | v0 interface_account_token1 | v0 bytes |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for variant in "${VARIANTS[@]}"; do
  name=${variant%%|*}
  settings=${variant#*|}
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$name"; then continue; fi
  dir="$out/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '-')"
  rm -rf "$dir" && mkdir -p "$dir"
  touch "$root/bench/programs/minimal/src/lib.rs" # the options are not in the fingerprints: force the rebuild
  # shellcheck disable=SC2086 # settings is a list of KEY=VALUE
  if env $settings SBF_LINKER="$root/bench/linker-variant.sh" SBF_BUILD_DEPLOY_DIR="$dir" \
    "$root/bench/build-minimal.sh" >"$dir/build.log" 2>&1; then
    v3="$dir/anchor_minimal.so" v0="$dir/anchor_minimal_v0.so"
    [ -f "$v3" ] || v3=-
    [ -f "$v0" ] || v0=-
    "$root/target/debug/minimal" --row "$name" "$v3" "$v0"
  else
    why=$(grep -m1 -E 'ERROR|Error:|stack-passed' "$dir/build.log" || grep -m1 error "$dir/build.log" || true)
    echo "| $name | build failed: $(echo "$why" | sed 's/^ *//; s|/.*/||' | tr '|' '/' | cut -c1-160) |"
  fi
done
touch "$root/bench/programs/minimal/src/lib.rs"
"$root/bench/build-minimal.sh" >"$out/baseline-rebuild.log" 2>&1
