"""The dataset JSONL format: one document per line, its spans inside (see DESIGN.md).

Other programs parse these files, so key names and key order are fixed here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, TextIO

from annotator.core.model import SpanError, check_span

from .records import ExportNotes, Record, Rejected, iter_json_lines

DOCUMENT_KEYS: tuple[str, ...] = ("id", "title", "source", "published", "sha256", "text", "spans")
SPAN_KEYS: tuple[str, ...] = (
    "start",
    "end",
    "label",
    "text",
    "error_type",
    "correction",
    "note",
    "value",
    "entity",
    "annotator",
    "origin",
    "status",
)
_REQUIRED_SPAN_KEYS = ("start", "end", "label", "text")

# JSON allows these raw inside strings, but str.splitlines() and several JSONL readers treat
# them as line ends, which would split one record in two. Escaping them is always valid JSON.
_LINE_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    return value


def _iso_date(value: dt.date | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat()


def span_record(span: Any) -> dict[str, Any]:
    """A span as the dataset writes it. ``span`` is a core ``Span``; a mapping such as a
    SQLAlchemy row's ``_mapping`` (missing optional fields become null); or a sequence of
    plain values in SPAN_KEYS order, the fast path for rows straight from the database."""
    if type(span) is tuple:  # the export's hot path: isinstance against ABCs costs more
        return dict(zip(SPAN_KEYS, span, strict=True))
    if isinstance(span, Mapping):
        record = {key: _plain(span.get(key)) for key in SPAN_KEYS}
        for key in _REQUIRED_SPAN_KEYS:
            if record[key] is None:
                raise KeyError(key)
        return record
    if isinstance(span, Sequence) and not isinstance(span, str):
        return dict(zip(SPAN_KEYS, span, strict=True))
    return {key: _plain(getattr(span, key)) for key in SPAN_KEYS}


def document_record(
    *,
    id: int,
    title: str,
    source: str | None,
    published: dt.date | str | None,
    sha256: str,
    text: str,
    spans: Iterable[Any] = (),
) -> dict[str, Any]:
    """A document with its spans, keys in the contract's order; ``published`` as an ISO date."""
    return {
        "id": id,
        "title": title,
        "source": source,
        "published": _iso_date(published),
        "sha256": sha256,
        "text": text,
        "spans": [span_record(span) for span in spans],
    }


def dumps_line(record: Mapping[str, Any]) -> str:
    """One record as one line of UTF-8 JSON, without the trailing newline."""
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in _LINE_SEPARATORS.items():
        if raw in line:
            line = line.replace(raw, escaped)
    return line


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_record(record: object) -> None:
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, found {type(record).__name__}")
    for key in ("text", "spans"):
        if key not in record:
            raise ValueError(f"missing key {key!r}")
    text, spans = record["text"], record["spans"]
    if not isinstance(text, str):
        raise ValueError("'text' is not a string")
    if not isinstance(spans, list):
        raise ValueError("'spans' is not a list")
    for number, span in enumerate(spans):
        where = f"span {number}"
        if not isinstance(span, dict):
            raise ValueError(f"{where}: expected a JSON object")
        missing = [key for key in _REQUIRED_SPAN_KEYS if key not in span]
        if missing:
            raise ValueError(f"{where}: missing key {', '.join(map(repr, missing))}")
        if not (_is_int(span["start"]) and _is_int(span["end"])):
            raise ValueError(f"{where}: 'start' and 'end' must be integers")
        if not isinstance(span["label"], str) or not span["label"]:
            raise ValueError(f"{where}: 'label' must be a non-empty string")
        if not isinstance(span["text"], str):
            raise ValueError(f"{where}: 'text' is not a string")
        try:
            check_span(text, span["start"], span["end"], span["text"])
        except SpanError as exc:
            raise ValueError(f"{where}: {exc}") from None


def iter_jsonl_records(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Parse and validate dataset lines one at a time (constant memory); blank lines are
    skipped, unknown keys kept for the caller to ignore. Raises ValueError naming the line
    (and the record's id when it has one)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"line {number}: not valid JSON ({exc.msg}, column {exc.colno})"
            ) from None
        try:
            _check_record(record)
        except ValueError as exc:
            ident = record.get("id") if isinstance(record, dict) else None
            named = f" (record {ident!r})" if ident is not None else ""
            raise ValueError(f"line {number}{named}: {exc}") from None
        yield record


class JsonlWriter:
    """The native dataset (a RecordWriter): one record per line, exactly as given."""

    def __init__(self, fh: TextIO, *, tagset: object = None) -> None:
        self._fh = fh

    def write(self, record: Mapping[str, Any]) -> None:
        self._fh.write(dumps_line(record))
        self._fh.write("\n")

    def finish(self) -> ExportNotes:
        return ExportNotes()


def iter_native_records(lines: Iterable[str], *, name: str) -> Iterator[Record | Rejected]:
    """Dataset lines as records for import: a line that is not valid JSON or whose spans do
    not fit its text becomes a ``Rejected`` naming the file and line, and the next line is
    read (``iter_jsonl_records`` stops at the first, which suits checking a gold file)."""
    for item in iter_json_lines(lines, name=name):
        if isinstance(item, Rejected):
            yield item
            continue
        _line, where, record = item
        try:
            _check_record(record)
        except ValueError as exc:
            yield Rejected(where, str(exc))
            continue
        yield record
