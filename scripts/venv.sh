#!/usr/bin/env bash
# Creates .venv (Python >= 3.11) with a current pip; sourced by the two set-up scripts.
set -euo pipefail
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "annotator needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# An old pip installs trafilatura without lxml_html_clean, and `import trafilatura` then fails.
.venv/bin/python -m pip install -q --upgrade pip
