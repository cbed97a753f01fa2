#!/usr/bin/env bash
# The linker rustc calls for the SBF target: sbpf-linker, for the program only.
# cargo also builds the `cdylib` crate type that some dependencies declare for other
# platforms (solana-zk-sdk does, for wasm); nothing ever loads those, and linking them as
# standalone programs fails on code that LTO removes from the real program. So for any
# output other than $SBF_PROGRAM this writes an empty placeholder instead of linking.
# `--deploy false`: sbpf-linker would also copy its output to ./target/deploy; build.sh does that.
# SBF_LINKER: another command to link with (bench/linker-variant.sh, for the toolchain variants
# of bench/variants.sh); an environment variable, so cargo's fingerprints do not change.
set -euo pipefail
out=""
prev=""
for arg in "$@"; do
  [ "$prev" = "-o" ] && out="$arg"
  prev="$arg"
done
case "$(basename "$out")" in
  "lib$SBF_PROGRAM.so" | "$SBF_PROGRAM.so" | "lib$SBF_PROGRAM-"*.so | "$SBF_PROGRAM-"*.so) exec ${SBF_LINKER:-sbpf-linker} --deploy false ${SBF_LINK_EXTRA:-} "$@" ;;
  *) : >"$out" ;;
esac
