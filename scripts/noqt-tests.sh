#!/usr/bin/env bash
# The tests that need no window, in an environment without PySide6: the core, the store, the
# services and the command line must work where Qt is not installed at all (a server, a
# container, a CI job). Called by run-tests.sh with the PostgreSQL test server's settings in
# the environment; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh .venv-noqt
requirements=$(mktemp)
trap 'rm -f -- "$requirements"' EXIT
# Every dependency and test tool the project names, less Qt and pytest-qt.
.venv-noqt/bin/python - "$requirements" <<'PY'
import sys
import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
extras = project["optional-dependencies"]
wanted = [
    d for d in [*project["dependencies"], *extras["test"], *extras["postgres"], *extras["spacy"]]
    if not d.lower().startswith(("pyside6", "pytest-qt"))
]
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("\n".join(wanted) + "\n")
PY
.venv-noqt/bin/python -m pip install -q -r "$requirements"
# The suggestion engine's Python sources, not its mypyc build: the main suite runs the compiled
# engine, this one runs the code it is compiled from (and skips the tests of the build itself).
ANNOTATOR_PURE_PYTHON=1 .venv-noqt/bin/python -m pip install -q --no-deps -e .
if .venv-noqt/bin/python -c "import PySide6" 2>/dev/null; then
    echo "PySide6 is importable in .venv-noqt: this run would prove nothing" >&2
    exit 1
fi
exec .venv-noqt/bin/python -m pytest -p no:pytestqt -m "not gui" --ignore=tests/ui \
    --ignore=tests/unit/test_compiled_engine.py "$@" tests
