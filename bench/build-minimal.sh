#!/usr/bin/env bash
# Builds bench/programs/minimal by the project's route (tools/sbf/build.sh, same flags and same
# target dirs, so std and the dependencies are reused) into target/bench/anchor_minimal.so
# (SBPF v3) and anchor_minimal_v0.so (SBPF v0). Extra cargo features: $MINIMAL_FEATURES.
# MINIMAL_ENTRYPOINT= (set and empty): Anchor's own entrypoint instead of the SBF build's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
features="${MINIMAL_ENTRYPOINT-sbf-entrypoint},${MINIMAL_FEATURES:-}"
features="${features#,}"
SBF_BUILD_PROGRAM=anchor_minimal SBF_BUILD_PACKAGE=anchor-minimal \
  SBF_BUILD_FEATURES="${features%,}" \
  SBF_BUILD_DEPLOY_DIR="${SBF_BUILD_DEPLOY_DIR:-$root/target/bench}" \
  exec "$root/tools/sbf/build.sh"
