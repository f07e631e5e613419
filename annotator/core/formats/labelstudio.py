"""Label Studio JSON tasks, both ways, plus the labelling config that loads them unchanged.

Label Studio (https://labelstud.io) imports a JSON array of tasks: ``data`` holds what is shown,
``annotations`` what people have labelled, ``predictions`` what a model suggested. We write one
task per document: accepted spans become the annotation, pending suggestions a prediction
(``model_version`` "annotator-suggestions") that the reviewer accepts or fixes in Label Studio.
An error's type, correction and note are per-region results (``choices`` and ``textarea``
items sharing the region's ``id``), the way Label Studio stores ``perRegion`` controls; create
the project with ``labelstudio_config(tagset)`` so those controls exist.

Label Studio replaces task ids with its own on import, so our document id travels as
``data.annotator_id``; span fields Label Studio has no control for (value, entity, annotator,
origin) travel in ``data.annotator_meta`` keyed by region id and are restored only while the
region still has the same offsets and label. Offsets are code points, which is what Label
Studio's Text tag counts, so emoji and accents need no conversion.

Reading streams the export with ``ijson`` in constant memory: tasks come out one at a time. A
task that cannot be imported becomes a ``Rejected``; a file that is not valid JSON stops the
read with a ValueError, since nothing after a syntax error can be trusted.

Checked against Label Studio 1.23.2: the config is accepted and tasks, annotations and
predictions import and export back unchanged. Its quick JSON export lists predictions by id
only, which carries no suggestion back (the reader says so with a ``Notice``); export a
snapshot with predictions in full (``serialization_options.predictions.only_id=false``) and
all tasks (``download_all_tasks=true``) to bring everything back. Annotations are written with
``ground_truth`` false, as a person's ordinary work; Label Studio would otherwise mark them as
ground truth on import.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, BinaryIO, TextIO
from xml.sax.saxutils import quoteattr

import ijson

from annotator.core.formats.jsonl import SPAN_KEYS, dumps_line
from annotator.core.formats.records import (
    ExportNotes,
    Notice,
    Record,
    Rejected,
    carried_metadata,
)
from annotator.core.tagset import Tagset

MODEL_VERSION = "annotator-suggestions"
_LABELS, _TEXT = "label", "text"
_ERROR_TYPE, _TEXT_FIELDS = "error_type", ("correction", "note")
_META_FIELDS = ("value", "entity", "annotator", "origin")


def labelstudio_config(tagset: Tagset) -> str:
    """The labelling config (XML) for a project that imports our tasks: one ``Labels`` control
    named "label" over a ``Text`` named "text", plus per-region error type choices and
    correction/note text areas when the tagset declares them."""
    labels = "\n".join(
        # No alias: Label Studio would write the alias, not the key, into the results.
        f"    <Label value={quoteattr(label.key)} hint={quoteattr(label.name)} "
        f"background={quoteattr(label.color)}/>"
        for label in tagset.labels
    )
    parts = [
        "<View>",
        # Without pre-wrap Label Studio collapses line breaks on screen (offsets still count them).
        "  <Style>.htx-text { white-space: pre-wrap; }</Style>",
        f'  <Labels name="{_LABELS}" toName="{_TEXT}">',
        labels,
        "  </Labels>",
        f'  <Text name="{_TEXT}" value="$text"/>',
    ]
    error_labels = [label for label in tagset.labels if label.has_error_fields]
    when = quoteattr(",".join(label.key for label in error_labels))
    error_types = list(dict.fromkeys(t for label in error_labels for t in label.error_types))
    if error_types:
        parts.append(
            f'  <Choices name="{_ERROR_TYPE}" toName="{_TEXT}" perRegion="true" '
            f'choice="single" visibleWhen="region-selected" whenLabelValue={when}>'
        )
        parts.extend(f"    <Choice value={quoteattr(value)}/>" for value in error_types)
        parts.append("  </Choices>")
    attributes = {name for label in error_labels for name in label.text_attributes}
    for name in _TEXT_FIELDS:
        if name in attributes:
            parts.append(
                f'  <TextArea name="{name}" toName="{_TEXT}" perRegion="true" editable="true" '
                f'maxSubmissions="1" rows="2" placeholder={quoteattr(name.capitalize())}/>'
            )
    parts.append("</View>")
    return "\n".join(parts) + "\n"


class LabelStudioWriter:
    """Write one JSON array of Label Studio tasks, streamed: ``[`` on the first write, tasks
    separated by ``,\\n``, ``]`` in ``finish`` (an empty corpus gives ``[]``).

    With a ``tagset`` the notes name labels and error types the config will not know, which
    Label Studio would refuse on import."""

    def __init__(self, fh: TextIO, *, tagset: Tagset | None = None) -> None:
        self._fh = fh
        self._tagset = tagset
        self._count = 0
        self._unknown_labels: set[str] = set()
        self._unknown_error_types: set[str] = set()

    def write(self, record: Mapping[str, Any]) -> None:
        self._fh.write("[\n" if self._count == 0 else ",\n")
        self._fh.write(dumps_line(self._task(record)))
        self._count += 1

    def finish(self) -> ExportNotes:
        self._fh.write("[]\n" if self._count == 0 else "\n]\n")
        notes = ExportNotes()
        if self._unknown_labels:
            notes.add(
                "Label Studio: label(s) not in the tagset and so not in the labeling config; "
                "Label Studio imports them but cannot show or edit them: "
                f"{', '.join(sorted(self._unknown_labels))}"
            )
        if self._unknown_error_types:
            notes.add(
                "Label Studio: error type(s) not in the tagset and so not in the labeling "
                "config; Label Studio imports them but cannot show or edit them: "
                f"{', '.join(sorted(self._unknown_error_types))}"
            )
        return notes

    def _task(self, record: Mapping[str, Any]) -> dict[str, Any]:
        accepted: list[dict[str, Any]] = []
        pending: list[dict[str, Any]] = []
        meta: dict[str, dict[str, Any]] = {}
        for number, span in enumerate(record.get("spans") or (), start=1):
            region = f"s{number}"
            self._check_tagset(span)
            is_pending = span.get("status") == "pending"
            origin = "prediction" if is_pending or span.get("origin") == "suggested" else "manual"
            (pending if is_pending else accepted).extend(_results(region, span, origin))
            meta[region] = {key: span.get(key) for key in ("start", "end", "label")}
            meta[region].update({key: span.get(key) for key in _META_FIELDS})
        data = {
            "text": record["text"],
            "title": record.get("title"),
            "source": record.get("source"),
            "published": record.get("published"),
            "sha256": record.get("sha256"),
            "annotator_id": record.get("id"),
            "annotator_meta": meta,
        }
        task: dict[str, Any] = {"id": record.get("id"), "data": data}
        task["annotations"] = [{"result": accepted, "ground_truth": False}] if accepted else []
        task["predictions"] = (
            [{"model_version": MODEL_VERSION, "result": pending}] if pending else []
        )
        return task

    def _check_tagset(self, span: Mapping[str, Any]) -> None:
        if self._tagset is None:
            return
        label = self._tagset.get(span["label"])
        if label is None:
            self._unknown_labels.add(span["label"])
        error_type = span.get("error_type")
        if error_type is not None and (label is None or error_type not in label.error_types):
            self._unknown_error_types.add(error_type)


def _results(region: str, span: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    where = {"start": span["start"], "end": span["end"]}

    def item(from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": region,
            "from_name": from_name,
            "to_name": _TEXT,
            "type": kind,
            "value": {**where, **value},
            "origin": origin,
        }

    items = [item(_LABELS, "labels", {"text": span["text"], "labels": [span["label"]]})]
    if span.get("error_type") is not None:
        items.append(
            item(_ERROR_TYPE, "choices", {"text": span["text"], "choices": [span["error_type"]]})
        )
    for name in _TEXT_FIELDS:
        if span.get(name) is not None:
            # A textarea's value.text is the typed text (a list), as Label Studio stores it.
            items.append(item(name, "textarea", {"text": [span[name]]}))
    return items


def iter_labelstudio_records(fh: BinaryIO, *, name: str) -> Iterator[Record | Rejected | Notice]:
    """Read a Label Studio JSON export (a JSON array of tasks) one task at a time.

    Text comes from ``data.text`` (else the first string in ``data``); spans from the first
    annotation that was not cancelled (accepted) and from every prediction (pending, unless an
    accepted span already covers the same offsets and label). A task whose regions do not fit
    its text becomes a ``Rejected`` naming the task. Raises ValueError naming ``name`` when the
    file is not a JSON array or not valid JSON; records before the fault have been yielded."""
    events = ijson.parse(fh, use_float=True)
    warned = False
    try:
        first = next(events, None)
        if first is None or first[1] != "start_array":
            raise ValueError("expected a JSON array of Label Studio tasks")
        for position, task in enumerate(
            ijson.items(itertools.chain([first], events), "item"), start=1
        ):
            ident = task.get("id") if isinstance(task, dict) else None
            where = f"{name} task {ident if ident is not None else f'#{position}'}"
            if (
                not warned
                and isinstance(task, dict)
                and any(not isinstance(p, dict) for p in _list(task.get("predictions")))
            ):
                warned = True
                yield Notice(
                    name,
                    "Label Studio exported the suggestions (predictions) as ids "
                    "only, so they are not imported; export a snapshot with full "
                    "predictions to bring them too",
                )
            try:
                yield _task_record(task)
            except ValueError as exc:
                yield Rejected(where, str(exc))
    except ijson.JSONError as exc:
        detail = " ".join(str(exc).split())
        raise ValueError(f"not valid JSON ({detail})") from None


def _task_record(task: object) -> Record:
    if not isinstance(task, dict):
        raise ValueError(f"expected a task object, found {type(task).__name__}")
    data = task.get("data")
    if not isinstance(data, dict):
        raise ValueError("the task has no 'data' object")
    text = data.get("text")
    if not isinstance(text, str):
        text = next((value for value in data.values() if isinstance(value, str)), None)
    if text is None:
        raise ValueError("the task's data holds no text")
    meta = data.get("annotator_meta")
    meta = meta if isinstance(meta, dict) else {}
    annotation = next(
        (
            a
            for a in _list(task.get("annotations"))
            if isinstance(a, dict) and not a.get("was_cancelled")
        ),
        None,
    )
    spans: list[dict[str, Any]] = []
    if annotation is not None:
        spans.extend(_spans(_list(annotation.get("result")), text, meta, "accepted"))
    accepted = {(s["start"], s["end"], s["label"]) for s in spans}
    for prediction in _list(task.get("predictions")):
        if not isinstance(prediction, dict):
            continue
        for span in _spans(_list(prediction.get("result")), text, meta, "pending"):
            key = (span["start"], span["end"], span["label"])
            if key not in accepted:
                accepted.add(key)
                spans.append(span)
    spans.sort(key=lambda span: (span["start"], span["end"]))
    record: Record = {}
    if _as_int(data.get("annotator_id")) is not None:
        record["id"] = _as_int(data["annotator_id"])
    record.update(carried_metadata(data, fallback_title=f"Task {task.get('id')}"))
    record["text"] = text
    record["spans"] = spans
    return record


def _spans(
    results: list[Any], text: str, meta: Mapping[str, Any], status: str
) -> Iterator[dict[str, Any]]:
    """Regions of one annotation or prediction: ``labels`` items make the spans, ``choices`` and
    ``textarea`` items with the same region id fill in the error fields."""
    extras: dict[str, dict[str, Any]] = {}
    regions: list[dict[str, Any]] = []
    for item in results:
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            continue
        kind, from_name, value = item.get("type"), item.get("from_name"), item["value"]
        region = str(item.get("id"))
        if kind == "labels":
            regions.append(item)
        elif kind == "choices" and from_name == _ERROR_TYPE and _list(value.get("choices")):
            extras.setdefault(region, {})["error_type"] = str(value["choices"][0])
        elif kind == "textarea" and from_name in _TEXT_FIELDS:
            typed = [str(line) for line in _list(value.get("text"))]
            if typed:
                extras.setdefault(region, {})[from_name] = "\n".join(typed)
    for item in regions:
        value, region = item["value"], str(item.get("id"))
        start, end = _as_int(value.get("start")), _as_int(value.get("end"))
        if start is None or end is None:
            raise ValueError(f"region {region}: start and end must be integers")
        if not 0 <= start < end <= len(text):
            raise ValueError(
                f"region {region}: {start}:{end} lies outside the text (length {len(text)})"
            )
        quoted = value.get("text")
        if isinstance(quoted, str) and quoted != text[start:end]:
            raise ValueError(
                f"region {region}: {start}:{end} reads {text[start:end]!r} in the text, "
                f"not {quoted!r}"
            )
        for label in _list(value.get("labels")):
            if not isinstance(label, str) or not label:
                continue
            span: dict[str, Any] = dict.fromkeys(SPAN_KEYS)
            span.update(start=start, end=end, label=label, text=text[start:end], status=status)
            predicted = status == "pending" or item.get("origin") in (
                "prediction",
                "prediction-changed",
            )
            span["origin"] = "suggested" if predicted else "manual"
            span.update(extras.get(region, {}))
            span.update(_saved_fields(meta.get(region), start, end, label))
            yield span


def _saved_fields(saved: object, start: int, end: int, label: str) -> dict[str, str]:
    """Our fields for a region, if the region is still the one we wrote: a region the user moved
    or relabelled in Label Studio keeps its id, and its old value or entity would be wrong."""
    if not isinstance(saved, dict) or (saved.get("start"), saved.get("end")) != (start, end):
        return {}
    if saved.get("label") != label:
        return {}
    fields = {key: saved[key] for key in _META_FIELDS if isinstance(saved.get(key), str)}
    if fields.get("origin") not in (None, "manual", "suggested"):
        del fields["origin"]
    return fields


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_int(value: object) -> int | None:
    """ijson gives floats (or Decimals) for numbers written with a fraction; 12.0 is still 12."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return None
