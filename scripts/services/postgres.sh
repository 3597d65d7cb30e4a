#!/usr/bin/env bash
# PostgreSQL from Debian's packages, as a throw-away server on loopback for tests and demos.
#   scripts/services/postgres.sh start DIR PORT   -> prints postgresql://postgres@127.0.0.1:PORT/fleetaudit
#   scripts/services/postgres.sh stop DIR
# DIR holds the cluster, its socket and its log; nothing is written elsewhere.
set -euo pipefail
action=${1:?start|stop}; dir=$(realpath -m "${2:?DIR}"); port=${3:-55432}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$action" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
  exit 0
fi

if [ -z "$(bindir)" ]; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
bin=$(bindir)
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log"
fi
if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
fi
psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='fleetaudit'" | grep -q 1 ||
  psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database fleetaudit"
echo "postgresql://postgres@127.0.0.1:$port/fleetaudit"
