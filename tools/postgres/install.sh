#!/usr/bin/env bash
# Installs Debian's PostgreSQL server (apt; idempotent) and prints the folder of its programs
# (initdb, pg_ctl, postgres). The package's own cluster is not used: the tests start a throwaway
# cluster of their own (tools/postgres/cluster.sh).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" postgres # say, die

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  say "installing Debian's postgresql (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  # the package may start its own cluster where services start on install: stop it (the tests use their own)
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h | awk '$4 == "online" {print $1, $2}' | while read -r version cluster; do
      say "stopping the package's cluster $version/$cluster (not used)"
      pg_ctlcluster "$version" "$cluster" stop >&2 || true
    done
  fi
fi
dir="$(bindir)"
[ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || { echo "[postgres] error: no initdb/pg_ctl under /usr/lib/postgresql after the install" >&2; exit 1; }
echo "$dir"
