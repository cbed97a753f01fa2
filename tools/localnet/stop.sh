#!/usr/bin/env bash
# Stops the validator started by tools/localnet/start.sh, by its PID, and waits until it is gone.
# The PID file is in $LOCALNET_DIR (default .localnet/ in the repository), as for start.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="${LOCALNET_DIR:-$root/.localnet}"
[[ $state = /* ]] || state="$PWD/$state"
pidfile="$state/validator.pid"
if [ ! -f "$pidfile" ]; then
  echo "[localnet] no validator running (no $pidfile)" >&2
  exit 0
fi
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  echo "[localnet] stopped the validator (pid $pid)" >&2
fi
rm -f "$pidfile"
