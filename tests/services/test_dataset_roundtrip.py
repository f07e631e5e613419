"""Datasets out and back in: every importable format round-trips a realistic corpus exactly
through a second, empty database (detected, not forced); re-imports merge instead of
duplicating; bad records, files and labels are named and the rest imports; the exports that
cannot come back are checked with the readers their users run. Real SQLite files throughout."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from annotator.core.formats import iter_jsonl_records
from annotator.core.formats.tokens import tokenize
from annotator.core.textload import LoadedArticle
from annotator.services.app import App, open_app
from annotator.services.dataset_import import import_any
from annotator.services.exporting import UnknownDocument, export_dataset
from annotator.services.importing import import_articles
from annotator.store.models import AnnotationRow

IMPORTABLE = ("jsonl", "doccano", "labelstudio", "brat")

# Emoji with a zero-width joiner and accented names before the spans: code-point offsets.
TEXT_NORDAS = (
    "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in the 1500m in Zürich on "
    '12 September 2025.\nHe said: "I ran 3:29."\nJosh Kerr was third.'
)
TEXT_QUIET = "Results from Oslo.\nNo errors here, and nothing marked.\n"
TEXT_ANGSTROM = (
    "Hélène Ngo-Diop and Zoë Ångström set records in Tórshavn on 3 May 2025.\n\n"
    "Ångström ran 14:02 in the 5000m."
)
CORRECTION = 'Ingebrigtsen | "Jakob" \\ C:\\dir'
NOTE = "KB: \"Jakob Ingebrigtsen\"\nsecond line | a bar\\a backslash, 'single' quotes"
# A tagset with one label more than the default, as a colleague's might have.
VENUE_TAGSET = """
name = "Athletics with venues"

[[label]]
key = "athlete"
name = "Athlete"
color = "#4e79a7"
shortcut = "1"

[[label]]
key = "event"
name = "Event"
color = "#59a14f"
shortcut = "2"

[[label]]
key = "date"
name = "Date"
color = "#edc948"
shortcut = "3"

[[label]]
key = "error"
name = "Error"
color = "#e15759"
shortcut = "4"

[label.attributes]
error_type = ["misspelled_name", "misspelling", "wrong_date", "wrong_number", "wrong_fact",
              "other"]
correction = "text"
note = "text"

