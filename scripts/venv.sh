#!/usr/bin/env bash
# Creates a virtual environment (Python >= 3.11) with a current pip; sourced by the two set-up
# scripts, each with its own: `source scripts/venv.sh .venv-app` (run-app.sh), `.venv`
# (run-tests.sh), so neither overwrites the other's install.
set -euo pipefail
VENV=${1:?usage: source scripts/venv.sh VENV_DIR}
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "annotator needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
# An old pip installs trafilatura without lxml_html_clean, and `import trafilatura` then fails.
"$VENV/bin/python" -m pip install -q --upgrade pip
