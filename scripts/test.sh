#!/usr/bin/env bash
# The whole suite on SQLite, then the tests that touch the database again on PostgreSQL.
#
#   HOTLINE_PG_URL  the PostgreSQL server of the second run
#                   (default postgres://postgres@127.0.0.1:5432/test; pytest-django creates test_test)
#   REQUIRE_PG=1    a missing PostgreSQL fails the run (CI sets it) instead of skipping it
#   PYTEST_ARGS     extra pytest arguments for both runs, e.g. PYTEST_ARGS="-x -k healthz"
#
# pytest's exit status 5 (no test collected) counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

PY="${VENV:-.venv}/bin/python"
PG_URL="${HOTLINE_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
REQUIRE_PG="${REQUIRE_PG:-0}"
read -r -a ARGS <<<"${PYTEST_ARGS:-}"

pytest_run() {  # pytest_run LABEL ENV... : runs pytest; status 0, or 1 for any failure
    local label=$1 status
    shift
    env "$@" "$PY" -m pytest "${ARGS[@]}"
    status=$?
    case $status in
        0) return 0 ;;
        1) ;;  # tests failed: pytest's summary line says which, let it be the last line
        5) if [[ $label == PostgreSQL* && -n "${PYTEST_ARGS:-}" ]]; then
               echo "$label: no database test among the selected ones"
               return 0
           fi
           echo "$label: pytest collected no test: counted as a failure" >&2 ;;
        *) echo "$label: pytest stopped with exit status $status" >&2 ;;
    esac
    return 1
}

# PostgreSQL is looked for first, so that a CI run without it fails at once.
pg_where=$("$PY" scripts/pg_check.py "$PG_URL")
pg_up=$?
if [[ $pg_up -ne 0 && $REQUIRE_PG == 1 ]]; then
    echo "ERROR: PostgreSQL is required (REQUIRE_PG=1) but there is no server at $pg_where." >&2
    echo "       Start it, or point HOTLINE_PG_URL at one (postgres://user@host:port/database)." >&2
    exit 1
fi

echo "=== 1/2: the whole suite on SQLite ==="
pytest_run "SQLite suite" -u HOTLINE_DATABASE_URL HOTLINE_TEST_DB=sqlite || exit 1

if [[ $pg_up -ne 0 ]]; then
    echo
    echo "PostgreSQL suite SKIPPED: no server at $pg_where; with REQUIRE_PG=1 this fails the run"
    exit 0
fi

echo
echo "=== 2/2: the tests that touch the database, on PostgreSQL at $pg_where ==="
pytest_run "PostgreSQL suite" HOTLINE_TEST_DB=postgres HOTLINE_DATABASE_URL="$PG_URL"
