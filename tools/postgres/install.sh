#!/usr/bin/env bash
# Installs Debian's PostgreSQL server (apt; idempotent) and prints the folder of its programs
# (initdb, pg_ctl, postgres). The package's own cluster is not used: the tests start a throwaway
# cluster of their own (tools/postgres/cluster.sh).
set -euo pipefail

say() { printf '\033[1m[postgres]\033[0m %s\n' "$*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  say "installing Debian's postgresql (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
dir="$(bindir)"
[ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || { echo "[postgres] error: no initdb/pg_ctl under /usr/lib/postgresql after the install" >&2; exit 1; }
echo "$dir"
