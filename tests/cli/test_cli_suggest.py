"""`annotator suggest`, run as a user runs it: `python -m annotator` in a subprocess."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from cli_helpers import run_cli

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
PARIS = "Cole Hocker took gold in Paris. Josh Kerr secured silver while Ingebrigtsen was fourth."
SUMMARY = re.compile(
    r"^(\d+) suggestions? added(?: \(([a-z]+ \d+(?:, [a-z]+ \d+)*)\))?"
    r"(?:, (\d+) already present)?$"
)


def stored(db: Path) -> list[tuple[int, str, str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT document_id, label, origin, status FROM annotations ORDER BY id"
        ).fetchall()


@pytest.fixture
def imported_db(tmp_path: Path, db_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-kerr.txt").write_text(KERR, encoding="utf-8")
    (folder / "b-paris.txt").write_text(PARIS, encoding="utf-8")
    result = run_cli("import", str(folder), db=db_path)
    assert result.returncode == 0, result.stderr
    return db_path


def test_suggest_prints_a_summary_and_a_second_run_adds_nothing(imported_db):
    result = run_cli("suggest", db=imported_db)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    (line,) = result.stdout.splitlines()
    match = SUMMARY.match(line)
    assert match, line
    added = int(match[1])
    by_label = dict(part.split() for part in match[2].split(", "))
    assert sum(map(int, by_label.values())) == added > 0
    assert {"athlete", "error"} <= set(by_label)
    rows = stored(imported_db)
    assert len(rows) == added
    assert {(origin, status) for _, _, origin, status in rows} == {("suggested", "pending")}

    again = run_cli("suggest", db=imported_db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"0 suggestions added, {added} already present"
    assert len(stored(imported_db)) == added


def test_suggest_for_one_document(imported_db):
    result = run_cli("suggest", "--doc", "2", db=imported_db)
    assert result.returncode == 0, result.stderr
    assert {doc for doc, *_ in stored(imported_db)} == {2}


def test_an_unknown_document_id_is_one_line_and_status_2(imported_db):
    result = run_cli("suggest", "--doc", "1", "--doc", "42", db=imported_db)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["annotator: error: no document with id 42"]
    assert stored(imported_db) == []


def test_suggest_is_listed_in_help_and_never_imports_qt(imported_db):
    assert "suggest" in run_cli("--help", db=imported_db).stdout
    script = (
        "import sys; from annotator.cli.main import main; status = main(['suggest']); "
        "assert 'PySide6' not in sys.modules, 'Qt imported'; raise SystemExit(status)"
    )
    env = {**os.environ, "ANNOTATOR_DB": str(imported_db)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
