"""doccano sequence-labelling JSONL, both ways.

doccano (https://github.com/doccano/doccano) imports "JSONL" files for a sequence-labelling project
by reading ``text`` and ``label`` (a list of ``[start, end, label]``) and keeping every other key
as the example's metadata; its export writes the metadata back beside ``text`` and ``label``. We
ride on that: besides the label triples each line carries the native fields (id, title, source,
published, sha256) and the full native ``spans``, so a corpus that goes to doccano and comes back
loses nothing doccano cannot show (error type, correction, note, value, entity, annotator).

What the user should expect in doccano: one example per document, the *accepted* spans as labels.
Pending suggestions are not shown (doccano has no notion of a suggestion) but travel in the
metadata and come back as pending. On the way back the label triples are the truth: a triple
that matches a native span (same start, end and label) gets that span's fields; a native accepted
span with no triple was deleted in doccano and is dropped; a new triple becomes a plain manual
span. A label that falls outside its text rejects the line rather than being guessed at.

Offsets. doccano stores the numbers it is given, but its annotation page counts UTF-16 code
units (JavaScript string indices; with the project's grapheme mode off, the default), so the
label triples are written and read in UTF-16 units: a span after an emoji then sits on the
right word in doccano, and one drawn there comes back on the right characters. The native
``spans`` metadata stays in code points, like every other dataset of ours. For text without
characters beyond the Basic Multilingual Plane the two are the same numbers.

Checked against doccano 1.8.4: a sequence-labelling project with "Allow overlapping entity"
imports every line unchanged (texts, labels, metadata) and its export comes back field for
field. Without that option doccano drops overlapping spans silently, so the export notes how
many overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO, TypeGuard

from annotator.core.formats.jsonl import SPAN_KEYS, dumps_line
from annotator.core.formats.records import (
    ExportNotes,
    Record,
    Rejected,
    carried_metadata,
    iter_json_lines,
)
from annotator.core.offsets import OffsetMap
from annotator.core.tagset import Tagset

_STATUSES = ("accepted", "pending")
_ORIGINS = ("manual", "suggested")


class DoccanoWriter:
    """Write one doccano JSONL line per document (see the module docstring).

    ``tagset`` is accepted for the common writer signature only: doccano creates the labels it
    meets on import, so nothing here depends on it."""

    def __init__(self, fh: TextIO, *, tagset: Tagset | None = None) -> None:
        self._fh = fh
        self._tagset = tagset
        self._pending = 0
        self._overlapping = 0

    def write(self, record: Mapping[str, Any]) -> None:
        spans = list(record.get("spans") or ())
        accepted = [span for span in spans if span.get("status", "accepted") == "accepted"]
        offsets = OffsetMap(record["text"])
        labels = [
            [offsets.to_utf16(span["start"]), offsets.to_utf16(span["end"]), span["label"]]
            for span in accepted
        ]
        self._pending += len(spans) - len(labels)
        self._overlapping += _overlapping(accepted)
        line = {
            "text": record["text"],
            "label": labels,
            "id": record.get("id"),
            "title": record.get("title"),
            "source": record.get("source"),
            "published": record.get("published"),
            "sha256": record.get("sha256"),
            "spans": [{key: span.get(key) for key in SPAN_KEYS} for span in spans],
        }
        self._fh.write(dumps_line(line) + "\n")

    def finish(self) -> ExportNotes:
        notes = ExportNotes()
        if self._pending:
            notes.add(
                f"doccano shows accepted spans only: {self._pending} pending suggestion(s) "
                "travel in the 'spans' metadata and come back as pending on import"
            )
        if self._overlapping:
            notes.add(
                f"{self._overlapping} span(s) overlap another: create the doccano project with "
                "'Allow overlapping entity' on, or doccano drops them without a word"
            )
        return notes


def iter_doccano_records(lines: Iterable[str], *, name: str) -> Iterator[Record | Rejected]:
    """Read a doccano sequence-labelling export one line at a time (constant memory).

    Accepts ``label`` or ``labels`` as ``[start, end, label]`` triples, or ``entities`` as
    ``{"start_offset", "end_offset", "label"}`` objects (what projects with relations export).
    A line that cannot be imported becomes a ``Rejected`` naming the file, the line and the
    record id, and reading goes on with the next line. Blank lines are skipped.

    The record ``id`` is passed on only when the line carries our native ``spans`` metadata:
    a plain doccano export's ``id`` is doccano's example number, not one of ours."""
    for item in iter_json_lines(lines, name=name):
        if isinstance(item, Rejected):
            yield item
            continue
        line, where, data = item
        try:
            yield _record(data, fallback_title=line)
        except ValueError as exc:
            yield Rejected(where, str(exc))


def _record(data: object, *, fallback_title: str) -> Record:
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, found {type(data).__name__}")
    text = data.get("text", data.get("data"))
    if not isinstance(text, str):
        raise ValueError("missing 'text' (a string)")
    triples = _label_triples(data, text)
    native = data.get("spans")
    record: Record = {}
    if native is not None:
        if not isinstance(native, list):
            raise ValueError("'spans' metadata is not a list")
        if _is_int(data.get("id")):
            record["id"] = data["id"]
    record.update(carried_metadata(data, fallback_title=fallback_title))
    record["text"] = text
    spans = _merge(text, triples, native or [])
    spans.sort(key=lambda span: (span["start"], span["end"]))
    record["spans"] = spans
    return record


def _overlapping(spans: list[Mapping[str, Any]]) -> int:
    """How many spans overlap one that starts before them (spans sorted by start)."""
    count, reach = 0, -1
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if span["start"] < reach:
            count += 1
        reach = max(reach, span["end"])
    return count


def _label_triples(data: Mapping[str, Any], text: str) -> list[tuple[int, int, str]]:
    offsets = OffsetMap(text)
    if "entities" in data and "label" not in data and "labels" not in data:
        raw = data["entities"]
        if not isinstance(raw, list):
            raise ValueError("'entities' is not a list")
        triples = []
        for number, entity in enumerate(raw, start=1):
            if not isinstance(entity, dict):
                raise ValueError(f"entity {number}: expected an object")
            triple = (entity.get("start_offset"), entity.get("end_offset"), entity.get("label"))
            triples.append(_checked_triple(number, triple, offsets))
        return triples
    raw = data.get("label", data.get("labels", []))
    if not isinstance(raw, list):
        raise ValueError("'label' is not a list")
    triples = []
    for number, item in enumerate(raw, start=1):
        # A text-classification project exports bare strings: not something we can anchor.
        if not isinstance(item, list) or len(item) != 3:
            raise ValueError(f"label {number}: expected [start, end, label], found {item!r}")
        triples.append(_checked_triple(number, tuple(item), offsets))
    return triples


def _checked_triple(
    number: int, triple: tuple[Any, ...], offsets: OffsetMap
) -> tuple[int, int, str]:
    """A label triple in code points; doccano's numbers are UTF-16 units (module docstring)."""
    start, end, label = triple
    if not (_is_int(start) and _is_int(end)):
        raise ValueError(f"label {number}: start and end must be integers")
    if not 0 <= start < end <= offsets.utf16_length:
        raise ValueError(
            f"label {number}: span {start}:{end} lies outside the text "
            f"(length {offsets.utf16_length} in UTF-16 units)"
        )
    if not isinstance(label, str) or not label:
        raise ValueError(f"label {number}: the label must be a non-empty string")
    cp_start, cp_end = offsets.from_utf16(start), offsets.from_utf16(end)
    if offsets.to_utf16(cp_start) != start or offsets.to_utf16(cp_end) != end:
        raise ValueError(
            f"label {number}: span {start}:{end} splits an emoji or other character in two"
        )
    return cp_start, cp_end, label


