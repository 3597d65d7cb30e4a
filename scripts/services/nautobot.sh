#!/usr/bin/env bash
# A throw-away Nautobot (from PyPI, in its own venv) on loopback, for tests and demos.
#   scripts/services/nautobot.sh start DIR PORT   -> prints "URL TOKEN" (http://127.0.0.1:PORT TOKEN)
#   scripts/services/nautobot.sh stop DIR
# Everything lives in DIR: the venv (Nautobot pins Django etc., so never fleetaudit's venv),
# pip's cache, NAUTOBOT_ROOT, and PostgreSQL/Redis from scripts/services/ on PORT+1 / PORT+2.
# The first start installs and migrates (minutes; timed in DIR/timings); later starts reuse DIR.
set -euo pipefail
action=${1:?start|stop}; dir=$(realpath -m "${2:?DIR}"); port=${3:-58080}
here=$(cd "$(dirname "$0")" && pwd)
version=${NAUTOBOT_VERSION:-3.2.7}

if [ "$action" = stop ]; then
  [ -f "$dir/nautobot.pid" ] && kill "$(cat "$dir/nautobot.pid")" 2>/dev/null || true
  rm -f "$dir/nautobot.pid"
  "$here/redis.sh" stop "$dir/redis"
  "$here/postgres.sh" stop "$dir/postgres"
  exit 0
fi

mkdir -p "$dir"
exec 9>"$dir/.lock" && flock 9  # two test sessions sharing DIR: the second waits, then reuses
log="$dir/setup.log"
trap 'echo "nautobot.sh: failed; the end of $log:" >&2; tail -30 "$log" >&2' ERR
stamp() { echo "$1 $(($(date +%s) - $2))s" >>"$dir/timings"; }

pg_url=$("$here/postgres.sh" start "$dir/postgres" $((port + 1)) 9>&-)  # servers must not hold the lock
"$here/redis.sh" start "$dir/redis" $((port + 2)) >/dev/null 9>&-
psql "${pg_url%/*}/postgres" -tAc "select 1 from pg_database where datname='nautobot'" | grep -q 1 ||
  psql "${pg_url%/*}/postgres" -qc "create database nautobot"

export NAUTOBOT_ROOT="$dir/root" PIP_CACHE_DIR="$dir/pip-cache" XDG_CACHE_HOME="$dir/cache"
export NAUTOBOT_DB_ENGINE=django.db.backends.postgresql NAUTOBOT_DB_HOST=127.0.0.1
export NAUTOBOT_DB_PORT=$((port + 1)) NAUTOBOT_DB_NAME=nautobot NAUTOBOT_DB_USER=postgres
export NAUTOBOT_DB_PASSWORD="" NAUTOBOT_REDIS_HOST=127.0.0.1 NAUTOBOT_REDIS_PORT=$((port + 2))
export NAUTOBOT_ALLOWED_HOSTS="127.0.0.1 localhost" NAUTOBOT_INSTALLATION_METRICS_ENABLED=False
export NAUTOBOT_CACHEOPS_REDIS="redis://127.0.0.1:$((port + 2))/1"
export NAUTOBOT_CELERY_BROKER_URL="redis://127.0.0.1:$((port + 2))/2"
server="$dir/venv/bin/nautobot-server"

if [ ! -f "$dir/venv/.complete" ]; then
  t0=$(date +%s)
  python3 -m venv "$dir/venv" >>"$log" 2>&1
  "$dir/venv/bin/pip" install -q "nautobot==$version" >>"$log" 2>&1
  touch "$dir/venv/.complete"
  stamp install "$t0"
fi
if [ ! -f "$NAUTOBOT_ROOT/nautobot_config.py" ]; then
  "$server" init --disable-installation-metrics >>"$log" 2>&1 </dev/null ||
    "$server" init >>"$log" 2>&1 </dev/null
fi
if [ ! -f "$dir/token" ]; then
  t0=$(date +%s)
  "$server" migrate >>"$log" 2>&1
  stamp migrate "$t0"
  token=$(python3 -c 'import secrets; print(secrets.token_hex(20))')
  "$server" nbshell >>"$log" 2>&1 <<EOF
from nautobot.users.models import Token, User
user, _ = User.objects.get_or_create(username="admin")
user.is_superuser = user.is_staff = True
user.save()
Token.objects.create(user=user, key="$token")
EOF
  echo "$token" >"$dir/token"
fi

if ! { [ -f "$dir/nautobot.pid" ] && kill -0 "$(cat "$dir/nautobot.pid")" 2>/dev/null; }; then
  setsid "$server" runserver --noreload --insecure "127.0.0.1:$port" >>"$dir/server.log" 2>&1 9>&- &
  echo $! >"$dir/nautobot.pid"
fi
url="http://127.0.0.1:$port"
ready=
for _ in $(seq 600); do
  curl -fs -o /dev/null -H "Authorization: Token $(cat "$dir/token")" "$url/api/status/" &&
    { ready=1; break; }
  kill -0 "$(cat "$dir/nautobot.pid")" 2>/dev/null || break
  sleep 0.5
done
[ -n "$ready" ] || { echo "nautobot.sh: $url/api/status/ did not answer" >&2; tail -20 "$dir/server.log" >&2; exit 1; }
echo "$url $(cat "$dir/token")"
