#!/usr/bin/env bash
# Run the test suite against PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).
# Skipped, with a clear message, on a machine without a reachable PostgreSQL; under CI=true a
# missing PostgreSQL fails the run instead.
set -euo pipefail
BIN=${1:-.venv/bin}
# The database name is unique per run (pytest-django makes test_<name> and drops it afterwards),
# so two runs on one server never collide.
URL=${SAMENSPEL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/samenspel}
URL="${URL}_$(date +%s)_$$"
if ! "$BIN/python" - "$URL" <<'PY'
import sys
import psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable at {url}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAILED: CI=true needs PostgreSQL at $URL (user postgres, trust auth)." >&2
    exit 1
  fi
  echo "SKIPPED: the PostgreSQL run (no PostgreSQL reachable at $URL)."
  exit 0
fi
echo "Running the test suite on PostgreSQL ($URL)"
DATABASE_URL="$URL" "$BIN/python" -m pytest -q -p no:cacheprovider --durations=30
