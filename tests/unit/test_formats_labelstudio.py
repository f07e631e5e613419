"""Label Studio tasks: the file Label Studio imports, its config, and reading its exports."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from format_samples import TEXT as SAMPLE_TEXT
from format_samples import sample_spans, span_in

from annotator.core.formats.jsonl import document_record
from annotator.core.formats.labelstudio import (
    MODEL_VERSION,
    LabelStudioWriter,
    iter_labelstudio_records,
    labelstudio_config,
)
from annotator.core.formats.records import Notice, Rejected
from annotator.core.model import Span
from annotator.core.tagset import load_tagset

# The sample article with a line break, and a note over two lines.
TEXT = SAMPLE_TEXT.replace("2024. ", "2024.\n")


def _span(needle: str, label: str, **fields) -> Span:
    return span_in(TEXT, needle, label, **fields)


SPANS = sample_spans(TEXT, note="World Athletics profile\nsecond line")


def _record(id: int = 7, spans=SPANS) -> dict:
    return document_record(
        id=id,
        title=f"Document {id}",
        source=None,
        published=None if id % 2 else "2024-08-06",
        sha256=f"{id:02d}" * 32,
        text=TEXT,
        spans=spans,
    )


def _write(records, tagset=None) -> tuple[bytes, list[str]]:
    out = io.StringIO()
    writer = LabelStudioWriter(out, tagset=tagset)
    for record in records:
        writer.write(record)
    notes = writer.finish().messages
    return out.getvalue().encode("utf-8"), notes


def _read(content: bytes | str, name: str = "export.json") -> list:
    if isinstance(content, str):
        content = content.encode("utf-8")
    return list(iter_labelstudio_records(io.BytesIO(content), name=name))


def test_write_then_stream_read_gives_back_every_field_of_every_span():
    records = [_record(7), _record(8, spans=[]), _record(9, spans=SPANS[1:2])]
    content, _ = _write(records)
    assert _read(content) == records


def test_the_file_is_one_json_array_of_tasks_in_label_studio_shape():
    content, _ = _write([_record(7), _record(8, spans=[])])
    tasks = json.loads(content)
    assert [task["id"] for task in tasks] == [7, 8]
    task = tasks[0]
    assert task["data"]["text"] == TEXT
    assert task["data"]["annotator_id"] == 7  # Label Studio replaces the task id on import
    [annotation] = task["annotations"]
    # Label Studio marks imported annotations as ground truth unless told otherwise.
    assert annotation["ground_truth"] is False
    [prediction] = task["predictions"]
    assert prediction["model_version"] == MODEL_VERSION
    assert [r["value"]["text"] for r in prediction["result"]] == ["Cole Hocker"]
    start = TEXT.index("Ingebrigsten")
    error_items = [r for r in annotation["result"] if r["value"]["start"] == start]
    # One region: the label and its per-region error fields share the region id.
    assert {r["id"] for r in error_items} == {"s4"}
    assert [(r["type"], r["from_name"]) for r in error_items] == [
        ("labels", "label"),
        ("choices", "error_type"),
        ("textarea", "correction"),
        ("textarea", "note"),
    ]
    assert error_items[0]["value"] == {
        "start": start,
        "end": start + 12,
        "text": "Ingebrigsten",
        "labels": ["error"],
    }
    assert error_items[1]["value"]["choices"] == ["misspelled_name"]
    assert error_items[2]["value"]["text"] == ["Ingebrigtsen"]
    assert all(r["to_name"] == "text" for r in annotation["result"])
    regions = [r for r in annotation["result"] if r["type"] == "labels"]
    origins = {r["value"]["text"]: r["origin"] for r in regions}
    assert origins == {"1500 m": "manual", "6 August 2024": "prediction", "Ingebrigsten": "manual"}
    assert tasks[1]["annotations"] == [] and tasks[1]["predictions"] == []


def test_predictions_exported_as_ids_only_are_named_once_and_the_tasks_still_import():
    # Label Studio's quick JSON export lists each task's predictions by id.
    content, _ = _write([_record(7), _record(9)])
    tasks = json.loads(content)
    for number, task in enumerate(tasks, start=1):
        task["predictions"] = [number]
    items = _read(json.dumps(tasks), name="quick.json")
    notices = [item for item in items if isinstance(item, Notice)]
    records = [item for item in items if isinstance(item, dict)]
    assert len(notices) == 1 and notices[0].where == "quick.json"
    assert "ids only" in notices[0].message
    assert len(records) == 2
    assert all(span["status"] == "accepted" for r in records for span in r["spans"])


def test_an_empty_corpus_is_an_empty_array():
    content, notes = _write([])
    assert json.loads(content) == [] and notes == []
    assert _read(content) == []


def test_the_config_declares_every_control_the_tasks_use():
    tagset = load_tagset()
    root = ET.fromstring(labelstudio_config(tagset))
    assert root.tag == "View"
    text = root.find("Text")
    assert text is not None and text.get("value") == "$text"
    labels = root.find("Labels")
    assert labels is not None and labels.get("toName") == text.get("name")
    assert [(el.get("value"), el.get("background")) for el in labels] == [
        (label.key, label.color) for label in tagset.labels
    ]
    choices = root.find("Choices")
    assert choices is not None and choices.get("perRegion") == "true"
    assert [el.get("value") for el in choices] == list(tagset["error"].error_types)
    areas = {el.get("name"): el for el in root.findall("TextArea")}
    assert set(areas) == {"correction", "note"}
    assert all(el.get("perRegion") == "true" for el in areas.values())
    # Every result the writer emits names a control of this config and its label/choice values.
    controls = {el.get("name"): el for el in root if el.get("toName")}
    content, _ = _write([_record(7)])
    for task in json.loads(content):
        blocks = task["annotations"] + task["predictions"]
        for item in [result for block in blocks for result in block["result"]]:
            control = controls[item["from_name"]]
            assert control.get("toName") == item["to_name"]
            allowed = {el.get("value") for el in control}
            for value in item["value"].get("labels", []) + item["value"].get("choices", []):
                assert value in allowed


def test_labels_the_config_does_not_know_are_noted():
    odd = Span(start=0, end=1, label="venue", text=TEXT[0], error_type="typo")
    _, notes = _write([_record(7, spans=[odd])], tagset=load_tagset())
    assert len(notes) == 2
    assert "venue" in notes[0] and "typo" in notes[1]
    _, quiet = _write([_record(7)], tagset=load_tagset())
    assert quiet == []


# A task as Label Studio's "JSON" export writes it (trimmed of timestamps).
EXPORTED_TASK = {
    "id": 41,
    "annotations": [
        {"id": 90, "completed_by": 1, "result": [], "was_cancelled": True},
        {
            "id": 91,
            "completed_by": 1,
            "result": [
                {
                    "value": {
                        "start": 0,
                        "end": 14,
                        "text": "Faith Kipyegon",
                        "labels": ["athlete"],
                    },
                    "id": "a1B2c3",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": "manual",
                },
                {
                    "value": {"start": 23, "end": 29, "text": "1501 m", "labels": ["error"]},
                    "id": "Zx9",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                    "origin": "manual",
                },
                {
                    "value": {
                        "start": 23,
                        "end": 29,
                        "text": "1501 m",
                        "choices": ["wrong_number"],
                    },
                    "id": "Zx9",
                    "from_name": "error_type",
                    "to_name": "text",
                    "type": "choices",
                    "origin": "manual",
                },
                {
                    "value": {"start": 23, "end": 29, "text": ["1500 m"]},
                    "id": "Zx9",
                    "from_name": "correction",
                    "to_name": "text",
                    "type": "textarea",
                    "origin": "manual",
                },
            ],
            "was_cancelled": False,
            "ground_truth": False,
            "lead_time": 12.5,
            "task": 41,
        },
    ],
    "predictions": [
        {
            "id": 5,
            "model_version": "ner-v2",
            "score": 0.87,
            "result": [
                {
                    "value": {"start": 0, "end": 14, "labels": ["athlete"]},
                    "id": "p1",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                },
                {
                    "value": {"start": 33, "end": 38, "labels": ["event"]},
                    "id": "p2",
                    "from_name": "label",
                    "to_name": "text",
                    "type": "labels",
                },
            ],
        }
    ],
    "data": {"text": "Faith Kipyegon won the 1501 m in Paris."},
    "meta": {},
    "project": 3,
}


def test_a_task_exported_by_label_studio_is_read():
    [record] = _read(json.dumps([EXPORTED_TASK]))
    assert "id" not in record  # Label Studio's task id is not one of our document ids
    assert record["title"] == "Task 41"
    assert record["text"] == "Faith Kipyegon won the 1501 m in Paris."
    summary = [
        (s["text"], s["label"], s["status"], s["origin"], s["error_type"], s["correction"])
        for s in record["spans"]
    ]
    # The cancelled annotation is skipped; the prediction that repeats Kipyegon is not doubled.
    assert summary == [
        ("Faith Kipyegon", "athlete", "accepted", "manual", None, None),
        ("1501 m", "error", "accepted", "manual", "wrong_number", "1500 m"),
        ("Paris", "event", "pending", "suggested", None, None),
    ]


def test_text_falls_back_to_the_first_string_in_data_and_offsets_may_be_floats():
    task = {
        "id": 2,
        "data": {"article": "Kerr took silver.", "n": 3},
        "annotations": [
            {
                "result": [
                    {
                        "id": "r",
                        "type": "labels",
                        "from_name": "ner",
                        "to_name": "article",
                        "value": {"start": 0.0, "end": 4.0, "labels": ["athlete"]},
                    }
                ]
            }
        ],
    }
    [record] = _read(json.dumps([task]))
    assert record["text"] == "Kerr took silver."
    assert [(s["start"], s["end"], s["text"]) for s in record["spans"]] == [(0, 4, "Kerr")]


def test_a_region_that_does_not_fit_its_text_rejects_that_task_only():
    content, _ = _write([_record(7), _record(8, spans=SPANS[1:2])])
    tasks = json.loads(content)
    tasks[0]["annotations"][0]["result"][0]["value"]["text"] = "1600 m"
    broken = {"id": 12, "data": {"text": "short"}, "annotations": [{"result": [
        {"id": "x", "type": "labels", "from_name": "label", "to_name": "text",
         "value": {"start": 2, "end": 50, "labels": ["athlete"]}}]}]}  # fmt: skip
    results = _read(json.dumps([tasks[0], broken, "not a task", tasks[1]]), name="ls.json")
    assert [str(r) for r in results[:3]] == [
        "ls.json task 7: region s2: 42:48 reads '1500 m' in the text, not '1600 m'",
        "ls.json task 12: region x: 2:50 lies outside the text (length 5)",
        "ls.json task #3: expected a task object, found str",
    ]
    assert all(isinstance(r, Rejected) for r in results[:3])
    assert results[3] == _record(8, spans=SPANS[1:2])


def test_reading_streams_tasks_before_a_syntax_error_stops_it():
    content, _ = _write([_record(7), _record(8, spans=[])])
    truncated = content[: content.rindex(b'{"id":8')] + b'{"id": 8, "data": {"text": '
    reader = iter_labelstudio_records(io.BytesIO(truncated), name="cut.json")
    assert next(reader) == _record(7)  # yielded before the rest of the file was parsed
    with pytest.raises(ValueError, match=r"^not valid JSON"):
        next(reader)


@pytest.mark.parametrize("content", [b"", b'{"data": {"text": "x"}}', b"[1, 2"])
def test_a_file_that_is_not_a_json_array_is_a_clear_error(content):
    with pytest.raises(ValueError, match=r"^(not valid JSON|expected a JSON array)"):
        _read(content, name="bad.json")
