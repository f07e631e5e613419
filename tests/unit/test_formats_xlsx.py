"""The .xlsx export read back: the CSV export's columns, text cells stored as strings with the
Text format (so "July 7" and "1993-05-13" never become dates), offsets as numbers, formulas
neutralised, a spreadsheet's limits reported; and LibreOffice's own reading of the file."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

from needs import missing
from openpyxl import load_workbook

from annotator.core.formats.csvfmt import CSV_HEADER
from annotator.core.formats.xlsx import MAX_CELL_CHARS, XlsxWriter

TEXT = "On July 7 Jakob 🇳🇴 Ingebrigtsen ran 3:29.63; born 1993-05-13, 1e5 fans, 0012."
TRICKY = ("July 7", "1993-05-13", "3:29.63", "1e5", "0012")


def span(needle: str, label: str, **fields: Any) -> dict[str, Any]:
    start = TEXT.index(needle)
    record: dict[str, Any] = dict.fromkeys(
        ("error_type", "correction", "note", "value", "entity", "annotator")
    )
    record.update(
        start=start,
        end=start + len(needle),
        label=label,
        text=needle,
        origin="manual",
        status="accepted",
    )
    record.update(fields)
    return record


SPANS = [span(needle, "date") for needle in TRICKY] + [
    span(
        "Ingebrigtsen",
        "error",
        error_type="misspelled_name",
        correction="=1+1",
        note="@SUM(A1:A9)",
        annotator="ann",
    ),
    span("Jakob 🇳🇴 Ingebrigtsen", "athlete", note="-2 places"),
]
RECORD = {
    "id": 42,
    "title": "+Oslo",
    "source": None,
    "published": None,
    "sha256": "0" * 64,
    "text": TEXT,
    "spans": SPANS,
}


def write(tmp_path: Path, records: list[dict[str, Any]]) -> tuple[Path, list[str]]:
    out = tmp_path / "spans.xlsx"
    with out.open("wb") as fh:
        writer = XlsxWriter(fh)
        for record in records:
            writer.write(record)
        notes = writer.finish().messages
    return out, notes


def rows(path: Path) -> list[list[Any]]:
    sheet = load_workbook(path).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def test_one_row_per_span_with_the_csv_columns_and_typed_cells(tmp_path):
    out, notes = write(tmp_path, [RECORD])
    assert notes == []
    header, *body = rows(out)
    assert tuple(c.value for c in header) == CSV_HEADER
    assert len(body) == len(SPANS)
    for row, expected in zip(body, SPANS, strict=True):
        cells = dict(zip(CSV_HEADER, row, strict=True))
        for name in ("document_id", "start", "end"):
            assert cells[name].data_type == "n" and isinstance(cells[name].value, int)
        assert (cells["document_id"].value, cells["start"].value, cells["end"].value) == (
            42,
            expected["start"],
            expected["end"],
        )
        for name in CSV_HEADER:
            if name not in ("document_id", "start", "end"):
                assert cells[name].number_format == "@", name
                # An empty field is an empty cell (still formatted as Text), not "".
                assert cells[name].data_type == ("n" if cells[name].value is None else "s"), name
        assert cells["source"].value is None and cells["label"].value == expected["label"]
        assert TEXT[cells["start"].value : cells["end"].value] == cells["text"].value


def test_dates_times_and_numbers_in_text_stay_text(tmp_path):
    out, _ = write(tmp_path, [RECORD])
    texts = [row[CSV_HEADER.index("text")].value for row in rows(out)[1:]]
    for needle in TRICKY:
        assert needle in texts  # a str, exactly as written: not a datetime, float or 12


def test_formula_starts_are_neutralised_as_in_the_csv_export(tmp_path):
    out, _ = write(tmp_path, [RECORD])
    body = [dict(zip(CSV_HEADER, (c.value for c in row), strict=True)) for row in rows(out)[1:]]
    error = next(r for r in body if r["label"] == "error")
    assert (error["title"], error["correction"], error["note"]) == (
        "'+Oslo",
        "'=1+1",
        "'@SUM(A1:A9)",
    )
    assert next(r for r in body if r["label"] == "athlete")["note"] == "'-2 places"
    assert error["error_type"] == "misspelled_name"


def test_control_characters_and_overlong_cells_are_reported(tmp_path):
    long_note = "x" * (MAX_CELL_CHARS + 10)
    record = {**RECORD, "title": "Bell\x07title", "spans": [span("July 7", "date", note=long_note)]}
    out, notes = write(tmp_path, [record])
    assert notes == [
        "1 cells held control characters a spreadsheet cannot store; they were replaced by \ufffd",
        f"1 cells were longer than {MAX_CELL_CHARS} characters (a spreadsheet's limit) and were "
        "cut",
    ]
    (row,) = rows(out)[1:]
    cells = dict(zip(CSV_HEADER, (c.value for c in row), strict=True))
    assert cells["title"] == "Bell\ufffdtitle"
    assert cells["note"] == "x" * MAX_CELL_CHARS


def test_libreoffice_reads_the_text_cells_as_written(tmp_path):
    if shutil.which("soffice") is None:
        missing("LibreOffice is not installed (scripts/system-deps.sh --test installs it)")
    out, _ = write(tmp_path, [RECORD])
    converted = tmp_path / "csv"
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(converted),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    with (converted / "spans.csv").open(encoding="utf-8", newline="") as fh:
        header, *body = list(csv.reader(fh))
    assert tuple(header) == CSV_HEADER
    texts = [row[CSV_HEADER.index("text")] for row in body]
    for needle in TRICKY:
        assert needle in texts  # LibreOffice kept "July 7", "1993-05-13", "0012" as typed
    assert [row[CSV_HEADER.index("start")] for row in body] == [str(s["start"]) for s in SPANS]