[[label]]
key = "venue"
name = "Venue"
color = "#76b7b2"
shortcut = "5"
"""


# -- building the corpus -----------------------------------------------------------------------


def _article(text: str, *, title: str, published=None, source=None) -> LoadedArticle:
    return LoadedArticle(
        title=title,
        text=text,
        published=published,
        sha256=hashlib.sha256((title + text).encode()).hexdigest(),
        source=source,
        encoding="utf-8",
    )


def _span(
    app: App, doc: int, text: str, needle: str, label: str, *, nth: int = 0, **fields: Any
) -> int:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return app.annotations.create(
        document_id=doc, start=start, end=start + len(needle), label=label, **fields
    ).id


def _set(app: App, span_id: int, **columns: Any) -> None:
    """Columns the service does not edit (origin, entity, annotator): what a suggester or a
    knowledge-base lookup would have stored."""
    with app.db.engine.begin() as conn:
        conn.execute(update(AnnotationRow).where(AnnotationRow.id == span_id).values(**columns))


def build_corpus(app: App) -> dict[str, int]:
    report = import_articles(app.db, [
        _article(TEXT_NORDAS, title="Nordås wins in Zürich", published=dt.date(2025, 9, 12),
                 source="https://example.org/news/nordås-zürich?id=7"),
        _article(TEXT_QUIET, title="Quiet day", published=None, source=None),
        _article(TEXT_ANGSTROM, title="Ångström's record", published=dt.date(2025, 5, 3),
                 source="feeds/ångström.md"),
    ])  # fmt: skip
    nordas, quiet, angstrom = (doc_id for doc_id, _ in report.imported)

    t = TEXT_NORDAS
    athlete = _span(app, nordas, t, "Narve Gilje Nordås", "athlete")
    _set(app, athlete, entity="Q98765432")
    _span(app, nordas, t, "Jakob Ingebrigsten", "athlete")
    # An error inside the athlete span, its fields full of what escapes must survive.
    _span(app, nordas, t, "Ingebrigsten", "error", error_type="misspelled_name",
          correction=CORRECTION, note=NOTE)  # fmt: skip
    _span(app, nordas, t, "1500m", "event")
    date = _span(app, nordas, t, "12 September 2025", "date", value="2025-09-12")
    _set(app, date, origin="suggested", annotator="dates")  # an accepted suggestion
    # An error crossing a line break.
    _span(app, nordas, t, 'I ran 3:29."\nJosh Kerr', "error", error_type="wrong_fact",
          correction="Kerr ran 3:31", note="Results page")  # fmt: skip
    pending = _span(app, nordas, t, "Josh Kerr", "athlete")
    app.annotations.update(pending, status="pending")
    _set(app, pending, origin="suggested", annotator="suggester")

    t = TEXT_ANGSTROM
    _span(app, angstrom, t, "Hélène Ngo-Diop", "athlete")
    _span(app, angstrom, t, "Zoë Ångström", "athlete")
    _span(app, angstrom, t, "3 May 2025", "date", value="2025-05-03")
    _span(app, angstrom, t, "5000m", "event")
    _span(app, angstrom, t, "14:02", "error", error_type="wrong_number", correction="14:20")
    rejected = _span(app, angstrom, t, "Tórshavn", "athlete")  # never exported
    app.annotations.update(rejected, status="rejected")
    _set(app, rejected, origin="suggested", annotator="suggester")
    return {"nordas": nordas, "quiet": quiet, "angstrom": angstrom}


@pytest.fixture
def corpus(app) -> dict[str, int]:
    return build_corpus(app)


@pytest.fixture
def second(tmp_path) -> Iterator[App]:
    opened = open_app(tmp_path / "second.sqlite3", annotator="someone-else")
    yield opened
    opened.close()


# -- helpers -----------------------------------------------------------------------------------


def export_path(tmp_path: Path, fmt: str, name: str = "corpus") -> Path:
    suffix = {"jsonl": ".jsonl", "doccano": ".doccano.jsonl", "labelstudio": ".json",
              "brat": ""}[fmt]  # fmt: skip
    return tmp_path / "exports" / f"{name}{suffix}"


def export(app: App, tmp_path: Path, fmt: str, name: str = "corpus", **options) -> Path:
    out = export_path(tmp_path, fmt, name)
    out.parent.mkdir(exist_ok=True)
    export_dataset(app.db, out, format=fmt, include_pending=True, **options)
    return out


def dataset(app: App, tmp_path: Path, name: str) -> list[dict[str, Any]]:
    """The database as native JSONL records (pending spans included), without document ids."""
    out = tmp_path / f"check-{name}.jsonl"
    export_dataset(app.db, out, format="jsonl", include_pending=True)
    with out.open(encoding="utf-8") as fh:
        records = list(iter_jsonl_records(fh))
    for record in records:
        del record["id"]
    return records


def count_documents(app: App) -> int:
    return app.documents.count()


def count_spans(app: App) -> int:
    with app.db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM annotations").scalar()


def error_lines(report) -> list[str]:
    return [f"{e.path}: {e.reason}" for e in report.errors]


def brat_ann(folder: Path, title_slug: str) -> Path:
    (found,) = [p for p in folder.glob("*.ann") if title_slug in p.name]
    return found


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )


# -- the round trip ----------------------------------------------------------------------------


def test_the_corpus_is_what_the_tests_below_rely_on(app, corpus, tmp_path):
    records = dataset(app, tmp_path, "original")
    assert [r["title"] for r in records] == ["Nordås wins in Zürich", "Quiet day",
                                             "Ångström's record"]  # fmt: skip
    nordas, quiet, angstrom = records
    assert quiet["spans"] == [] and quiet["source"] is None and quiet["published"] is None
    assert nordas["published"] == "2025-09-12" and angstrom["source"] == "feeds/ångström.md"
    statuses = {(s["text"], s["origin"], s["status"]) for s in nordas["spans"]}
    assert ("Josh Kerr", "suggested", "pending") in statuses
    assert ("12 September 2025", "suggested", "accepted") in statuses
    error = next(s for s in nordas["spans"] if s["text"] == "Ingebrigsten")
    assert (error["correction"], error["note"]) == (CORRECTION, NOTE)
    assert nordas["spans"][0]["entity"] == "Q98765432"
    assert "Tórshavn" not in {s["text"] for s in angstrom["spans"]}  # rejected: never exported
    assert sum(len(r["spans"]) for r in records) == 12


@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_a_round_trip_through_the_format_gives_identical_documents_and_spans(
    app, corpus, second, tmp_path, fmt
):
    out = export(app, tmp_path, fmt)
    report = import_any(second.db, [out], format=None)  # the format is recognised
    assert report.errors == [], error_lines(report)
    assert (len(report.imported), report.duplicates, report.spans) == (3, [], 12)
    assert report.summary() == "3 imported with 12 spans"
    original = dataset(app, tmp_path, "original")
    again = dataset(second, tmp_path, "again")
    for before, after in zip(original, again, strict=True):
        assert after == before  # title, source, published, sha256, text and every span field
    for record in again:
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_importing_the_same_file_twice_adds_nothing(app, corpus, second, tmp_path, fmt):
    out = export(app, tmp_path, fmt)
    first = import_any(second.db, [out])
    assert len(first.imported) == 3 and first.errors == []
    before = dataset(second, tmp_path, "first")
    again = import_any(second.db, [out])
    assert again.errors == [], error_lines(again)
    assert (again.imported, len(again.duplicates), again.spans, again.merged_spans) == ([], 3, 0, 0)
    assert again.summary() == "0 imported, 3 already in the database"
    assert (count_documents(second), count_spans(second)) == (3, 12)
    assert dataset(second, tmp_path, "second") == before


@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_a_document_already_stored_with_fewer_spans_gains_the_missing_ones(
    app, corpus, second, tmp_path, fmt
):
    native = read_jsonl(export(app, tmp_path, "jsonl", name="native"))
    nordas = native[0]
    kept = nordas["spans"][:3]
    partial = tmp_path / "partial.jsonl"
    write_jsonl(partial, [{**nordas, "spans": kept}])
    assert len(import_any(second.db, [partial]).imported) == 1

    report = import_any(second.db, [export(app, tmp_path, fmt)])
    assert report.errors == [], error_lines(report)
    missing = len(nordas["spans"]) - len(kept)
    assert len(report.imported) == 2 and len(report.duplicates) == 1
    assert report.merged_spans == missing > 0
    assert report.spans == missing + len(native[2]["spans"])
    assert f"1 already in the database ({missing} spans added to them)" in report.summary()
    assert dataset(second, tmp_path, "merged") == dataset(app, tmp_path, "original")


# -- bad records, labels and files -------------------------------------------------------------


def _shift_one_start(fmt: str, out: Path) -> str:
    """Hand-edit the first document's first span so its offsets no longer match its text;
    returns what the error must name."""
    if fmt in ("jsonl", "doccano"):
        records = read_jsonl(out)
        records[0]["spans"][0]["start"] += 1
        write_jsonl(out, records)
        return f"{out.name} line 1 (record {records[0]['id']})"
    if fmt == "labelstudio":
        tasks = json.loads(out.read_text(encoding="utf-8"))
        region = next(item for item in tasks[0]["annotations"][0]["result"]
                      if item["type"] == "labels")  # fmt: skip
        region["value"]["start"] += 1
        out.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
        return f"{out.name} task {tasks[0]['id']}"
    ann = brat_ann(out, "Nordas")
    lines = ann.read_text(encoding="utf-8").split("\n")
    tid, rest, written = lines[0].split("\t")
    label, start, end = rest.split(" ")
    lines[0] = f"{tid}\t{label} {int(start) + 1} {end}\t{written}"
    ann.write_text("\n".join(lines), encoding="utf-8")
    return f"{ann.name} line 1"


@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_a_record_whose_offsets_do_not_fit_its_text_is_named_and_the_rest_imports(
    app, corpus, second, tmp_path, fmt
):
    out = export(app, tmp_path, fmt)
    where = _shift_one_start(fmt, out)
    report = import_any(second.db, [out])
    assert len(report.errors) == 1, error_lines(report)
    (error,) = report.errors
    assert error.path == where
    assert "Narve" in error.reason, error.reason  # the span, quoted from the record
    assert "\n" not in error.reason
    assert len(report.imported) == 2 and report.spans == 5
    original = dataset(app, tmp_path, "original")
    assert dataset(second, tmp_path, "rest") == original[1:]


@pytest.mark.parametrize("fmt", IMPORTABLE)
def test_a_label_the_database_does_not_know_is_refused_with_the_known_ones(tmp_path, second, fmt):
    tagset = tmp_path / "venues.toml"
    tagset.write_text(VENUE_TAGSET, encoding="utf-8")
    colleague = open_app(tmp_path / "colleague.sqlite3", tagset=tagset, annotator="colleague")
    try:
        text = "Warholm won in the Bislett Stadium in Oslo."
        report = import_articles(colleague.db, [
            _article(text, title="Bislett", source="bislett.txt"),
            _article(TEXT_QUIET, title="Quiet day", source="quiet.txt"),
        ])  # fmt: skip
        doc = report.imported[0][0]
        _span(colleague, doc, text, "Warholm", "athlete")
        _span(colleague, doc, text, "Bislett Stadium", "venue")
        out = export(colleague, tmp_path, fmt)
    finally:
        colleague.close()
    report = import_any(second.db, [out])
    assert len(report.errors) == 1, error_lines(report)
    (error,) = report.errors
    assert "Bislett" in error.path
    assert "'venue'" in error.reason
    assert "known: athlete, date, error, event" in error.reason
    assert [source for _, source in report.imported] == ["quiet.txt"]
    assert (count_documents(second), count_spans(second)) == (1, 0)


BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 2
BAD_UTF8 = {
    ".jsonl": b'{"title": "Kerr", "text": "Josh Kerr \xff\xfe won", "spans": []}\n',
    ".json": b'[{"id": 1, "data": {"text": "Josh Kerr \xff\xfe won"}}]\n',
    ".txt": b"Josh Kerr \xff\xfe won",
}


def _cases() -> Iterator[Any]:
    for suffix, fmt in [(".jsonl", None), (".jsonl", "jsonl"), (".jsonl", "doccano"),
                        (".json", None), (".json", "labelstudio"), (".ann", None)]:  # fmt: skip
        for content in ("binary", "empty", "bad-utf8"):
            yield pytest.param(
                suffix, fmt, content, id=f"{suffix[1:]}-{fmt or 'detected'}-{content}"
            )


@pytest.mark.parametrize(("suffix", "fmt", "content"), list(_cases()))
def test_a_file_that_is_no_dataset_gives_one_error_and_imports_nothing(
    app, corpus, tmp_path, suffix, fmt, content
):
    path = tmp_path / f"data{suffix}"
    data = {"binary": BINARY, "empty": b"", "bad-utf8": BAD_UTF8.get(suffix, BAD_UTF8[".txt"])}
    path.write_bytes(data[content])
    if suffix == ".ann":  # brat: the .txt beside the .ann holds the same bytes
        path.with_suffix(".txt").write_bytes(data[content])
    before = (count_documents(app), count_spans(app))
    report = import_any(app.db, [path], format=fmt)
    assert len(report.errors) == 1, error_lines(report)
    (error,) = report.errors
    assert path.name in error.path
    assert error.reason and "\n" not in error.reason
    assert "Traceback" not in error.reason
    assert report.imported == [] and report.spans == 0
    assert (count_documents(app), count_spans(app)) == before


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "labelstudio"])
def test_a_record_with_an_empty_text_is_refused_and_the_others_import(app, tmp_path, fmt):
    good = "Josh Kerr won the 1500m."
    texts = [good, "", " \n\t "]
    if fmt == "labelstudio":
        path = tmp_path / "tasks.json"
        tasks = [{"id": n, "data": {"text": t, "title": f"t{n}"}} for n, t in enumerate(texts)]
        path.write_text(json.dumps(tasks), encoding="utf-8")
    else:
        path = tmp_path / "records.jsonl"
        key = "label" if fmt == "doccano" else "spans"
        write_jsonl(path, [{"title": f"t{n}", "text": t, key: []} for n, t in enumerate(texts)])
    report = import_any(app.db, [path])
    assert len(report.imported) == 1
    assert len(report.errors) == 2, error_lines(report)
    assert all("empty" in error.reason for error in report.errors)
    assert [app.documents.get(i).text for i in app.documents.ids()] == [good]


def test_a_sha256_clash_with_another_text_names_the_file_it_came_from(app, tmp_path):
    sha = "a" * 64
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_jsonl(first, [{"title": "A", "source": None, "sha256": sha, "text": "Kerr won.",
                         "spans": []}])  # fmt: skip
    write_jsonl(second, [{"title": "B", "source": None, "sha256": sha, "text": "Other text.",
                          "spans": []}])  # fmt: skip
    assert len(import_any(app.db, [first]).imported) == 1
    report = import_any(app.db, [second])
    (error,) = report.errors
    assert "same sha256 but another text" in error.reason
    assert count_documents(app) == 1
    assert "second.jsonl" in error.path, error.path


@pytest.mark.parametrize("fmt", ["doccano", "labelstudio"])
def test_documents_from_a_tool_without_sources_are_named_after_the_file(app, tmp_path, fmt):
    text = "Josh Kerr won the 1500m."
    if fmt == "doccano":  # what doccano itself exports: text, label and its own id
        path = tmp_path / "doccano.jsonl"
        write_jsonl(path, [{"id": 17, "text": text, "label": [[0, 9, "athlete"]]}])
    else:  # what Label Studio itself exports: its task id, data.text, the annotations
        path = tmp_path / "project-3.json"
        region = {
            "id": "r1",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 9, "text": "Josh Kerr", "labels": ["athlete"]},
        }
        path.write_text(json.dumps([{"id": 17, "data": {"text": text},
                                     "annotations": [{"result": [region]}]}]),
                        encoding="utf-8")  # fmt: skip
    report = import_any(app.db, [path])
    assert report.errors == [] and report.spans == 1
    doc = app.documents.get(report.imported[0][0])
    assert [(s.label, s.text) for s in doc.spans] == [("athlete", "Josh Kerr")]
    assert report.imported[0][1] == str(path)


def test_a_label_studio_file_cut_off_keeps_the_tasks_before_the_break(
    app, corpus, second, tmp_path
):
    out = export(app, tmp_path, "labelstudio")
    raw = out.read_text(encoding="utf-8")
    last_task = raw.rindex('{"id":')
    out.write_text(raw[: last_task + 40], encoding="utf-8")  # cut inside the third task
    report = import_any(second.db, [out])
    assert len(report.imported) == 2
    (error,) = report.errors
    assert error.path == str(out)
    assert "not valid JSON" in error.reason and "\n" not in error.reason
    assert dataset(second, tmp_path, "cut") == dataset(app, tmp_path, "original")[:2]


def test_brat_files_with_crlf_line_ends_import_with_offsets_moved_to_the_stored_text(app, tmp_path):
    crlf = "Karsten Warholm won in Oslo.\r\nHe ran 45.49 on\r\n1 June 2025.\r\n"
    folder = tmp_path / "brat"
    folder.mkdir()

    def offsets(needle: str) -> tuple[int, int]:
        start = crlf.index(needle)
        return start, start + len(needle)

    warholm, oslo, time = offsets("Karsten Warholm"), offsets("Oslo"), offsets("45.49")
    on = offsets("on\r\n1 June 2025")
    date = f"{on[0]} {on[0] + 2};{on[0] + 4} {on[1]}"  # fragments around the line break
    ann = "\r\n".join([
        f"T1\tathlete {warholm[0]} {warholm[1]}\tKarsten Warholm",
        f"T2\tevent {oslo[0]} {oslo[1]}\tOslo",
        f"T3\terror {time[0]} {time[1]}\t45.49",
        "A1\tError_type T3 wrong_number",
        "#1\tAnnotatorNotes T3\tCorrection: 45.94 | Note: results page",
        f"T4\tdate {date}\ton 1 June 2025",
        "A2\tStatus T4 pending",
        "",
    ])  # fmt: skip
    (folder / "warholm.txt").write_bytes(crlf.encode("utf-8"))
    (folder / "warholm.ann").write_bytes(ann.encode("utf-8"))

    report = import_any(app.db, [folder])
    assert report.errors == [], error_lines(report)
    assert (len(report.imported), report.spans) == (1, 4)
    doc = app.documents.get(report.imported[0][0])
    assert doc.text == crlf.replace("\r\n", "\n")
    found = {(s.label, s.text, s.status.value) for s in doc.spans}
    assert found == {
        ("athlete", "Karsten Warholm", "accepted"),
        ("event", "Oslo", "accepted"),
        ("error", "45.49", "accepted"),
        ("date", "on\n1 June 2025", "pending"),
    }
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.text
    error = next(s for s in doc.spans if s.label == "error")
    assert (error.error_type, error.correction, error.note) == (
        "wrong_number",
        "45.94",
        "results page",
    )


# -- exports that do not come back -------------------------------------------------------------


def _native(app: App, tmp_path: Path) -> dict[int, dict[str, Any]]:
    out = export(app, tmp_path, "jsonl", name="native")
    return {record["id"]: record for record in read_jsonl(out)}


def test_w3c_selectors_point_at_the_spans_in_the_document_text(app, corpus, tmp_path):
    out = tmp_path / "corpus.jsonld"
    report = export_dataset(app.db, out, format="w3c", include_pending=True)
    with out.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    native = _native(app, tmp_path)
    items = collection["first"]["items"]
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(items) == report.spans == 12
    seen = []
    for annotation in items:
        doc_id = int(annotation["id"].split(":document/")[1].split("/")[0])
        text = native[doc_id]["text"]
        quote, position = annotation["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote.get("prefix", ""))
        assert text[end:].startswith(quote.get("suffix", ""))
        seen.append((doc_id, start, end))
    expected = [(i, s["start"], s["end"]) for i, r in native.items() for s in r["spans"]]
    assert sorted(seen) == sorted(expected)


def test_claimreview_quotes_each_accepted_error_with_the_article_date(app, corpus, tmp_path):
    out = tmp_path / "reviews.jsonld"
    export_dataset(
        app.db, out, format="claimreview", include_pending=True, publisher="Athletics Check"
    )
    with out.open(encoding="utf-8") as fh:
        graph = json.load(fh)["@graph"]
    native = _native(app, tmp_path)
    errors = [(r, s) for r in native.values() for s in r["spans"]
              if s["label"] == "error" and s["status"] == "accepted"]  # fmt: skip
    assert len(graph) == len(errors) == 3
    for review, (record, span) in zip(graph, errors, strict=True):
        assert review["@type"] == "ClaimReview"
        assert " ".join(span["text"].split()) in review["claimReviewed"]
        item = review["itemReviewed"]
        assert item["datePublished"] == record["published"]
        assert item["appearance"]["datePublished"] == record["published"]
        assert item["appearance"]["headline"] == record["title"]
        if span["correction"]:
            assert span["correction"] in review["reviewBody"]


def _conll_documents(path: Path) -> list[list[tuple[str, str]]]:
    """(word, tag) per token, per document: what a CoNLL-2003 reader sees."""
    documents: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            documents.append([])
        elif line.strip():
            columns = line.split(" ")
            assert len(columns) == 4, line
            documents[-1].append((columns[0], columns[-1]))
    return documents


def test_conll_bio_tags_rebuild_the_spans_surface_text(app, corpus, tmp_path):
    out = tmp_path / "corpus.conll"
    report = export_dataset(app.db, out, format="conll", include_pending=True)
    native = list(_native(app, tmp_path).values())
    documents = _conll_documents(out)
    assert len(documents) == len(native)
    for record, tokens in zip(native, documents, strict=True):
        text = record["text"]
        # Place every word in the text (the file keeps them in order), then read the tags.
        cursor, placed = 0, []
        for word, tag in tokens:
            start = text.index(word, cursor)
            assert text[cursor:start].strip() == "", (word, text[cursor:start])
            cursor = start + len(word)
            placed.append((start, cursor, tag))
        assert [w for w, _ in tokens] == [t.text for t in tokenize(text)]
        rebuilt, current = [], None
        for start, end, tag in placed:
            if tag.startswith("B-"):
                current = [start, end, tag[2:]]
                rebuilt.append(current)
            elif tag.startswith("I-"):
                assert current is not None and current[2] == tag[2:], tag
                current[1] = end
            else:
                current = None
        spans = {(s["start"], s["end"], s["label"]): s["text"] for s in record["spans"]}
        for start, end, label in rebuilt:
            assert spans[(start, end, label)] == text[start:end]
        kept = {(s, e, lb) for s, e, lb in rebuilt}
        for (start, end, label), surface in spans.items():
            if (start, end, label) not in kept:  # left out: the notes say so
                assert any(f"span {start}:{end}" in note for note in report.notes), surface
    assert any("overlaps athlete" in note for note in report.notes)


def test_spacy_docbin_reads_back_with_the_span_texts(app, corpus, tmp_path):
    pytest.importorskip("spacy")
    import spacy
    from spacy.tokens import DocBin

    out = tmp_path / "corpus.spacy"
    export_dataset(app.db, out, format="spacy", include_pending=True)
    nlp = spacy.blank("xx")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    native = list(_native(app, tmp_path).values())
    assert [doc.text for doc in docs] == [r["text"] for r in native]
    for doc, record in zip(docs, native, strict=True):
        spans = {(s["start"], s["end"], s["label"]): s["text"] for s in record["spans"]}
        for ent in doc.ents:
            assert spans[(ent.start_char, ent.end_char, ent.label_)] == ent.text
        for group_span in doc.spans["sc"]:
            assert group_span.label_ in {label for _, _, label in spans}
        assert list(doc.user_data["annotator_spans"]) == record["spans"]
        assert doc.user_data["annotator_document"]["sha256"] == record["sha256"]
    assert {e.text for d in docs for e in d.ents} >= {"Narve Gilje Nordås", "Zoë Ångström"}


def test_csv_rows_hold_each_span_with_its_offsets(app, corpus, tmp_path):
    out = tmp_path / "spans.csv"
    report = export_dataset(app.db, out, format="csv", include_pending=True)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert len(body) == report.spans == 12
    native = _native(app, tmp_path)
    for row in body:
        record = dict(zip(header, row, strict=True))
        text = native[int(record["document_id"])]["text"]
        assert text[int(record["start"]) : int(record["end"])] == record["text"]
    notes = {r[header.index("note")] for r in body}
    assert NOTE in notes


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.scripts += tag == "script"

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_the_html_report_shows_every_correction(app, corpus, tmp_path):
    out = tmp_path / "report.html"
    export_dataset(app.db, out, format="report", include_pending=True)
    content = out.read_text(encoding="utf-8")
    parser = _TextOf()
    parser.feed(content)
    shown = "".join(parser.parts)
    for correction in (CORRECTION, "Kerr ran 3:31", "14:20"):
        assert correction in shown
        assert html.escape(correction) in content  # escaped, never raw markup
    assert parser.scripts == 0
    for title in ("Nordås wins in Zürich", "Quiet day", "Ångström's record"):
        assert title in shown


# -- choosing documents, and the brat folder ---------------------------------------------------


def test_exporting_chosen_documents_writes_only_those(app, corpus, tmp_path):
    out = tmp_path / "one.jsonl"
    report = export_dataset(app.db, out, format="jsonl", documents=[corpus["angstrom"]])
    records = read_jsonl(out)
    assert [r["id"] for r in records] == [corpus["angstrom"]]
    assert (report.documents, report.spans) == (1, 5)
    with pytest.raises(UnknownDocument, match="999"):
        export_dataset(app.db, tmp_path / "none.jsonl", format="jsonl", documents=[999])
    assert not (tmp_path / "none.jsonl").exists()


def test_brat_export_never_replaces_a_folder_of_the_users_files(app, corpus, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.txt").write_text("my own notes\n", encoding="utf-8")
    (folder / "thesis.ann").write_text("T1\tathlete 0 2\tmy\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(FileExistsError, match="other files"):
        export_dataset(app.db, folder, format="brat")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")] == []


def test_exporting_twice_to_a_brat_folder_replaces_the_earlier_export(app, corpus, tmp_path):
    folder = tmp_path / "brat"
    export_dataset(app.db, folder, format="brat", include_pending=True)
    assert len(list(folder.glob("*.ann"))) == 3
    report = export_dataset(app.db, folder, format="brat", documents=[corpus["quiet"]])
    assert report.documents == 1
    assert [p.name for p in folder.glob("*.ann")] == [f"{corpus['quiet']:06d}-Quiet-day.ann"]
    assert [p.name for p in folder.glob("*.txt")] == [f"{corpus['quiet']:06d}-Quiet-day.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".brat")] == []
