"""`annotator export` to INCEpTION's XMI zip and to .xlsx, and `annotator import` of the zip,
run as a user runs them (`python -m annotator` in a subprocess, real SQLite files)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from cli_helpers import run_cli
from openpyxl import load_workbook

from annotator.services.app import open_app

TEXT = "🏃‍♂️ Jakob 🇳🇴 Ingebrigsten won on July 7.\n😀 Karsten Warholm was second."


@pytest.fixture
def annotated(tmp_path: Path, db_path: Path) -> Path:
    article = tmp_path / "oslo.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run_cli("import", str(article), db=db_path).returncode == 0
    app = open_app(db_path, annotator="tester")
    try:
        with app.db.engine.connect() as conn:
            (doc,) = conn.exec_driver_sql("SELECT id FROM documents").scalars()
        for needle, label, fields in (
            ("Jakob 🇳🇴 Ingebrigsten", "athlete", {}),
            (
                "Ingebrigsten",
                "error",
                {"error_type": "misspelled_name", "correction": "Ingebrigtsen"},
            ),
            ("July 7", "date", {}),
            ("Karsten Warholm", "athlete", {}),
        ):
            start = TEXT.index(needle)
            span = app.annotations.create(
                document_id=doc, start=start, end=start + len(needle), label=label, **fields
            )
        app.annotations.update(span.id, status="pending")  # Warholm: a pending suggestion
    finally:
        app.close()
    return db_path


def test_help_lists_both_formats(db_path):
    result = run_cli("export", "--help", db=db_path)
    assert result.returncode == 0
    assert "xmi " in result.stdout and "INCEpTION" in result.stdout
    assert "xlsx " in result.stdout


def test_export_to_a_zip_is_xmi_and_imports_back_with_the_same_offsets(annotated, tmp_path):
    out = tmp_path / "for-inception.zip"
    result = run_cli("export", "-o", str(out), "--include-pending", db=annotated)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"exported 1 documents, 4 spans to {out}"
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [
            "TypeSystem.xml",
            "000001-Jakob-Ingebrigsten-won-on-July-7.xmi",
        ]

    other = tmp_path / "other.sqlite3"
    result = run_cli("import", str(out), db=other)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 imported with 4 spans"
    app = open_app(other, annotator="tester")
    try:
        with app.db.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                'SELECT start, "end", text, label, status FROM annotations ORDER BY start, "end"'
            ).all()
            (text,) = conn.exec_driver_sql("SELECT text FROM document_texts").one()
    finally:
        app.close()
    assert text == TEXT
    assert [(r.label, r.status) for r in rows] == [
        ("athlete", "accepted"),
        ("error", "accepted"),
        ("date", "accepted"),
        ("athlete", "pending"),
    ]
    for row in rows:
        assert TEXT[row.start : row.end] == row.text


def test_export_to_xlsx_writes_one_row_per_accepted_span(annotated, tmp_path):
    out = tmp_path / "spans.xlsx"
    result = run_cli("export", "-o", str(out), db=annotated)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"exported 1 documents, 3 spans to {out}"
    sheet = load_workbook(out).active
    texts = [row[6].value for row in sheet.iter_rows(min_row=2)]
    assert texts == ["Jakob 🇳🇴 Ingebrigsten", "Ingebrigsten", "July 7"]


def test_importing_a_zip_without_a_type_system_names_the_file(tmp_path, db_path):
    bad = tmp_path / "bare.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("a.xmi", "<x/>")
    result = run_cli("import", str(bad), db=db_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"skipped {bad}: no TypeSystem.xml in the zip (UIMA XMI needs its type system)"
    ]