def _merge(
    text: str, triples: list[tuple[int, int, str]], native: list[Any]
) -> list[dict[str, Any]]:
    """Label triples are what the user sees in doccano, so they decide which spans exist; the
    native metadata only restores fields doccano cannot hold (see the module docstring)."""
    by_key: dict[tuple[int, int, str], dict[str, Any]] = {}
    pending: list[dict[str, Any]] = []
    for number, span in enumerate(native, start=1):
        if isinstance(span, dict) and span.get("status") == "rejected":
            continue  # never exported by us; a foreign file's rejections stay rejected
        checked = _checked_native(number, span, text)
        if checked["status"] == "pending":
            pending.append(checked)
        by_key.setdefault((checked["start"], checked["end"], checked["label"]), checked)
    spans: list[dict[str, Any]] = []
    seen: set[tuple[int, int, str]] = set()
    for start, end, label in triples:
        key = (start, end, label)
        if key in seen:
            continue
        seen.add(key)
        match = by_key.get(key)
        if match is not None:
            spans.append({**match, "status": "accepted"})
        else:
            spans.append(_plain_span(text, start, end, label))
    spans.extend(s for s in pending if (s["start"], s["end"], s["label"]) not in seen)
    return spans


def _checked_native(number: int, span: object, text: str) -> dict[str, Any]:
    where = f"span {number} in 'spans' metadata"
    if not isinstance(span, dict):
        raise ValueError(f"{where}: expected an object")
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not (_is_int(start) and _is_int(end)):
        raise ValueError(f"{where}: start and end must be integers")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{where}: {start}:{end} lies outside the text (length {len(text)})")
    if not isinstance(label, str) or not label:
        raise ValueError(f"{where}: the label must be a non-empty string")
    if "text" in span and span["text"] != text[start:end]:
        raise ValueError(
            f"{where}: {start}:{end} reads {text[start:end]!r} in the text, not {span['text']!r}"
        )
    checked = {key: span.get(key) for key in SPAN_KEYS}
    checked["text"] = text[start:end]
    for key in ("error_type", "correction", "note", "value", "entity", "annotator"):
        if checked[key] is not None and not isinstance(checked[key], str):
            checked[key] = str(checked[key])
    if checked["origin"] not in _ORIGINS:
        checked["origin"] = "manual"
    if checked["status"] not in _STATUSES:
        checked["status"] = "accepted"
    return checked


def _plain_span(text: str, start: int, end: int, label: str) -> dict[str, Any]:
    span: dict[str, Any] = dict.fromkeys(SPAN_KEYS)
    span.update(start=start, end=end, label=label, text=text[start:end])
    span.update(origin="manual", status="accepted")
    return span


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
