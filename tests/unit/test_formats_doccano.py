"""doccano JSONL: what doccano reads, and what comes back from doccano's export."""

from __future__ import annotations

import io
import json

from format_samples import TEXT as SAMPLE_TEXT
from format_samples import sample_spans, span_in

from annotator.core.formats.doccano import DoccanoWriter, iter_doccano_records
from annotator.core.formats.jsonl import document_record
from annotator.core.formats.records import Rejected
from annotator.core.model import Span, SpanStatus

TEXT = SAMPLE_TEXT


def _span(needle: str, label: str, **fields) -> Span:
    return span_in(TEXT, needle, label, **fields)


SPANS = sample_spans(TEXT)


def _record(id: int = 7, spans=SPANS, text: str = TEXT) -> dict:
    return document_record(
        id=id,
        title="Hocker wins in Paris",
        source="https://example.com/paris-1500",
        published="2024-08-06",
        sha256=f"{id:02d}" * 32,
        text=text,
        spans=spans,
    )


def _write(records) -> tuple[str, list[str]]:
    out = io.StringIO()
    writer = DoccanoWriter(out)
    for record in records:
        writer.write(record)
    return out.getvalue(), writer.finish().messages


def _read(content: str, name: str = "corpus.jsonl") -> list:
    return list(iter_doccano_records(io.StringIO(content), name=name))


def test_write_then_read_gives_back_every_field_of_every_span():
    records = [_record(7), _record(8, spans=[])]
    content, _ = _write(records)
    back = _read(content)
    assert back == records
    assert back[0]["spans"][0]["status"] == "pending"


def test_each_document_is_one_line_doccano_can_import():
    content, _ = _write([_record(7), _record(8, spans=[])])
    lines = content.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["text"] == TEXT

    # doccano shows the accepted spans; the pending suggestion stays out of "label".
    # Its page counts UTF-16 units (JavaScript indices): the runner emoji before every span
    # takes two, so each triple sits one unit after the code-point offset.
    def utf16(needle: str) -> list[int]:
        start = len(TEXT[: TEXT.index(needle)].encode("utf-16-le")) // 2
        return [start, start + len(needle)]

    assert first["label"] == [
        [*utf16("1500 m"), "event"],
        [*utf16("6 August 2024"), "date"],
        [*utf16("Ingebrigsten"), "error"],
    ]
    start = TEXT.index("Ingebrigsten")
    assert utf16("Ingebrigsten")[0] == start + 1
    # The native metadata keeps code points, like every other dataset.
    [error] = [s for s in first["spans"] if s["label"] == "error"]
    assert (error["start"], TEXT[error["start"] : error["end"]]) == (start, "Ingebrigsten")
    assert json.loads(lines[1])["label"] == []


def test_a_label_that_splits_an_emoji_is_refused_and_overlaps_are_noted():
    text = "🏃 Kerr won."
    line = {"text": text, "label": [[1, 7, "athlete"]]}  # starts inside the emoji's pair
    [rejected] = _read(json.dumps(line, ensure_ascii=False))
    assert isinstance(rejected, Rejected) and "splits an emoji" in rejected.reason
    [ok] = _read(json.dumps({"text": text, "label": [[3, 7, "athlete"]]}, ensure_ascii=False))
    assert ok["spans"][0]["text"] == "Kerr"

    nested = [s for s in SPANS if s.status == SpanStatus.ACCEPTED]
    inner = Span(
        start=nested[-1].start,
        end=nested[-1].start + 5,
        label="athlete",
        text=TEXT[nested[-1].start : nested[-1].start + 5],
    )
    _, notes = _write([_record(8, spans=[*nested, inner])])
    assert any("1 span(s) overlap" in note and "Allow overlapping" in note for note in notes)


def test_pending_suggestions_left_out_of_the_labels_are_reported():
    _, notes = _write([_record(7)])
    assert len(notes) == 1 and "1 pending suggestion" in notes[0]
    _, no_notes = _write([_record(8, spans=[SPANS[1]])])
    assert no_notes == []


