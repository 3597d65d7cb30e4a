#!/usr/bin/env bash
# The demo: install (into .venv), start the simulated lab for one site, audit it over
# SSH, stop the lab. The exit code is the audit's: 0 no failing finding, 1 failing
# findings, 2 usage error, 4 a host could not be assessed.
# The demo keeps its runs, known_hosts and the lab's host keys in .demo/ (git-ignored),
# never in the user's history store ($FLEETAUDIT_HOME, $FLEETAUDIT_DB).
set -u
cd "$(dirname "$0")/.."
site=${1:-office1}
export FLEETAUDIT_HOME="$PWD/.demo"
unset FLEETAUDIT_DB
make --no-print-directory -s install || exit 2
fleetaudit=.venv/bin/fleetaudit
log=$(mktemp)
"$fleetaudit" lab serve --site "$site" >"$log" 2>&1 &
lab=$!
trap 'kill "$lab" 2>/dev/null; wait "$lab" 2>/dev/null; rm -f "$log"' EXIT
# the lab prints one line per device, then "ready: N devices"
for _ in $(seq 200); do
  grep -q '^ready' "$log" && break
  kill -0 "$lab" 2>/dev/null || { cat "$log" >&2; echo "the lab did not start" >&2; exit 2; }
  sleep 0.1
done
cat "$log"
"$fleetaudit" run --site "$site"
code=$?
echo "(the demo's runs are in .demo/: FLEETAUDIT_HOME=.demo $fleetaudit history)" >&2
exit "$code"
