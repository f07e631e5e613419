"""Running the command line as a user does, in a subprocess, and checking its errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, db: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANNOTATOR_DB": str(db), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
    )


def new_database(path: Path) -> Path:
    """An empty annotator database at ``path``: the commands that only read refuse a path
    where none exists."""
    from annotator.services.app import open_app

    open_app(path).close()
    return path


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("annotator: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