def test_an_empty_corpus_writes_nothing_and_reads_nothing():
    content, notes = _write([])
    assert content == "" and notes == []
    assert _read("") == []
    assert _read("\n  \n") == []


def test_a_plain_doccano_export_becomes_manual_accepted_spans():
    line = {"id": 3, "text": "Faith Kipyegon won.", "label": [[0, 14, "athlete"]], "Comments": []}
    [record] = _read(json.dumps(line) + "\n")
    assert record["text"] == "Faith Kipyegon won."
    # Without our metadata doccano's id is its own example number, not one of ours.
    assert "id" not in record and "sha256" not in record
    assert record["title"] == "corpus.jsonl line 1"
    [span] = record["spans"]
    assert (span["start"], span["end"], span["label"], span["text"]) == (
        0,
        14,
        "athlete",
        "Faith Kipyegon",
    )
    assert (span["origin"], span["status"], span["error_type"]) == ("manual", "accepted", None)


def test_entities_and_labels_keys_are_read_too():
    entities = {
        "text": "Nordås ran in Oslo.",
        "entities": [
            {"id": 9, "label": "event", "start_offset": 14, "end_offset": 18},
            {"id": 8, "label": "athlete", "start_offset": 0, "end_offset": 6},
        ],
        "relations": [],
    }
    labels = {"text": "Nordås ran.", "labels": [[0, 6, "athlete"]]}
    first, second = _read(json.dumps(entities, ensure_ascii=False) + "\n" + json.dumps(labels))
    assert [(s["start"], s["text"]) for s in first["spans"]] == [(0, "Nordås"), (14, "Oslo")]
    assert second["spans"][0]["text"] == "Nordås"


def test_bad_lines_are_rejected_by_line_and_record_while_later_lines_come_through():
    good = json.loads(_write([_record(7)])[0])
    mismatched = json.loads(_write([_record(9)])[0])
    mismatched["spans"][1]["text"] = "1600 m"
    lines = [
        "{not json",
        json.dumps({"label": []}),
        json.dumps({"id": 5, "text": "short", "label": [[2, 40, "athlete"]]}),
        json.dumps(mismatched, ensure_ascii=False),
        "",
        json.dumps({"text": "x", "label": [[0, 1]]}),
        json.dumps(good, ensure_ascii=False),
    ]
    results = _read("\n".join(lines) + "\n", name="edited.jsonl")
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert [r.where for r in rejected] == [
        "edited.jsonl line 1",
        "edited.jsonl line 2",
        "edited.jsonl line 3 (record 5)",
        "edited.jsonl line 4 (record 9)",
        "edited.jsonl line 6",
    ]
    assert "not valid JSON" in rejected[0].reason
    assert "text" in rejected[1].reason
    assert "outside the text" in rejected[2].reason
    assert "'1500 m'" in rejected[3].reason and "'1600 m'" in rejected[3].reason
    assert "[start, end, label]" in rejected[4].reason
    assert results[-1] == _record(7)


def test_edits_made_in_doccano_win_over_the_metadata():
    line = json.loads(_write([_record(7)])[0])
    # doccano's numbers are UTF-16 units: one more than code points after the emoji.
    hocker = TEXT.index("Cole Hocker") + 1
    paris = TEXT.index("Paris") + 1
    # The reviewer deleted the event, confirmed the pending suggestion and tagged Paris.
    line["label"] = [
        [hocker, hocker + 11, "athlete"],
        *[triple for triple in line["label"] if triple[2] != "event"],
        [paris, paris + 5, "event"],
    ]
    [record] = _read(json.dumps(line, ensure_ascii=False))
    by_text = {span["text"]: span for span in record["spans"]}
    assert "1500 m" not in by_text
    assert by_text["Cole Hocker"]["status"] == "accepted"
    assert by_text["Cole Hocker"]["entity"] == "kb:hocker"  # our fields survive the review
    assert by_text["Paris"]["origin"] == "manual" and by_text["Paris"]["annotator"] is None
    assert by_text["Ingebrigsten"]["correction"] == "Ingebrigtsen"
    assert [s["start"] for s in record["spans"]] == sorted(s["start"] for s in record["spans"])
