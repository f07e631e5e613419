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
echo "== import contracts (core and store never import Qt)"
.venv/bin/lint-imports
echo "== alembic check (models and migrations agree)"
check_db=$check_dir/check.sqlite3
.venv/bin/alembic -x db="$check_db" upgrade head >/dev/null
.venv/bin/alembic -x db="$check_db" check
echo "== test suite"
# pytest exits 5 when it collected nothing: that is a failure here too. Its status is the
# script's (the EXIT trap only stops the server).
.venv/bin/python -m pytest "$@"
