#!/usr/bin/env bash
# The cluster demo: Redis and PostgreSQL from Debian's packages (installed when missing),
# two `fleetaudit worker`s, the lab with 200 clones of office1 over 20 sites (two zones),
# then `fleetaudit run --all --dispatch celery`. Prints the wall time and how many sites
# each worker audited, stops everything it started, and exits with the audit's code
# (1: office1's clones have failing findings; 4: a site could not be assessed).
# Knobs (environment): DEVICES (200), SITES (20), LATENCY ms per command (0),
# CONCURRENCY sites at once per worker (2), REDIS_PORT (31380), PG_PORT (31433): below the
# ephemeral port range, where the lab's devices listen.
# Everything it writes is in .cluster-demo/ (git-ignored): the report, logs, the lab's
# inventory, the workers' homes (known_hosts) and the services' data.
set -u
cd "$(dirname "$0")/.."
devices=${DEVICES:-200} sites=${SITES:-20} latency=${LATENCY:-0}
concurrency=${CONCURRENCY:-2} redis_port=${REDIS_PORT:-31380} pg_port=${PG_PORT:-31433}
work="$PWD/.cluster-demo"
fleetaudit="$PWD/.venv/bin/fleetaudit"
make --no-print-directory -s install || exit 2
# the lab listens on new ports each time: the workers learn its host keys afresh
rm -rf "$work/inventory" "$work/logs" "$work/worker1" "$work/worker2" "$work/dispatcher"
mkdir -p "$work/logs"
unset FLEETAUDIT_DB FLEETAUDIT_RESULT_URL
export FLEETAUDIT_HOME="$work/dispatcher"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  scripts/services/redis.sh stop "$work/redis"
  scripts/services/postgres.sh stop "$work/postgres"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {  # FILE TEXT PID: until FILE holds TEXT, or the process died
  for _ in $(seq 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { tail -20 "$1" >&2; echo "cluster-demo: $1: it did not start" >&2; exit 2; }
    sleep 0.2
  done
  echo "cluster-demo: $1: no '$2' after 120 s" >&2
  exit 2
}

FLEETAUDIT_BROKER_URL=$(scripts/services/redis.sh start "$work/redis" "$redis_port") || exit 2
export FLEETAUDIT_BROKER_URL
redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG ||
  { echo "cluster-demo: no Redis on port $redis_port (taken?): set REDIS_PORT" >&2; exit 2; }
postgres=$(scripts/services/postgres.sh start "$work/postgres" "$pg_port") || exit 2
# the workers write one history; PostgreSQL when this store speaks it, else one SQLite file
if "$PWD/.venv/bin/python" -c 'import sys; from fleetaudit.store import Store; Store.open(sys.argv[1]).close()' \
  "$postgres" 2>/dev/null; then
  export FLEETAUDIT_DB="$postgres"
else
  export FLEETAUDIT_DB="$work/history.sqlite"
  echo "cluster-demo: this store does not speak PostgreSQL yet: the workers share $FLEETAUDIT_DB" >&2
fi
echo "broker $FLEETAUDIT_BROKER_URL, history $FLEETAUDIT_DB" >&2

FLEETAUDIT_HOME="$work/lab" "$fleetaudit" lab serve --site bench --devices "$devices" \
  --sites "$sites" --latency "$latency" --ephemeral-ports --inventory-out "$work/inventory" \
  >"$work/logs/lab.log" 2>&1 &
pids+=($!)
wait_for "$work/logs/lab.log" '^ready' "${pids[-1]}"
for n in 1 2; do
  FLEETAUDIT_HOME="$work/worker$n" "$fleetaudit" worker --name "worker$n@%h" \
    --queue zone-a --queue zone-b --concurrency "$concurrency" >"$work/logs/worker$n.log" 2>&1 &
  pids+=($!)
done
wait_for "$work/logs/worker1.log" ' ready\.' "${pids[-2]}"
wait_for "$work/logs/worker2.log" ' ready\.' "${pids[-1]}"
echo "lab: $devices devices over $sites sites (latency ${latency} ms); 2 workers x $concurrency" >&2

started=$(date +%s.%N)
"$fleetaudit" run --all --dispatch celery --inventory "$work/inventory" \
  --format json --output "$work/report.json"
code=$?
ended=$(date +%s.%N)
wall=$("$PWD/.venv/bin/python" -c "print(round($ended - $started, 1))")
echo "wall time: ${wall} s for $sites sites ($devices devices); exit $code"
for n in 1 2; do
  echo "worker$n: $(grep -c "audit_site\[.*\] succeeded" "$work/logs/worker$n.log") site(s)"
done
"$PWD/.venv/bin/python" - "$work/report.json" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
hosts = collections.Counter(h["status"] for h in report["hosts"])
fails = collections.Counter(f["severity"] for f in report["findings"] if f["status"] == "fail")
print(f"report {sys.argv[1]}: hosts {dict(hosts)}; failing findings {dict(fails)}")
PY
exit "$code"
