#!/usr/bin/env bash
# Load test through a real server, loopback only: gunicorn (production settings, N sync workers) in front of
# the database in DATABASE_URL, locust headless for a bounded time, then a Markdown table of requests/s and
# p50/p95/p99 per page with the load average beside it. Usage (from the work tree root):
#   DATABASE_URL=postgres://... scripts/loadtest/run.sh USERS DURATION [WORKERS] [PORT]
#   e.g. scripts/loadtest/run.sh 200 3m 4   (3 minutes of steady state after the arrivals)
set -euo pipefail
USERS=${1:?users}; DURATION=${2:?duration, e.g. 3m}; WORKERS=${3:-4}; PORT=${4:-8765}
# Simulated people arriving per second. Each one logs in, and a login hashes a password on purpose slowly
# (PBKDF2, ~0.27 s of CPU): at 4 a second the logins alone took more than a core and left a queue that took
# 30 s to drain after the last one. A province's people sign in over a morning, not within a minute.
RAMP=${CHISO_LOADTEST_RAMP:-1}
# The arrivals (every login) are measured apart, and DURATION is the steady state after them, with everyone
# signed in: the locustfile empties the statistics when the last login has been answered and stops DURATION
# later (chiso/scale/loadtest.py). Locust's own limit only bounds a run whose logins never all answer.
seconds() { case "$1" in *m) echo $(( ${1%m} * 60 ));; *s) echo "${1%s}";; *) echo "$1";; esac; }
STEADY_SECONDS=$(seconds "$DURATION")
RUN_SECONDS=$(( STEADY_SECONDS + (USERS + RAMP - 1) / RAMP + 300 ))
: "${DATABASE_URL:?DATABASE_URL of the dataset to load}"
OUT=${CHISO_LOADTEST_OUT:-var/loadtest}
mkdir -p "$OUT"
export CHISO_PRODUCTION=1 CHISO_DEBUG=0 CHISO_SSL_REDIRECT=0 CHISO_HSTS_SECONDS=0
export CHISO_SECRET_KEY=${CHISO_SECRET_KEY:-loadtest-only-$(date +%s)-not-a-real-key-0123456789abcdef}
export CHISO_ALLOWED_HOSTS=127.0.0.1 CHISO_STATIC_ROOT="$OUT/static"
# Persistent connections, as a deployment keeps them (the settings' default, ten minutes). The test suite
# exports 0 so that PostgreSQL can drop its test databases; inherited here it would make every request start
# a PostgreSQL backend (a process, its catalog caches cold) and measure that instead of the pages.
export CHISO_DB_CONN_MAX_AGE=${CHISO_LOADTEST_CONN_MAX_AGE:-600}
# The server's environment: a deployment's virtual environment is made with Debian's python3.11
# (docs/DEPLOY.md), built with profile-guided and link-time optimisation; a python3.11 from elsewhere may not be
# (pyenv's default build is neither). CHISO_LOADTEST_SERVER_VENV points at one made as DEPLOY.md makes it.
SERVER_VENV=${CHISO_LOADTEST_SERVER_VENV:-.venv}
"$SERVER_VENV/bin/python" -c 'import sys; print("server interpreter:", sys.executable, sys.version.split()[0])' | tee "$OUT/server-python.txt"
.venv/bin/python manage.py collectstatic --noinput -v0
# The shared cache's table, as a deployment's migrate makes it: a dataset migrated with the demo's settings
# (memory cache) has none, and every cached page would answer 500.
.venv/bin/python manage.py createcachetable
"$SERVER_VENV/bin/gunicorn" chiso.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 120 \
  --pid "$OUT/gunicorn.pid" --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --daemon
trap 'kill "$(cat "$OUT/gunicorn.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fso /dev/null "http://127.0.0.1:$PORT/tai-khoan/dang-nhap/" -H "X-Forwarded-Proto: https" && break; sleep 1; done
uptime | tee "$OUT/load-before.txt"
rm -f "$OUT/arrivals.csv" "$OUT/cpu-"*.json
# Where the two cores go: the server's processes' CPU from /proc before and after, locust's own from `time`.
.venv/bin/python -m chiso.scale.cpu_use "$OUT/cpu-before.json"
# (JSON: the decimal point whatever the caller's locale)
LC_NUMERIC=C
TIMEFORMAT='{"locust_user": %U, "locust_system": %S}'
{ time CHISO_LOADTEST_ARRIVALS="$OUT/arrivals.csv" CHISO_LOADTEST_CPU_AT_ARRIVAL="$OUT/cpu-arrived.json" \
  CHISO_LOADTEST_STEADY_SECONDS="$STEADY_SECONDS" \
  .venv/bin/locust -f chiso/scale/loadtest.py --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$RAMP" -t "${RUN_SECONDS}s" --stop-timeout 10 \
  --csv "$OUT/stats" --only-summary > "$OUT/locust.log" 2>&1 || true; } 2> "$OUT/cpu-locust.json"
.venv/bin/python -m chiso.scale.cpu_use "$OUT/cpu-after.json"
uptime | tee "$OUT/load-after.txt"
.venv/bin/python scripts/loadtest/summarise.py "$OUT"
