#!/usr/bin/env bash
# sbpf-linker for a toolchain variant (bench/variants.sh), used through SBF_LINKER by
# tools/sbf/link.sh. Link-time options change here instead of in RUSTFLAGS, so that cargo reuses
# the built std and dependencies and only relinks the program.
#   SBF_LINKER_LOG       append the arguments rustc passes to this file
#   SBF_LINKER_OPT       the optimization level instead of rustc's (0-3, s, z)
#   SBF_LINKER_INLINE    the --inline-threshold instead of tools/sbf/build.sh's
#   SBF_LINKER_CPU       the --cpu instead of rustc's (from -C target-cpu)
#   SBF_LINKER_APPEND    more arguments, appended (e.g. --sbpf-optimize false)
set -euo pipefail
[ -n "${SBF_LINKER_LOG:-}" ] && printf '%q ' "$@" >>"$SBF_LINKER_LOG" && echo >>"$SBF_LINKER_LOG"
args=()
prev=""
for arg in "$@"; do
  case "$prev:$arg" in
    -O:*) [ -n "${SBF_LINKER_OPT:-}" ] && arg=$SBF_LINKER_OPT ;;
    --cpu:*) [ -n "${SBF_LINKER_CPU:-}" ] && arg=$SBF_LINKER_CPU ;;
  esac
  case "$arg" in
    -O[0-3sz]) [ -n "${SBF_LINKER_OPT:-}" ] && arg=-O$SBF_LINKER_OPT ;;
    --cpu=*) [ -n "${SBF_LINKER_CPU:-}" ] && arg=--cpu=$SBF_LINKER_CPU ;;
    --llvm-args=--inline-threshold=*) [ -n "${SBF_LINKER_INLINE:-}" ] && arg=--llvm-args=--inline-threshold=$SBF_LINKER_INLINE ;;
  esac
  args+=("$arg")
  prev=$arg
done
# shellcheck disable=SC2086 # SBF_LINKER_APPEND is a list of arguments
exec sbpf-linker "${args[@]}" ${SBF_LINKER_APPEND:-}
