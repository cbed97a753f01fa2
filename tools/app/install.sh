#!/usr/bin/env bash
# Installs what the web app and its browser tests need (idempotent):
#   - Chromium from Debian (/usr/bin/chromium), jq and curl with apt-get, when missing;
#   - the app's npm packages (npm ci in app/), when node_modules is missing or older than
#     package-lock.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app="$root/app"
log_dir="$root/target/app"

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" app # say, die

# Debian packages: chromium (the browser tests' browser), jq and curl (serve.sh, start.sh)
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
command -v jq >/dev/null || packages+=(jq)
command -v curl >/dev/null || packages+=(curl)
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing: ${packages[*]}; install them as root with apt-get install ${packages[*]}"
    sudo="sudo"
  fi
  mkdir -p "$log_dir"
  say "apt: installing ${packages[*]} (log: $log_dir/apt.log)"
  if ! $sudo apt-get install -y --no-install-recommends "${packages[@]}" >"$log_dir/apt.log" 2>&1; then
    $sudo apt-get update >>"$log_dir/apt.log" 2>&1 || die "apt-get update failed; see $log_dir/apt.log"
    $sudo apt-get install -y --no-install-recommends "${packages[@]}" >>"$log_dir/apt.log" 2>&1 ||
      die "apt-get install ${packages[*]} failed; see $log_dir/apt.log"
  fi
fi

command -v node >/dev/null || die "node is missing: install Node.js 20.18 or later"
command -v npm >/dev/null || die "npm is missing: install it with Node.js"
# npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
if [ ! -f "$app/node_modules/.package-lock.json" ] || [ "$app/package-lock.json" -nt "$app/node_modules/.package-lock.json" ]; then
  say "npm ci in app/ (the app's packages, as package-lock.json pins them)"
  (cd "$app" && npm ci --no-audit --no-fund) >&2 || die "npm ci in app/ failed"
fi
