#!/usr/bin/env bash
# The verifiable build: the sha256 of the program's binaries, committed in docs/verify.md, and
# the checks that a build gives them.
#
#   tools/sbf/verify.sh           clone the committed tree (HEAD) into a temporary folder, build
#                                 both binaries there from scratch (tools/sbf/build.sh, under
#                                 flock /tmp/sbf.lock) and compare their sha256 with docs/verify.md
#   tools/sbf/verify.sh --built   compare target/deploy with docs/verify.md (no build; fast)
#   tools/sbf/verify.sh --write   rewrite the hashes of docs/verify.md from target/deploy
#
# Exits non-zero when a binary is missing or a hash differs. VERIFY_KEEP=1 keeps the clean
# build's folder (its path is printed). A deployment is compared with a build or a hash by
# `device-staking program --expect` (docs/verify.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
doc="$root/docs/verify.md"
binaries=(device_staking.so device_staking_v0.so)
begin='<!-- sha256 of target/deploy: begin (written by tools/sbf/verify.sh --write) -->'
end='<!-- sha256 of target/deploy: end -->'

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" verify # say, die

# The committed hashes: "HASH  NAME" lines between the markers of docs/verify.md.
committed() {
  [ -f "$doc" ] || die "$doc is missing"
  awk -v b="$begin" -v e="$end" '$0 == b {on = 1; next} $0 == e {on = 0} on && NF == 2 && length($1) == 64 && $1 ~ /^[0-9a-f]+$/ {print}' "$doc"
}

# Compares the binaries of folder $1 with the committed hashes; prints one line per binary.
compare() {
  local dir=$1 expected actual name failed=0
  local hashes
  hashes="$(committed)"
  [ -n "$hashes" ] || die "no hashes between the markers of $doc (write them with tools/sbf/verify.sh --write)"
  for name in "${binaries[@]}"; do
    expected="$(awk -v n="$name" '$2 == n {print $1}' <<<"$hashes")"
    [ -n "$expected" ] || { say "$name: no committed hash in docs/verify.md"; failed=1; continue; }
    if [ ! -f "$dir/$name" ]; then
      say "$name: missing in $dir"
      failed=1
      continue
    fi
    actual="$(sha256sum "$dir/$name" | cut -d' ' -f1)"
    if [ "$actual" = "$expected" ]; then
      say "$name  $actual  matches docs/verify.md"
    else
      say "$name  $actual  DIFFERS from docs/verify.md ($expected)"
      failed=1
    fi
  done
  return $failed
}

# Rewrites the block of docs/verify.md with the hashes of target/deploy.
write() {
  local dir="$root/target/deploy" name lines=""
  for name in "${binaries[@]}"; do
    [ -f "$dir/$name" ] || die "$dir/$name is missing: run make build"
    lines+="$(cd "$dir" && sha256sum "$name")"$'\n'
  done
  grep -qxF "$begin" "$doc" && grep -qxF "$end" "$doc" || die "$doc lacks the lines $begin and $end"
  local tmp
  tmp="$(mktemp "$doc.XXXX")"
  awk -v b="$begin" -v e="$end" -v lines="$lines" '
    $0 == b {print; printf "%s", lines; skip = 1; next}
    $0 == e {skip = 0}
    !skip {print}' "$doc" >"$tmp"
  mv "$tmp" "$doc"
  say "wrote the hashes of target/deploy into docs/verify.md:"
  printf '%s' "$lines" >&2
}

# Builds HEAD from scratch in a temporary clone and compares.
clean_build() {
  local commit started=$SECONDS
  commit="$(git -C "$root" rev-parse HEAD)"
  if ! git -C "$root" diff --quiet HEAD -- programs Cargo.toml Cargo.lock tools/sbf docs/verify.md; then
    say "note: this tree has uncommitted changes to the program's inputs; the clean build uses the committed tree only"
  fi
  # global: the EXIT trap reads it after this function returned
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/device-staking-verify.XXXXXX")"
  if [ "${VERIFY_KEEP:-0}" = 1 ]; then
    say "keeping $tmp"
  else
    trap 'rm -rf "$tmp"' EXIT
  fi
  say "cloning $commit into $tmp/src"
  git clone -q --no-checkout "$root" "$tmp/src"
  git -C "$tmp/src" checkout -q --detach "$commit"
  say "building both binaries from scratch there (waits for /tmp/sbf.lock while another build runs)"
  flock /tmp/sbf.lock "$tmp/src/tools/sbf/build.sh"
  say "clean build of $commit in $((SECONDS - started)) s"
  (cd "$tmp/src/target/deploy" && sha256sum "${binaries[@]}") >&2
  # the committed doc of that commit, not this tree's (which may be edited)
  doc="$tmp/src/docs/verify.md"
  local rc=0
  compare "$tmp/src/target/deploy" || rc=1
  if [ -f "$root/target/deploy/${binaries[0]}" ]; then
    for name in "${binaries[@]}"; do
      if cmp -s "$tmp/src/target/deploy/$name" "$root/target/deploy/$name" 2>/dev/null; then
        say "$name: this tree's target/deploy is bit-identical to the clean build"
      else
        say "$name: this tree's target/deploy differs from the clean build (built from other sources?)"
      fi
    done
  fi
  [ $rc -eq 0 ] || die "the clean build of the committed tree does not give the hashes of docs/verify.md"
}

case "${1:-}" in
--built)
  compare "$root/target/deploy" || die "target/deploy is not the build whose hashes docs/verify.md holds (tools/sbf/verify.sh --write after a change to the program)"
  ;;
--write) write ;;
"") clean_build ;;
-h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown option $1 (--built, --write, --help)" ;;
esac
