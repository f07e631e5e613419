"""`annotator suggest --jobs N`: worker processes, the same spans as one process."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cli_helpers import run_cli

TEXTS = {
    "a-kerr.txt": "British runner Josh Kerr beat Jakob Ingebrigsten in Budapest on August 23, "
    "2023, and the the crowd rose.",
    "b-paris.txt": "Cole Hocker took gold in Paris. Josh Kerr secured silver while Ingebrigtsen "
    "was fourth at the Paris Olympics in 2021.",
    "c-rome.txt": "Femke Bol won the 400m hurdles at the European Championships in Rome last "
    "June, and Karsten Warholm won the men's race.",
}


def spans(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            'SELECT d.source, a.start, a."end", a.label, a.error_type, a.correction, a.value, '
            "a.entity, a.rule FROM annotations a JOIN documents d ON d.id = a.document_id "
            'ORDER BY d.source, a.start, a."end", a.label'
        ).fetchall()


def imported(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "articles"
    if not folder.exists():
        folder.mkdir()
        for file, text in TEXTS.items():
            (folder / file).write_text(text, encoding="utf-8")
    db = tmp_path / f"{name}.sqlite3"
    result = run_cli("import", str(folder), db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_two_jobs_store_what_one_job_stores(tmp_path: Path):
    one, two = imported(tmp_path, "one"), imported(tmp_path, "two")
    first = run_cli("suggest", "--jobs", "1", db=one)
    second = run_cli("suggest", "--jobs", "2", db=two)
    assert first.returncode == 0 and second.returncode == 0, (first.stderr, second.stderr)
    assert second.stdout == first.stdout  # the same summary
    found = spans(two)
    assert found == spans(one)
    assert {s[3] for s in found} == {"athlete", "event", "date", "error"}


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(db_path: Path, value: str):
    result = run_cli("suggest", "--jobs", value, db=db_path)
    assert result.returncode == 2
    assert "--jobs" in result.stderr and "at least 1" in result.stderr
    assert not db_path.exists()
