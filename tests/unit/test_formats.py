"""Dataset records: the JSONL contract of DESIGN.md, CSV rows and their injection guard."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from annotator.core.formats import (
    CSV_HEADER,
    csv_row,
    document_record,
    dumps_line,
    iter_jsonl_records,
    neutralise,
    span_record,
)
from annotator.core.model import Origin, Span, SpanStatus

TEXT = "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in 𝒜thens on 6 August 2024."


def _span(needle: str, **fields) -> Span:
    start = TEXT.index(needle)
    return Span(start=start, end=start + len(needle), label="athlete", text=needle, **fields)


def _record(spans=()) -> dict:
    return document_record(
        id=7,
        title="Nordås wins",
        source="articles/nordas.txt",
        published=dt.date(2024, 8, 6),
        sha256="ab" * 32,
        text=TEXT,
        spans=spans,
    )


def test_a_document_record_has_exactly_the_contract_keys_in_order():
    error = _span(
        "Ingebrigsten",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
        note="KB",
        annotator="tester",
        origin=Origin.SUGGESTED,
        status=SpanStatus.PENDING,
    ).with_changes(label="error")
    record = _record([error])
    assert list(record) == ["id", "title", "source", "published", "sha256", "text", "spans"]
    assert record["published"] == "2024-08-06"
    assert record["spans"] == [
        {
            "start": TEXT.index("Ingebrigsten"),
            "end": TEXT.index("Ingebrigsten") + 12,
            "label": "error",
            "text": "Ingebrigsten",
            "error_type": "misspelled_name",
            "correction": "Ingebrigtsen",
            "note": "KB",
            "value": None,
            "entity": None,
            "annotator": "tester",
            "origin": "suggested",
            "status": "pending",
        }
    ]
    assert list(record["spans"][0]) == [
        "start", "end", "label", "text", "error_type", "correction", "note", "value", "entity",
        "annotator", "origin", "status",
    ]  # fmt: skip
    # Enums are written as their plain values, not as StrEnum instances.
    assert type(record["spans"][0]["status"]) is str


def test_published_may_be_missing_or_already_a_string():
    base = {"id": 1, "title": "t", "source": None, "sha256": "0" * 64, "text": "x"}
    assert document_record(**base, published=None)["published"] is None
    assert document_record(**base, published="2024-08-06")["published"] == "2024-08-06"
    stamp = dt.datetime(2024, 8, 6, 21, 30)
    assert document_record(**base, published=stamp)["published"] == "2024-08-06"


def test_span_record_accepts_mappings_and_fills_optional_fields_with_null():
    record = span_record({"start": 0, "end": 2, "label": "date", "text": "🏃‍", "extra": 1})
    assert record["value"] is None and record["origin"] is None
    assert "extra" not in record
    with pytest.raises(KeyError):
        span_record({"start": 0, "end": 2, "text": "x"})


def test_span_record_takes_a_database_row_of_values_in_contract_order():
    values = (3, 9, "athlete", "Nordås", None, None, "n", None, None, "me", "manual", "accepted")
    record = span_record(values)
    assert list(record.values()) == list(values)
    assert record["text"] == "Nordås" and record["annotator"] == "me"
    with pytest.raises(ValueError):
        span_record(values[:-1])


def test_dumps_line_is_one_line_of_unescaped_utf8_that_round_trips():
    span = _span("Nordås", note="line one\nline two\u2028still the note\u2029and\x85more")
    record = _record([span])
    line = dumps_line(record)
    assert "🏃" in line and "Nordås" in line  # ensure_ascii=False
    assert len(line.splitlines()) == 1  # splitlines() also splits on U+2028, U+2029, U+0085
    assert json.loads(line) == record


def test_offsets_are_code_points_even_around_emoji_and_astral_letters():
    spans = [_span("Nordås"), _span("𝒜thens"), _span("🏃‍♀️")]
    for span in json.loads(dumps_line(_record(spans)))["spans"]:
        assert TEXT[span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Jakob Ingebrigtsen", "Jakob Ingebrigtsen"),
        ("1500m", "1500m"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (SpanStatus.PENDING, "pending"),
    ],
)
def test_neutralise_prefixes_formula_starts_and_leaves_other_text(cell, expected):
    assert neutralise(cell) == expected


def test_csv_rows_keep_numbers_as_numbers_and_neutralise_text():
    span = _span("Nordås", note='=HYPERLINK("x")', status=SpanStatus.ACCEPTED)
    row = csv_row(document_id=12, title="+cmd", source="-x.txt", span=span)
    assert len(row) == len(CSV_HEADER)
    values = dict(zip(CSV_HEADER, row, strict=True))
    assert values["document_id"] == 12 and type(values["document_id"]) is int
    assert (values["start"], values["end"]) == (span.start, span.end)
    assert values["title"] == "'+cmd" and values["source"] == "'-x.txt"
    assert values["note"] == '\'=HYPERLINK("x")'
    assert values["status"] == "accepted"

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerow(row)
    read = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert read[0]["start"] == str(span.start) and read[0]["note"] == '\'=HYPERLINK("x")'


def test_csv_row_reads_mappings_too():
    mapping = {"start": 0, "end": 1, "label": "date", "text": "x", "status": "pending"}
    row = csv_row(document_id=1, title="t", source=None, span=mapping)
    assert row[2] == "" and row[-1] == "pending" and row[8] == ""


def _lines(*records) -> list[str]:
    return [dumps_line(r) + "\n" for r in records]


def test_reading_back_what_we_write_yields_the_same_records():
    first = _record([_span("Nordås"), _span("𝒜thens")])
    second = {**first, "id": 8, "spans": [], "unknown_field": {"kept": True}}
    lines = [*_lines(first), "\n", *_lines(second)]
    assert list(iter_jsonl_records(lines)) == [first, second]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.pop("text"), "missing key 'text'"),
        (lambda r: r.pop("spans"), "missing key 'spans'"),
        (lambda r: r.update(spans={}), "'spans' is not a list"),
        (lambda r: r["spans"][0].pop("label"), "span 0: missing key 'label'"),
        (lambda r: r["spans"][0].update(end=len(TEXT) + 1), "outside the text"),
        (lambda r: r["spans"][0].update(start=True), "must be integers"),
        (lambda r: r["spans"][0].update(text="Nordas"), "not 'Nordas'"),
        (lambda r: r["spans"][0].update(start=5, end=5), "outside the text"),
    ],
)
def test_an_invalid_record_names_its_line_and_id(mutate, message):
    good = _record([_span("Nordås")])
    bad = json.loads(dumps_line(good))
    mutate(bad)
    lines = _lines(good, bad)
    records = iter_jsonl_records(lines)
    assert next(records) == good  # records before the bad one are already usable
    with pytest.raises(ValueError, match=r"^line 2 \(record 7\)") as info:
        next(records)
    assert message in str(info.value)


def test_broken_json_and_non_objects_name_the_line():
    with pytest.raises(ValueError, match=r"^line 3: not valid JSON"):
        list(iter_jsonl_records(["\n", "  \n", '{"text": \n']))
    with pytest.raises(ValueError, match=r"^line 1: expected a JSON object, found list"):
        list(iter_jsonl_records(["[1, 2]\n"]))
