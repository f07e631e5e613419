#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine and run the whole test suite (CI runs exactly this).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
source scripts/venv.sh
.venv/bin/python -m pip install -q -e '.[test,spacy]'
export QT_QPA_PLATFORM=offscreen
echo "== import contracts (core and store never import Qt)"
.venv/bin/lint-imports
echo "== alembic check (models and migrations agree)"
check_db=$(mktemp -d)/check.sqlite3
.venv/bin/alembic -x db="$check_db" upgrade head >/dev/null
.venv/bin/alembic -x db="$check_db" check
echo "== test suite"
# pytest exits 5 when it collected nothing: that is a failure here too.
.venv/bin/python -m pytest "$@"
