#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine and run the whole test suite (CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh --test
source scripts/venv.sh .venv
.venv/bin/python -m pip install -q -e '.[test,spacy,postgres]'
export QT_QPA_PLATFORM=offscreen
echo "== PostgreSQL test server (a private one, stopped and removed on exit)"
pg_dir=$(mktemp -d)
check_dir=$(mktemp -d)
cleanup() {
    bash scripts/pg-test-server.sh stop "$pg_dir" || true
    rm -rf -- "$check_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash scripts/pg-test-server.sh start "$pg_dir"
# ANNOTATOR_TEST_PG_URL (no password in it) and PGPASSWORD, which libpq reads by itself.
set -a
# shellcheck disable=SC1091
source "$pg_dir/pg.env"
set +a
echo "== lint, format and types (ruff check, ruff format --check, mypy)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy annotator
echo "== import contracts (core and store never import Qt)"
.venv/bin/lint-imports
echo "== alembic check (models and migrations agree)"
check_db=$check_dir/check.sqlite3
.venv/bin/alembic -x db="$check_db" upgrade head >/dev/null
.venv/bin/alembic -x db="$check_db" check
echo "== test suite (on every core)"
# pytest exits 5 when it collected nothing: that is a failure here too, and so is any
# failure of the second run below (set -e).
.venv/bin/python -m pytest -n auto "$@"
echo "== the tests that need no window, in an environment without PySide6"
bash scripts/noqt-tests.sh -n auto "$@"
