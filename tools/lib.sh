# shellcheck shell=bash
# The scripts' messages on stderr, sourced with the prefix they print:
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" localnet
# say: a progress line "[localnet] ..."; die: an error line "[localnet] error: ..." and exit 1.
lib_prefix=$1
say() { printf '\033[1m[%s]\033[0m %s\n' "$lib_prefix" "$*" >&2; }
die() {
  printf '\033[31m[%s] error:\033[0m %s\n' "$lib_prefix" "$*" >&2
  exit 1
}
