#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests, run as the `postgres` user (the tests
# run as root, which PostgreSQL refuses to run as).
#
#   tools/postgres/cluster.sh start DIR PORT   initdb into DIR (a new, empty folder), start on 127.0.0.1:PORT,
#                                              create the database `history`; prints postgres://postgres@127.0.0.1:PORT/history
#   tools/postgres/cluster.sh stop DIR         stop it (fast shutdown) and remove DIR
#
# Nothing is left running after `stop`; the package's own cluster is never touched.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh" postgres # say, die

bin="$("$root/tools/postgres/install.sh")"
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir="${2:?usage: cluster.sh start DIR PORT}"
    port="${3:?usage: cluster.sh start DIR PORT}"
    [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >&2 ||
      { cat "$dir/server.log" >&2; die "the server did not start"; }
    as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres history
    say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $dir/data)"
    echo "postgres://postgres@127.0.0.1:$port/history"
    ;;
  stop)
    dir="${2:?usage: cluster.sh stop DIR}"
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    die "usage: cluster.sh start DIR PORT | stop DIR"
    ;;
esac
