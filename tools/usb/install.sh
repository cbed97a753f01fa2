#!/usr/bin/env bash
# Installs Debian's libudev-dev (apt; idempotent): the USB support of the CLI's hardware wallets
# (usb://ledger, through the Solana CLI's remote-wallet crate and hidapi) links libudev, and its
# build finds it with pkg-config. Prints the library's version.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" usb # say, die

if ! pkg-config --exists libudev 2>/dev/null; then
  say "installing Debian's libudev-dev and pkg-config (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq libudev-dev pkg-config >&2
fi
pkg-config --exists libudev || { echo "[usb] error: pkg-config finds no libudev after the install" >&2; exit 1; }
pkg-config --modversion libudev
