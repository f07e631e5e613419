"""The brat standoff format: file names, .txt/.ann/.conf content, the writer -> reader round
trip, and a reader that rejects one bad document without losing the others."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from annotator.core.formats.brat import (
    DOCUMENTS_FILE,
    BratWriter,
    escape_note,
    format_note,
    parse_note,
    safe_stem,
    unescape_note,
)
from annotator.core.formats.brat_read import iter_brat_records
from annotator.core.formats.jsonl import SPAN_KEYS
from annotator.core.formats.records import Rejected
from annotator.core.tagset import load_tagset

TEXT = "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in Rome.\nOn 6 August\n2024 he ran 3:43.73."
#: Every span field brat files carry (annotator and origin they do not).
CARRIED = tuple(key for key in SPAN_KEYS if key not in ("annotator", "origin"))


def span(text: str, needle: str, label: str, **fields: Any) -> dict[str, Any]:
    start = text.index(needle)
    record = dict.fromkeys(("error_type", "correction", "note", "value", "entity", "annotator"))
    record.update(start=start, end=start + len(needle), label=label, text=needle)
    record.update(origin="manual", status="accepted")
    record.update(fields)
    return record


def document(spans: list[dict[str, Any]], text: str = TEXT, **fields: Any) -> dict[str, Any]:
    record = {"id": 12, "title": "Nordås wins in Rome", "source": None, "published": None}
    record.update(sha256="0" * 64, text=text)
    record["spans"] = sorted(spans, key=lambda s: (s["start"], s["end"]))
    record.update(fields)
    return record


def sample() -> dict[str, Any]:
    return document(
        [
            span(TEXT, "Narve Gilje Nordås", "athlete"),
            span(TEXT, "Jakob Ingebrigsten", "athlete", entity="Q1234"),
            span(
                TEXT,
                "Ingebrigsten",
                "error",
                error_type="misspelled_name",
                correction="Ingebrigtsen",
                note="World Athletics profile | see \\ notes\nline 2",
            ),
            span(TEXT, "Rome", "event", status="pending", origin="suggested"),
            span(TEXT, "6 August\n2024", "date", value="2024-08-06"),
        ]
    )


def export(folder: Path, *records: dict[str, Any]) -> list[str]:
    writer = BratWriter(folder, tagset=load_tagset())
    for record in records:
        writer.write(record)
    return writer.finish().messages


def carried(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: s[key] for key in CARRIED} for s in spans]


# --- file names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id", "title", "stem"),
    [
        (12, "Nordås wins in Rome", "000012-Nordas-wins-in-Rome"),
        (1, "../../etc/passwd", "000001-etc-passwd"),
        (2, "C:\\Windows\\x", "000002-C-Windows-x"),
        (3, "con", "000003-con"),
        (None, "con", "con_"),
        (None, "COM1", "COM1_"),
        (None, "Lpt¹", "Lpt1_"),  # NFKD folds the superscript into a reserved name
        (4, "", "000004"),
        (None, "", "document"),
        (None, None, "document"),
        (5, "🏃‍♀️🏅", "000005"),
        (6, ".hidden..", "000006-hidden"),
        (7, "a\x00b/c", "000007-a-b-c"),
        (8, "Ærøskøbing Łódź straße", "000008-AEroskobing-Lodz-strasse"),
        (1234567, "Oslo", "1234567-Oslo"),
    ],
)
def test_safe_stem(id, title, stem):
    assert safe_stem(id, title) == stem


def test_a_long_title_is_cut_at_a_word_boundary():
    stem = safe_stem(9, "Jakob Ingebrigtsen " * 20)
    assert stem.startswith("000009-Jakob-Ingebrigtsen-")
    assert len(stem) <= len("000009-") + 60
    assert not stem.endswith("-")
    assert safe_stem(9, "x" * 200) == "000009-" + "x" * 60


def test_documents_that_sanitise_alike_get_distinct_files(tmp_path):
    records = [
        document([], id=None, title="Nordås"),
        document([], id=None, title="nordas"),  # a clash on a case-insensitive disk
        document([], id=None, title="Nordås"),
        document([], id=3, title="Oslo"),
        document([], id=3, title="Oslo"),
    ]
    export(tmp_path, *records)
    names = sorted(p.name for p in tmp_path.glob("*.txt"))
    assert names == [
        "000003-Oslo-2.txt",
        "000003-Oslo.txt",
        "Nordas-3.txt",
        "Nordas.txt",
        "nordas-2.txt",
    ]


def test_the_writer_refuses_to_follow_a_symlink_out_of_its_folder(tmp_path):
    folder, outside = tmp_path / "brat", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_text("keep me", encoding="utf-8")
    os.symlink(outside, folder / "000012-Nordas-wins-in-Rome.txt")
    with pytest.raises(ValueError, match="outside"):
        export(folder, sample())
    assert outside.read_text(encoding="utf-8") == "keep me"


# --- what the files hold ---------------------------------------------------------------


def test_txt_and_ann_content(tmp_path):
    assert export(tmp_path, sample()) == []
    txt = tmp_path / "000012-Nordas-wins-in-Rome.txt"
    assert txt.read_bytes() == TEXT.encode("utf-8")
    ann = (tmp_path / "000012-Nordas-wins-in-Rome.ann").read_text(encoding="utf-8")
    # Code-point offsets: the emoji is 4 code points, "Nordås" 6.
    assert ann == (
        "T1\tathlete 5 23\tNarve Gilje Nordås\n"
        "T2\tathlete 29 47\tJakob Ingebrigsten\n"
        "#1\tAnnotatorNotes T2\tEntity: Q1234\n"
        "T3\terror 35 47\tIngebrigsten\n"
        "A1\tError_type T3 misspelled_name\n"
        "#2\tAnnotatorNotes T3\tCorrection: Ingebrigtsen | "
        "Note: World Athletics profile \\| see \\\\ notes\\nline 2\n"
        "T4\tevent 51 55\tRome\n"
        "A2\tStatus T4 pending\n"
        "T5\tdate 60 68;69 73\t6 August 2024\n"
        "#3\tAnnotatorNotes T5\tValue: 2024-08-06\n"
    )


def test_annotation_conf_describes_the_tagset(tmp_path):
    export(tmp_path, sample())
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8")
    assert conf.splitlines()[1:] == [
        "[entities]",
        "athlete",
        "event",
        "date",
        "error",
        "",
        "[relations]",
        "# Spans may overlap and nest (an error inside an athlete's name).",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
        "Error_type\tArg:error, Value:misspelled_name|misspelling|wrong_date|wrong_number"
        "|wrong_fact|other",
        "Status\tArg:<ENTITY>, Value:pending",
    ]
    visual = (tmp_path / "visual.conf").read_text(encoding="utf-8").splitlines()
    assert "athlete | Athlete" in visual
    assert "athlete\tbgColor:#4e79a7, fgColor:white, borderColor:darken" in visual
    assert "date\tbgColor:#edc948, fgColor:black, borderColor:darken" in visual
    assert visual.index("[labels]") < visual.index("[drawing]")


def test_labels_and_values_beyond_the_tagset_are_declared(tmp_path):
    extra = document(
        [
            span(TEXT, "Rome", "venue", error_type="wrong_city", status="rejected"),
        ]
    )
    export(tmp_path, extra)
    conf = (tmp_path / "annotation.conf").read_text(encoding="utf-8").splitlines()
    assert conf[conf.index("[entities]") + 5] == "venue"
    assert (
        "Error_type\tArg:error|venue, Value:misspelled_name|misspelling|wrong_date|"
        "wrong_number|wrong_fact|other|wrong_city" in conf
    )
    assert "Status\tArg:<ENTITY>, Value:pending|rejected" in conf


def test_spans_brat_cannot_hold_are_reported(tmp_path):
    text = "Warholm\n\nwon in Oslo.\n"
    notes = export(
        tmp_path,
        document(
            [
                span(text, "\n\n", "event"),
                span(text, "Oslo.\n", "event"),
                span(text, "Warholm", "athlete name"),
                span(text, "won", "error", error_type="wrong fact"),
            ],
            text=text,
        ),
    )
    doc = "document 12 'Nordås wins in Rome'"
    assert notes == [
        f"{doc}: span 0:7 'Warholm' (athlete name) has a label brat cannot store — not in the "
        "brat files",
        f"{doc}: span 7:9 ' ' (event) is only line breaks — not in the brat files",
        f"{doc}: span 9:12 'won' (error) has error type 'wrong fact', which brat cannot store "
        "— left out",
        f"{doc}: span 16:22 'Oslo. ' (event) starts or ends with a line break — written 16:21",
    ]
    ann = (tmp_path / "000012-Nordas-wins-in-Rome.ann").read_text(encoding="utf-8")
    assert ann == "T1\terror 9 12\twon\nT2\tevent 16 21\tOslo.\n"


def test_a_trailing_newline_never_sneaks_into_a_label_or_attribute(tmp_path):
    text = "Warholm won."
    notes = export(
        tmp_path,
        document(
            [span(text, "Warholm", "athlete\n"), span(text, "won", "error", error_type="other\n")],
            text=text,
        ),
    )
    assert len(notes) == 2
    ann = (tmp_path / "000012-Nordas-wins-in-Rome.ann").read_text(encoding="utf-8")
    assert ann == "T1\terror 8 11\twon\n"


# --- notes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["plain", "", " padded ", "a | b", "back\\slash", "\\n literal", "tab\tcr\r", "ls\u2028ps"],
)
def test_note_escape_round_trips(value):
    escaped = escape_note(value)
    assert not any(char in escaped for char in "\n\r\t\u2028\u2029")
    assert unescape_note(escaped) == value
    fields = {"correction": value, "note": value, "value": None, "entity": value}
    assert parse_note(format_note(fields)) == {k: v for k, v in fields.items() if v is not None}


def test_a_note_typed_in_brat_is_kept_whole():
    typed = "checked against the KB | twice"
    assert parse_note(typed) == {"note": typed}
    assert parse_note("Note: seen C:\\x") == {"note": "seen C:\\x"}
    assert parse_note("Note: a | Note: b") == {"note": "Note: a | Note: b"}


# --- round trip and reader ------------------------------------------------------------------


def test_write_then_read_gives_back_text_and_every_field_brat_carries(tmp_path):
    crlf_text = "Warholm won\r\nin Oslo on\r\n1 June."
    crlf = document(
        [
            span(crlf_text, "Warholm", "athlete", note="a\r\nb", correction=""),
            span(crlf_text, "Oslo on\r\n1 June", "date", status="pending"),
        ],
        text=crlf_text,
        id=13,
        title="CRLF",
    )
    records = [sample(), crlf]
    records[0]["spans"][0].update(annotator="ana", origin="suggested")
    records[0]["published"] = "2025-06-06"
    assert export(tmp_path, *records) == []
    read = list(iter_brat_records(tmp_path))
    # documents.jsonl beside the brat files brings back what brat has no place for.
    for original, back in zip(records, read, strict=True):
        assert back["text"] == original["text"]
        assert carried(back["spans"]) == carried(original["spans"])
        for key in ("title", "source", "published", "sha256"):
            assert back[key] == original[key]
        assert [(s["annotator"], s["origin"]) for s in back["spans"]] == [
            (s["annotator"], s["origin"]) for s in original["spans"]
        ]

    # Without it (a collection edited elsewhere) the .ann files alone still read back.
    (tmp_path / DOCUMENTS_FILE).unlink()
    read = list(iter_brat_records(tmp_path))
    assert [r["title"] for r in read] == ["Nordas-wins-in-Rome", "CRLF"]
    for original, back in zip(records, read, strict=True):
        assert back["text"] == original["text"]
        assert carried(back["spans"]) == carried(original["spans"])
    assert read[0]["source"] == "000012-Nordas-wins-in-Rome.txt"
    assert [s["origin"] for s in read[0]["spans"]] == ["manual"] * 3 + ["suggested", "manual"]


def brat_pair(folder: Path, stem: str, text: str, ann: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{stem}.ann").write_bytes(ann.encode("utf-8"))


def test_a_mismatched_t_line_rejects_its_document_and_the_others_come_through(tmp_path):
    brat_pair(tmp_path, "a-good", "Warholm won.", "T1\tathlete 0 7\tWarholm\n")
    brat_pair(
        tmp_path / "sub",
        "b-bad",
        "Warholm won.",
        "T1\tathlete 0 7\tWarholm\nT2\tathlete 0 5\tWarholm\nA1\tStatus T1 pending\n",
    )
    brat_pair(tmp_path, "c-outside", "Short.", "T1\tevent 3 40\tort.\n")
    (tmp_path / "d-orphan.ann").write_text("T1\tevent 0 1\tx\n", encoding="utf-8")
    brat_pair(tmp_path, "e-good", "Oslo.", "T1\tevent 0 4\tOslo\n")
    read = list(iter_brat_records(tmp_path))
    assert [r["title"] if isinstance(r, dict) else r.where for r in read] == [
        "a-good",
        "c-outside.ann line 1",
        "d-orphan.ann",
        "e-good",
        "sub/b-bad.ann line 2",
    ]
    assert read[1].reason == "T1: offsets 3 40 lie outside the text (length 6)"
    assert read[2].reason == "no matching .txt file"
    assert str(read[4]) == "sub/b-bad.ann line 2: T2: the text reads 'Warho' there, not 'Warholm'"
    assert read[3]["spans"][0]["text"] == "Oslo"


def test_the_reader_keeps_crlf_text_as_brat_counted_it(tmp_path):
    text = "Line one\r\nWarholm won\r\n"
    start = text.index("Warholm")
    brat_pair(tmp_path, "crlf", text, f"T1\tathlete {start} {start + 7}\tWarholm\r\n")
    (record,) = iter_brat_records(tmp_path / "crlf.ann")
    assert record["text"] == text
    assert (record["spans"][0]["start"], record["spans"][0]["text"]) == (10, "Warholm")


def test_fragments_must_each_match_and_become_one_span(tmp_path):
    text = "On 6 August\n2024 he won."
    brat_pair(tmp_path, "ok", text, "T1\tdate 3 11;12 16\t6 August 2024\n")
    brat_pair(tmp_path, "wrong", text, "T1\tdate 3 11;12 16\t6 August\n")
    ok, wrong = iter_brat_records(tmp_path)
    assert (ok["spans"][0]["start"], ok["spans"][0]["end"]) == (3, 16)
    assert ok["spans"][0]["text"] == "6 August\n2024"
    assert isinstance(wrong, Rejected) and wrong.where == "wrong.ann line 1"


def test_other_annotations_are_ignored_and_attributes_may_come_first(tmp_path):
    ann = (
        "A1\tError_type T2 wrong_number\n"
        "T1\tathlete 0 7\tWarholm\n"
        "T2\terror 12 17\t45.94\n"
        "R1\tSame Arg1:T1 Arg2:T2\n"
        "E1\tWin:T1\n"
        "A2\tNegation E1\n"
        "A3\tConfidence T1 high\n"
        "N1\tReference T1 Wikidata:Q123\tKarsten Warholm\n"
        "*\tEquiv T1 T2\n"
        "#1\tAnnotatorNotes T2\tthe record is 45.94\n"
        "#2\tAnnotatorNotes R1\tabout a relation\n"
        "\n"
    )
    brat_pair(tmp_path, "000042-Warholm-record", "Warholm ran 45.94 in Tokyo.", ann)
    (record,) = iter_brat_records(tmp_path)
    assert record["title"] == "Warholm-record"
    assert carried(record["spans"]) == [
        {
            "start": 0, "end": 7, "label": "athlete", "text": "Warholm", "error_type": None,
            "correction": None, "note": None, "value": None, "entity": None, "status": "accepted",
        },
        {
            "start": 12, "end": 17, "label": "error", "text": "45.94",
            "error_type": "wrong_number", "correction": None, "note": "the record is 45.94",
            "value": None, "entity": None, "status": "accepted",
        },
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("ann", "reason"),
    [
        ("T1\tathlete 0 7\tWarholm\nA1\tStatus T9 pending\n", "refers to T9"),
        ("T1\tathlete 0 7\tWarholm\nA1\tStatus T1 maybe\n", "unknown status 'maybe'"),
        ("T1\tathlete 0 7\tWarholm\nT1\tevent 0 7\tWarholm\n", "T1 is defined twice"),
        ("T1\tathlete zero 7\tWarholm\n", "not a brat text-bound line"),
        ("T1\tathlete 0 7\tWarholm\nA1\tError_type T1\n", "needs one value"),
    ],
)
def test_malformed_documents_are_rejected_with_a_reason(tmp_path, ann, reason):
    brat_pair(tmp_path, "doc", "Warholm won.", ann)
    (result,) = iter_brat_records(tmp_path)
    assert isinstance(result, Rejected)
    assert reason in result.reason


def test_text_that_is_not_utf8_is_rejected(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Nordås".encode("latin-1"))
    (tmp_path / "latin.ann").write_text("", encoding="utf-8")
    (result,) = iter_brat_records(tmp_path)
    assert isinstance(result, Rejected) and "not UTF-8" in result.reason
