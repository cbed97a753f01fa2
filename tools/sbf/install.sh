#!/usr/bin/env bash
# Installs the registry-only SBF toolchain (idempotent).
#
#   Debian rustc/cargo 1.96 + library sources  (apt, as root)
#   static LLVM 23 with the BPF backend         (PyPI wheels, in a venv)
#   sbpf-linker built against that LLVM         (crates registry, cargo install)
#   a patched copy of the std sources           (teaches std the os "solana")
#
# Everything lands under $SBF_TOOLCHAIN_DIR (default: ~/.cache/device-staking-sbf),
# outside the clone, so a second clone or a CI run on the same machine reuses it.
# Prints the toolchain directory's environment on stdout when called with --print-env.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

TOOLCHAIN_DIR="${SBF_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/device-staking-sbf}"
STAMP="$TOOLCHAIN_DIR/.ready-$TOOLCHAIN_LAYOUT-$DEBIAN_RUST_VERSION-$LLVM_WHEEL_VERSION-$SBPF_LINKER_VERSION-$(sha256sum "$here/std-solana.patch" | cut -c1-12)"

say() { printf '\033[1m[sbf-toolchain]\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[31m[sbf-toolchain] error:\033[0m %s\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed. $2"; }

install_debian_rust() {
  local missing=() pkg
  for pkg in $DEBIAN_RUST_PACKAGES; do
    if [ "$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true)" != "$DEBIAN_RUST_VERSION" ]; then
      missing+=("$pkg=$DEBIAN_RUST_VERSION")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  need apt-get "This toolchain needs a Debian 12 (bookworm) machine with apt."
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    need sudo "Install as root: apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  say "apt: installing ${missing[*]}"
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >"$TOOLCHAIN_DIR/apt.log" 2>&1; then
    say "apt-get install failed; refreshing the package lists and trying once more"
    $sudo apt-get update >>"$TOOLCHAIN_DIR/apt.log" 2>&1 ||
      die "apt-get update failed (no network to the Debian mirror?). See $TOOLCHAIN_DIR/apt.log"
    if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >>"$TOOLCHAIN_DIR/apt.log" 2>&1; then
      tail -n 5 "$TOOLCHAIN_DIR/apt.log" >&2
      die "Debian no longer serves ${missing[*]} (needs bookworm-security in the apt sources).
       Update DEBIAN_RUST_VERSION in tools/sbf/versions.env to the version 'apt-cache policy rustc-web' shows,
       and check tools/sbf/std-solana.patch still applies to its sources."
    fi
  fi
}

install_llvm() {
  local venv="$TOOLCHAIN_DIR/llvm-venv"
  if [ -d "$venv/lib" ] && "$venv/bin/python" -c 'import mlc_llvm_static' 2>/dev/null; then return 0; fi
  need python3 "Install Debian's python3 and python3-venv."
  say "PyPI: static LLVM $LLVM_WHEEL_VERSION with the BPF backend (about 90 MB)"
  python3 -m venv "$venv" || die "python3 -m venv failed: install Debian's python3-venv."
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "mlc-llvm-static==$LLVM_WHEEL_VERSION" "mlc-llvm-static-extra-targets==$LLVM_WHEEL_VERSION" \
    >"$TOOLCHAIN_DIR/pip.log" 2>&1; then
    tail -n 5 "$TOOLCHAIN_DIR/pip.log" >&2
    die "PyPI did not serve mlc-llvm-static==$LLVM_WHEEL_VERSION (no network to PyPI, or the version was removed).
       Update LLVM_WHEEL_VERSION in tools/sbf/versions.env. Log: $TOOLCHAIN_DIR/pip.log"
  fi
}

llvm_prefix() {
  "$TOOLCHAIN_DIR/llvm-venv/bin/python" -c \
    'import mlc_llvm_static, os; print(os.path.join(os.path.dirname(mlc_llvm_static.__file__), "static"))'
}

install_linker() {
  local bin="$TOOLCHAIN_DIR/bin/sbpf-linker"
  if [ -x "$bin" ] && [ -f "$TOOLCHAIN_DIR/.linker-$SBPF_LINKER_VERSION" ]; then return 0; fi
  need cargo "Install Rust with rustup (https://rustup.rs)."
  local prefix
  prefix="$(llvm_prefix)"
  [ -d "$prefix/lib" ] || die "LLVM from the wheel not found under $prefix"
  say "crates: building sbpf-linker $SBPF_LINKER_VERSION against LLVM 23 (about 5 min on 2 cores)"
  if ! LLVM_PREFIX="$prefix" LIBZSTD_PATH="$prefix/lib" ZLIB_PATH="$prefix/lib" \
    cargo install sbpf-linker --version "$SBPF_LINKER_VERSION" --locked --no-default-features \
    --features bpf-linker/llvm-23,bpf-linker/llvm-link-static --root "$TOOLCHAIN_DIR" \
    >"$TOOLCHAIN_DIR/linker.log" 2>&1; then
    tail -n 15 "$TOOLCHAIN_DIR/linker.log" >&2
    die "cargo install sbpf-linker $SBPF_LINKER_VERSION failed (no network to the crates registry, or the
       version was yanked). Update SBPF_LINKER_VERSION in tools/sbf/versions.env. Log: $TOOLCHAIN_DIR/linker.log"
  fi
  touch "$TOOLCHAIN_DIR/.linker-$SBPF_LINKER_VERSION"
}

install_std_sources() {
  local src=/usr/lib/rustlib/src/rust/library dst="$TOOLCHAIN_DIR/rust-src"
  [ -d "$src/std" ] || die "Debian's rust-web-src did not install $src"
  say "std: copying the $DEBIAN_RUST_VERSION library sources and applying tools/sbf/std-solana.patch"
  rm -rf "$dst"
  mkdir -p "$dst/library"
  cp -a "$src/." "$dst/library/"
  # cargo's -Zbuild-std wants the workspace lock file beside the sources.
  [ -f "$dst/library/Cargo.lock" ] || die "no Cargo.lock in $src"
  if ! patch -d "$dst" -p1 --forward --quiet <"$here/std-solana.patch"; then
    die "tools/sbf/std-solana.patch does not apply to the $DEBIAN_RUST_VERSION sources: refresh it."
  fi
}

main() {
  mkdir -p "$TOOLCHAIN_DIR"
  if [ "${1:-}" = "--print-dir" ]; then
    echo "$TOOLCHAIN_DIR"
    return 0
  fi
  if [ -f "$STAMP" ]; then return 0; fi
  local started=$SECONDS
  say "installing into $TOOLCHAIN_DIR (set SBF_TOOLCHAIN_DIR to move it)"
  install_debian_rust
  install_llvm
  install_linker
  install_std_sources
  rm -f "$TOOLCHAIN_DIR"/.ready-*
  touch "$STAMP"
  say "toolchain ready in $((SECONDS - started)) s"
}

main "$@"
