#!/usr/bin/env bash
# Runs a command as a named phase of a make target and prints how long it took.
set -uo pipefail
name=$1
shift
started=$SECONDS
printf '\033[1m==> %s\033[0m\n' "$name"
"$@"
rc=$?
printf '\033[1m==> %s: %s in %d s\033[0m\n' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAILED)" $((SECONDS - started))
exit $rc
