#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine and open annotator on the bundled sample articles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh
source scripts/venv.sh
.venv/bin/python -m pip install -q '.[postgres]'
# A database of its own, so the samples never mix with a real corpus.
exec .venv/bin/annotator --db "${ANNOTATOR_SAMPLE_DB:-$PWD/samples.sqlite3}" gui resources/samples
