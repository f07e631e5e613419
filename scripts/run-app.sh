#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine and open annotator on the bundled sample articles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
# A venv of its own with a plain (not editable) install: run-tests.sh's editable .venv and this
# one never overwrite each other.
source scripts/venv.sh .venv-app
.venv-app/bin/python -m pip install -q '.[postgres]'
# `annotator` as a command (~/.local/bin) and in the desktop's application menu; neither is
# needed to open the samples below, so a failure there is reported and passed over.
bash scripts/install-launcher.sh .venv-app/bin/annotator || true
.venv-app/bin/annotator install-desktop || true
# A database of its own, so the samples never mix with a real corpus.
exec .venv-app/bin/annotator --db "${ANNOTATOR_SAMPLE_DB:-$PWD/samples.sqlite3}" gui resources/samples
