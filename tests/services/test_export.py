"""export_dataset: the dataset contract, span filters, CSV safety, atomicity and streaming."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import tracemalloc

import pytest
from sqlalchemy import insert

from annotator.core.formats import iter_jsonl_records
from annotator.core.textload import LoadedArticle
from annotator.services import exporting
from annotator.services.exporting import UnknownLabel, export_dataset
from annotator.services.importing import import_articles
from annotator.services.progress import Cancelled, Reporter
from annotator.store.models import AnnotationRow

TEXT = "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in 𝒜thens on 6 August 2024."


def _article(text: str, *, title: str, published=None, source=None) -> LoadedArticle:
    return LoadedArticle(
        title=title,
        text=text,
        published=published,
        sha256=hashlib.sha256((title + text).encode()).hexdigest(),
        source=source or f"{title}.txt",
        encoding="utf-8",
    )


def _add_document(app, text=TEXT, *, title="Nordås wins", published=None, source=None) -> int:
    report = import_articles(
        app.db, [_article(text, title=title, published=published, source=source)]
    )
    return report.imported[0][0]


def _add_span(app, doc_id, needle, *, label="athlete", text=TEXT, **fields) -> int:
    start = text.index(needle)
    with app.db.sessions.begin() as session:
        row = AnnotationRow(
            document_id=doc_id, start=start, end=start + len(needle), label=label, text=needle,
            **fields,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _jsonl(app, tmp_path, **options) -> list[dict]:
    out = tmp_path / "out.jsonl"
    export_dataset(app.db, out, format="jsonl", **options)
    with out.open(encoding="utf-8") as fh:
        return list(iter_jsonl_records(fh))


def _spans_by_text(records) -> set[str]:
    return {span["text"] for record in records for span in record["spans"]}


def test_jsonl_export_matches_the_dataset_contract(app, tmp_path):
    doc = _add_document(
        app, published=dt.date(2024, 8, 6), source="feeds/nordas.txt", title="Nordås wins"
    )
    start = TEXT.index("Ingebrigsten")
    app.annotations.create(
        document_id=doc,
        start=start,
        end=start + 12,
        label="error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
        note="KB: Jakob Ingebrigtsen",
    )
    _add_span(app, doc, "6 August 2024", label="date", value="2024-08-06", origin="suggested",
              status="accepted", annotator="dates")  # fmt: skip
    _add_span(app, doc, "🏃‍♀️", label="athlete", entity="Q1")
    _add_span(app, doc, "𝒜thens", label="event")

    out = tmp_path / "corpus.jsonl"
    report = export_dataset(app.db, out, format="jsonl")
    raw = out.read_text(encoding="utf-8")
    assert raw.endswith("\n") and raw.count("\n") == 1
    assert "🏃" in raw and "\\u" not in raw  # UTF-8, not ASCII escapes
    record = json.loads(raw)
    assert list(record) == ["id", "title", "source", "published", "sha256", "text", "spans"]
    assert record["id"] == doc and record["title"] == "Nordås wins"
    assert record["source"] == "feeds/nordas.txt"
    assert record["published"] == "2024-08-06"
    assert record["sha256"] == hashlib.sha256(("Nordås wins" + TEXT).encode()).hexdigest()
    assert record["text"] == TEXT
    span_keys = ["start", "end", "label", "text", "error_type", "correction", "note", "value",
                 "entity", "annotator", "origin", "status"]  # fmt: skip
    assert all(list(span) == span_keys for span in record["spans"])
    # Spans come in text order, every offset a code-point index into the exported text.
    assert [s["text"] for s in record["spans"]] == ["🏃‍♀️", "Ingebrigsten", "𝒜thens",
                                                    "6 August 2024"]  # fmt: skip
    for span in record["spans"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]
    error = record["spans"][1]
    assert error == {
        "start": start,
        "end": start + 12,
        "label": "error",
        "text": "Ingebrigsten",
        "error_type": "misspelled_name",
        "correction": "Ingebrigtsen",
        "note": "KB: Jakob Ingebrigtsen",
        "value": None,
        "entity": None,
        "annotator": "tester",
        "origin": "manual",
        "status": "accepted",
    }
    assert record["spans"][3]["value"] == "2024-08-06"
    assert record["spans"][3]["origin"] == "suggested"
    assert record["spans"][0]["entity"] == "Q1"
    assert (report.documents, report.spans, report.path) == (1, 4, out)


def test_documents_come_in_id_order_across_pages_with_their_own_spans(app, tmp_path, monkeypatch):
    monkeypatch.setattr(exporting, "PAGE_SIZE", 3)
    ids = []
    for n in range(10):
        text = f"Article {n}: Kerr won."
        ids.append(_add_document(app, text, title=f"doc {n}"))
        if n % 2 == 0:  # documents without spans sit between ones with spans
            _add_span(app, ids[-1], "Kerr", text=text)
    records = _jsonl(app, tmp_path)
    assert [r["id"] for r in records] == ids
    assert [len(r["spans"]) for r in records] == [1, 0] * 5
    assert all(r["text"].startswith(f"Article {n}:") for n, r in enumerate(records))


def test_pending_spans_only_with_the_flag_and_rejected_spans_never(app, tmp_path):
    doc = _add_document(app)
    _add_span(app, doc, "Nordås", status="accepted")
    _add_span(app, doc, "Jakob", origin="suggested", status="pending")
    _add_span(app, doc, "Narve", origin="suggested", status="rejected")
    assert _spans_by_text(_jsonl(app, tmp_path)) == {"Nordås"}
    assert _spans_by_text(_jsonl(app, tmp_path, include_pending=True)) == {"Nordås", "Jakob"}


def test_label_filter_keeps_every_document_with_only_the_chosen_spans(app, tmp_path):
    first = _add_document(app)
    _add_span(app, first, "Nordås", label="athlete")
    _add_span(app, first, "Ingebrigsten", label="error", error_type="misspelled_name")
    _add_span(app, first, "6 August 2024", label="date")
    other = _add_document(app, "Nothing to see.", title="quiet")
    records = _jsonl(app, tmp_path, labels=["error", "date"])
    assert [r["id"] for r in records] == [first, other]
    assert {s["label"] for s in records[0]["spans"]} == {"error", "date"}
    assert records[1]["spans"] == []


def test_an_unknown_label_is_refused_with_the_known_ones(app, tmp_path):
    with pytest.raises(UnknownLabel, match="'colour'.*athlete, date, error, event"):
        export_dataset(app.db, tmp_path / "x.jsonl", format="jsonl", labels=["athlete", "colour"])
    assert not (tmp_path / "x.jsonl").exists()


def test_csv_export_neutralises_formulas_and_reads_back(app, tmp_path):
    text = 'Kerr said: "1500m, then 5000m"\nIngebrigsten replied.'
    doc = _add_document(app, text, title="+cmd|' /C calc'!A0", source="=1+1.txt")
    _add_span(app, doc, '"1500m, then 5000m"', label="event", text=text)
    _add_span(app, doc, "Ingebrigsten", label="error", text=text, error_type="misspelled_name",
              correction="Ingebrigtsen", note='=HYPERLINK("http://x.example","click")',
              annotator="@admin")  # fmt: skip
    _add_span(app, doc, "Kerr", label="athlete", text=text, status="pending", origin="suggested")
    out = tmp_path / "corpus.csv"
    report = export_dataset(app.db, out, format="csv")
    assert report.spans == 2
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert header == ["document_id", "title", "source", "label", "start", "end", "text",
                      "error_type", "correction", "note", "annotator", "status"]  # fmt: skip
    assert len(rows) == 2
    event, error = rows
    assert event["text"] == '"1500m, then 5000m"'  # quotes and commas survive quoting
    assert event["document_id"] == str(doc)
    assert int(event["start"]) == text.index('"1500m') and int(event["end"]) > int(event["start"])
    assert error["title"] == "'+cmd|' /C calc'!A0"
    assert error["source"] == "'=1+1.txt"
    assert error["note"] == '\'=HYPERLINK("http://x.example","click")'
    assert error["annotator"] == "'@admin"
    assert error["correction"] == "Ingebrigtsen" and error["status"] == "accepted"
    for row in rows:
        assert text[int(row["start"]) : int(row["end"])] == row["text"]


def test_csv_export_honours_pending_and_label_options(app, tmp_path):
    doc = _add_document(app)
    _add_span(app, doc, "Nordås", label="athlete")
    _add_span(app, doc, "Jakob", label="athlete", status="pending", origin="suggested")
    _add_span(app, doc, "𝒜thens", label="event")
    out = tmp_path / "c.csv"
    export_dataset(app.db, out, format="csv", include_pending=True, labels=["athlete"])
    with out.open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    assert texts == ["Nordås", "Jakob"]  # text order; the event and nothing rejected left out


def test_progress_reports_each_document_against_the_document_count(app, tmp_path):
    for n in range(4):
        _add_document(app, f"text {n}", title=f"t{n}")
    calls = []
    reporter = Reporter(progress=lambda done, total, _what: calls.append((done, total)))
    export_dataset(app.db, tmp_path / "o.jsonl", format="jsonl", reporter=reporter)
    assert [done for done, _ in calls] == [0, 1, 2, 3, 4]
    assert {total for _, total in calls} == {4}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("existing", [None, "old dataset\n"])
def test_cancelling_midway_leaves_no_partial_file(app, tmp_path, fmt, existing):
    for n in range(6):
        doc = _add_document(app, f"Kerr won race {n}.", title=f"t{n}")
        _add_span(app, doc, "Kerr", text=f"Kerr won race {n}.")
    out = tmp_path / f"out.{fmt}"
    if existing is not None:
        out.write_text(existing, encoding="utf-8")
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3  # after three documents were written

    with pytest.raises(Cancelled):
        export_dataset(app.db, out, format=fmt, reporter=Reporter(cancel=cancel))
    assert len(asked) == 4
    if existing is None:
        assert not out.exists()
    else:
        assert out.read_text(encoding="utf-8") == existing
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []


def test_export_streams_instead_of_loading_the_corpus(app, tmp_path):
    """2,000 documents of ~16 KB (32 MB of text): the Python heap during the export must stay
    far below the corpus size, which it could not if documents were loaded all at once."""
    paragraph = "Jakob Ingebrigtsen won the 1500m final in Tokyo ahead of Niels Laros. "
    body = paragraph * 230
    corpus_chars = 0
    for chunk in range(10):
        articles = []
        for n in range(chunk * 200, chunk * 200 + 200):
            text = f"Report {n}. {body}"
            corpus_chars += len(text)
            articles.append(_article(text, title=f"Report {n}"))
        ids = [doc_id for doc_id, _ in import_articles(app.db, articles).imported]
        with app.db.engine.begin() as conn:
            conn.execute(
                insert(AnnotationRow),
                [
                    {"document_id": i, "start": 0, "end": 6, "label": "event", "text": "Report"}
                    for i in ids
                ],
            )
    out = tmp_path / "big.jsonl"
    tracemalloc.start()
    try:
        report = export_dataset(app.db, out, format="jsonl")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (report.documents, report.spans) == (2000, 2000)
    assert out.stat().st_size > corpus_chars
    assert peak < corpus_chars / 4, f"peak {peak / 1e6:.1f} MB for {corpus_chars / 1e6:.1f} MB"
