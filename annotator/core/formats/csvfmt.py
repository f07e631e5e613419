"""The CSV export: one row per span, for people who open datasets in a spreadsheet.

Article text and notes come from the web and from users, and a spreadsheet runs any cell that
starts like a formula (CSV injection). Text cells are therefore neutralised as OWASP advises;
numeric cells are written as numbers and left alone, so they still sort and sum.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from enum import Enum
from typing import Any, TextIO

from .records import ExportNotes

CSV_HEADER: tuple[str, ...] = (
    "document_id",
    "title",
    "source",
    "label",
    "start",
    "end",
    "text",
    "error_type",
    "correction",
    "note",
    "annotator",
    "status",
)

# OWASP "CSV Injection": cells starting with these are interpreted by Excel, LibreOffice or
# Google Sheets (tab and carriage return because some importers strip them and then see '=').
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """A text cell safe to open in a spreadsheet: a leading formula character is escaped with a
    single quote. None becomes an empty cell."""
    if cell is None:
        return ""
    text = str(cell.value if isinstance(cell, Enum) else cell)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_row(
    *,
    document_id: int,
    title: str,
    source: str | None,
    span: Any,
) -> list[object]:
    """One CSV row (in CSV_HEADER order) for a span of a document. ``span`` is a core ``Span``
    or a mapping with the same field names."""

    def get(key: str) -> Any:
        return span.get(key) if isinstance(span, Mapping) else getattr(span, key)

    return [
        int(document_id),
        neutralise(title),
        neutralise(source),
        neutralise(get("label")),
        int(get("start")),
        int(get("end")),
        neutralise(get("text")),
        neutralise(get("error_type")),
        neutralise(get("correction")),
        neutralise(get("note")),
        neutralise(get("annotator")),
        neutralise(get("status")),
    ]


class CsvWriter:
    """The CSV export as a RecordWriter: a header, then one row per span of each record.
    The file must be opened with ``newline=""``: the csv module writes its own line ends."""

    def __init__(self, fh: TextIO, *, tagset: object = None) -> None:
        self._writer = csv.writer(fh)
        self._writer.writerow(CSV_HEADER)

    def write(self, record: Mapping[str, Any]) -> None:
        self._writer.writerows(
            csv_row(
                document_id=record["id"], title=record["title"], source=record["source"], span=span
            )
            for span in record["spans"]
        )

    def finish(self) -> ExportNotes:
        return ExportNotes()
