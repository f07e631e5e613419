"""What every dataset format exchanges with the rest of the program.

Exporters receive *native records*: the dicts ``document_record`` builds (the dataset JSONL
contract in DESIGN.md: id, title, source, published, sha256, text, spans), one document at a
time, in id order, so a corpus of any size streams through in constant memory.

Importers yield native records too (``id`` and ``sha256`` may be missing: the importer assigns
ids and hashes the text), or a ``Rejected`` for a record that cannot be imported, so one bad
record never stops the rest of a file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeGuard

from annotator.core.model import SpanError, check_span
from annotator.core.tagset import Tagset

#: A native record (see module docstring).
Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record an importer could not take. ``where`` names it for the user (a file and line,
    a task id, a brat file name); ``reason`` says what is wrong, in one line."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know about a file being imported that is not a fault of one
    record (a tool's export that left data out); the import goes on."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ExportNotes:
    """What an exporter could not carry as asked, for the user to read: a span that does not
    align with tokens, an overlap a format cannot express. Never silently dropped."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.messages.append(message)

    def __len__(self) -> int:
        return len(self.messages)


class RecordWriter(Protocol):
    """One export in progress. ``write`` takes native records in id order; ``finish`` writes
    whatever closes the file (a JSON array's bracket, a DocBin) and returns the notes."""

    def write(self, record: Mapping[str, Any]) -> None: ...

    def finish(self) -> ExportNotes: ...


def check_record_spans(text: str, spans: Iterable[Mapping[str, Any]]) -> None:
    """Raise SpanError naming the first span whose offsets do not fit ``text`` (or whose text
    differs from ``text[start:end]``). Spans are numbered from 1 in the message."""
    for number, span in enumerate(spans, start=1):
        start, end = span.get("start"), span.get("end")
        if not (_is_int(start) and _is_int(end)):
            raise SpanError(f"span {number}: start and end must be integers")
        try:
            check_span(text, start, end, span.get("text"))
        except SpanError as exc:
            raise SpanError(f"span {number} ({span.get('label')!s}): {exc}") from None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def error_labels(tagset: Tagset | None) -> frozenset[str]:
    """Labels whose spans are factual errors: ``error``, and any label the tagset gives error
    attributes (a type, a correction), so a user's own tagset works in error-only formats."""
    keys = {"error"}
    if tagset is not None:
        keys |= {label.key for label in tagset.labels if label.has_error_fields}
    return frozenset(keys)


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def carried_metadata(data: Mapping[str, Any], *, fallback_title: str) -> Record:
    """The native document fields another tool kept for us (title, source, published, sha256),
    checked: what is missing or malformed is left for the importer to fill in."""
    record: Record = {}
    title = data.get("title")
    record["title"] = title if isinstance(title, str) and title.strip() else fallback_title
    if "source" in data:  # ours; a record without one is named after its file on import
        source = data["source"]
        record["source"] = source if isinstance(source, str) and source else None
    record["published"] = iso_date_or_none(data.get("published"))
    sha = data.get("sha256")
    if isinstance(sha, str) and _SHA256.match(sha):
        record["sha256"] = sha
    return record


def iso_date_or_none(value: object) -> str | None:
    """An ISO date from another tool's metadata, or None: a malformed date must not stop an
    import or pass into the database as text."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def iter_json_lines(
    lines: Iterable[str], *, name: str
) -> Iterator[tuple[str, str, Any] | Rejected]:
    """(line, where, parsed value) for each non-blank line: ``line`` names the file and line,
    ``where`` adds the record's id when it has one (for messages); a line that is not JSON
    becomes a Rejected."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        line = f"{name} line {number}"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejected(line, f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        where = line
        if isinstance(data, dict) and data.get("id") is not None:
            where = f"{line} (record {data['id']!r})"
        yield line, where, data
