"""The non-GUI layers must work on a machine without Qt: import every such module in a fresh
interpreter where importing PySide6 fails, then run a small import-annotate cycle."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class NoQt:
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith("PySide6."):
                raise ImportError("Qt is blocked in this test")
            return None

    sys.meta_path.insert(0, NoQt())
    import annotator
    for info in pkgutil.walk_packages(annotator.__path__, "annotator."):
        if info.name.startswith("annotator.ui") or info.name.endswith(".__main__"):
            continue
        importlib.import_module(info.name)

    from annotator.services.app import open_app
    from annotator.services.importing import import_paths
    app = open_app(sys.argv[1])
    report = import_paths(app.db, [sys.argv[2]])
    doc = report.first_id
    text = app.documents.get(doc).text
    start = text.index("Duplantiss")
    app.annotations.create(document_id=doc, start=start, end=start + 10, label="error",
                           error_type="misspelled_name", correction="Duplantis")
    print(len(report.imported), app.annotations.spans(doc)[0].text)
    """
)


def test_core_store_services_and_cli_run_without_qt(tmp_path):
    sample = REPO / "resources" / "samples" / "01-duplantis-tokyo.txt"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "db.sqlite3"), str(sample)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "Duplantiss"]
