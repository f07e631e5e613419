"""INCEpTION's XMI zip and the .xlsx spreadsheet through the services, on a real database:
the XMI zip round-trips the corpus exactly into a second database (recognised by its suffix),
emoji offsets included; the spreadsheet holds the CSV export's rows, typed."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from test_dataset_roundtrip import build_corpus, dataset

from annotator.services.app import App, open_app
from annotator.services.dataset_import import import_any
from annotator.services.exporting import export_dataset
from annotator.services.formats import IMPORT_FORMATS, format_for_suffix

SPRINT = "🏃‍♂️ Jakob 🇳🇴 Ingebrigtsen won on July 7, born 1993-05-13.\n😀 =Warholm second."


@pytest.fixture
def second(tmp_path):
    opened = open_app(tmp_path / "second.sqlite3", annotator="someone-else")
    yield opened
    opened.close()


def add_sprint(app: App, make_document) -> int:
    doc = make_document(SPRINT, title="Sprint 🇳🇴")
    for needle, label, fields in (
        ("Jakob 🇳🇴 Ingebrigtsen", "athlete", {}),
        (
            "Ingebrigtsen",
            "error",
            {
                "error_type": "misspelled_name",
                "correction": "Ingebrigtsén",
                "note": "KB 😀 <b>&amp;</b>",
            },
        ),
        ("July 7", "date", {}),
        ("=Warholm", "athlete", {}),
    ):
        start = SPRINT.index(needle)
        app.annotations.create(
            document_id=doc, start=start, end=start + len(needle), label=label, **fields
        )
    return doc


def test_the_xmi_zip_round_trips_the_corpus_exactly(app, second, tmp_path, make_document):
    build_corpus(app)
    add_sprint(app, make_document)
    out = tmp_path / "inception.zip"
    assert format_for_suffix(out.suffix) == "xmi" and "xmi" in IMPORT_FORMATS
    report = export_dataset(app.db, out, format="xmi", include_pending=True)
    assert report.notes == []
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert names[0] == "TypeSystem.xml" and len(names) == 1 + report.documents == 5

    imported = import_any(second.db, [out])  # recognised as XMI by what the zip holds
    assert imported.errors == [], [str(e) for e in imported.errors]
    assert (len(imported.imported), imported.spans) == (report.documents, report.spans)
    original, again = dataset(app, tmp_path, "original"), dataset(second, tmp_path, "again")
    assert again == original  # metadata, text and every span field
    sprint = next(r for r in again if r["text"] == SPRINT)
    assert len(sprint["spans"]) == 4
    for span in sprint["spans"]:
        assert SPRINT[span["start"] : span["end"]] == span["text"]

    twice = import_any(second.db, [out], format="xmi")
    assert (twice.imported, len(twice.duplicates), twice.spans) == ([], report.documents, 0)


def test_pending_suggestions_stay_out_unless_asked(app, tmp_path):
    corpus = build_corpus(app)
    out = tmp_path / "accepted.zip"
    export_dataset(app.db, out, format="xmi", documents=[corpus["nordas"]])
    with zipfile.ZipFile(out) as archive:
        (xmi,) = [n for n in archive.namelist() if n.endswith(".xmi")]
        body = archive.read(xmi).decode("utf-8")
    assert 'status="accepted"' in body and 'status="pending"' not in body


def test_the_spreadsheet_holds_the_csv_exports_rows_typed(app, tmp_path, make_document):
    build_corpus(app)
    add_sprint(app, make_document)
    sheet_path, csv_path = tmp_path / "spans.xlsx", tmp_path / "spans.csv"
    assert format_for_suffix(".xlsx") == "xlsx"
    report = export_dataset(app.db, sheet_path, format="xlsx")
    export_dataset(app.db, csv_path, format="csv")
    assert report.notes == []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        expected = list(csv.reader(fh))
    sheet = load_workbook(sheet_path).active
    got = [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]
    assert got == expected and len(got) == 1 + report.spans
    texts = {row[6].value: row for row in sheet.iter_rows(min_row=2)}
    assert texts["July 7"][6].data_type == "s"  # not a date
    assert "'=Warholm" in texts  # neutralised as the CSV export does
    assert all(isinstance(row[4].value, int) for row in texts.values())


def test_a_zip_that_is_not_xmi_is_not_taken_for_a_dataset(app, tmp_path):
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.txt", "hello")
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("doc.xmi", "<x/>")
    report = import_any(app.db, [broken])
    assert [(e.path, e.reason) for e in report.errors] == [
        (str(broken), "no TypeSystem.xml in the zip (UIMA XMI needs its type system)")
    ]
    assert report.imported == []
    # A zip of anything else is an unknown file, as before there was an XMI import.
    assert [e.reason for e in import_any(app.db, [other]).errors] == [
        "unsupported file type '.zip'"
    ]


def test_an_inception_project_export_comes_in_as_one_document_with_a_layer_each(app, tmp_path):
    from annotator.core.formats.xmi import XmiWriter
    from annotator.services.exporting import known_layers

    def per_user_zip(user: str, needles: list[str]) -> bytes:
        spans = [
            {
                "start": SPRINT.index(n),
                "end": SPRINT.index(n) + len(n),
                "label": "athlete",
                "text": n,
                **dict.fromkeys(
                    (
                        "error_type",
                        "correction",
                        "note",
                        "value",
                        "entity",
                        "annotator",
                        "origin",
                        "status",
                    )
                ),
            }
            for n in needles
        ]
        written = io.BytesIO()
        writer = XmiWriter(written, tagset=app.tagset)
        writer.write(
            {
                "id": 1,
                "title": "sprint.txt",
                "source": None,
                "published": None,
                "sha256": None,
                "text": SPRINT,
                "spans": spans,
            }
        )
        writer.finish()
        with zipfile.ZipFile(written) as ours:
            (xmi,) = [n for n in ours.namelist() if n.endswith(".xmi")]
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w") as theirs:
                theirs.writestr("TypeSystem.xml", ours.read("TypeSystem.xml"))
                theirs.writestr(f"{user}.xmi", ours.read(xmi))
        return inner.getvalue()

    out = tmp_path / "inception-project.zip"
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("exportedproject1.json", "{}")
        archive.writestr(
            "annotation/sprint.txt/webanno1export.zip",
            per_user_zip("klie", ["Jakob 🇳🇴 Ingebrigtsen"]),
        )
        archive.writestr(
            "annotation/sprint.txt/webanno2export.zip",
            per_user_zip("maria", ["Jakob 🇳🇴 Ingebrigtsen", "=Warholm"]),
        )
        archive.writestr(
            "curation/sprint.txt/webanno3export.zip",
            per_user_zip("CURATION_USER", ["Jakob 🇳🇴 Ingebrigtsen"]),
        )
    report = import_any(app.db, [out])
    assert report.errors == [], [str(e) for e in report.errors]
    assert (len(report.imported), len(report.duplicates), report.spans) == (1, 2, 4)
    assert known_layers(app.db) == ["curated", "klie", "maria"]
    (doc,) = [doc_id for doc_id, _ in report.imported]
    with app.db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            f'SELECT layer, start, "end", text FROM annotations WHERE document_id = {doc} '
            "ORDER BY layer, start"
        ).all()
    assert [(r.layer, r.text) for r in rows] == [
        ("curated", "Jakob 🇳🇴 Ingebrigtsen"),
        ("klie", "Jakob 🇳🇴 Ingebrigtsen"),
        ("maria", "Jakob 🇳🇴 Ingebrigtsen"),
        ("maria", "=Warholm"),
    ]
    assert all(SPRINT[r.start : r.end] == r.text for r in rows)
