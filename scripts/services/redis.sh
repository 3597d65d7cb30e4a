#!/usr/bin/env bash
# Redis from Debian's packages, as a throw-away server on loopback for tests and demos.
#   scripts/services/redis.sh start DIR PORT   -> prints redis://127.0.0.1:PORT/0
#   scripts/services/redis.sh stop DIR
set -euo pipefail
action=${1:?start|stop}; dir=$(realpath -m "${2:?DIR}"); port=${3:-56379}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

if [ "$action" = stop ]; then
  [ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  exit 0
fi

command -v redis-server >/dev/null ||
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null; }
mkdir -p "$dir"
redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --dir "$dir" \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no >/dev/null
for _ in $(seq 50); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
echo "redis://127.0.0.1:$port/0"
