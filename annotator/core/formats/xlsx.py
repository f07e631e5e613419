"""The spreadsheet export (.xlsx): the CSV export's rows and columns, typed.

A CSV opened in Excel or LibreOffice is guessed at cell by cell: "July 7" or "1993-05-13" in a
span's text becomes a date, "3:29" a time, "1e5" a number, and the fact-checker's evidence is
silently changed. Here every text cell is stored as a string and formatted as Text (number
format ``@``), so it stays what it is even when someone edits it; document ids and offsets are
numbers, so they sort and sum. Text cells get the CSV export's formula neutralisation too (a
leading ``=``, ``+``, ``-``, ``@``, tab or CR escaped with ``'``): a string cell is never
evaluated as stored, but it would be once a user edits it or saves the sheet as CSV.

Written with openpyxl's write-only workbook, which streams rows to disk: a corpus of any size
exports in constant memory. A cell holds at most 32,767 characters and no control characters
(the file format's limits); a longer text is cut and a control character replaced by U+FFFD,
each with a note, since the offsets then no longer describe the cell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

from .csvfmt import CSV_HEADER, csv_row
from .records import ExportNotes

#: Excel's limit on the characters in one cell.
MAX_CELL_CHARS = 32_767
_NUMERIC = frozenset({"document_id", "start", "end"})
_WIDTHS = {"title": 40, "source": 40, "text": 30, "note": 50, "correction": 25}


class XlsxWriter:
    """The .xlsx export as a RecordWriter, into the binary file ``fh``."""

    def __init__(self, fh: BinaryIO, *, tagset: object = None) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._fh = fh
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("spans")
        self._cell = WriteOnlyCell
        self._notes = ExportNotes()
        self._cut = self._replaced = 0
        for index, name in enumerate(CSV_HEADER, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 14)
        self._sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for name in CSV_HEADER:
            cell = self._text_cell(name)
            cell.font = bold
            header.append(cell)
        self._sheet.append(header)

    def write(self, record: Mapping[str, Any]) -> None:
        for span in record["spans"]:
            values = csv_row(
                document_id=record["id"], title=record["title"], source=record["source"], span=span
            )
            self._sheet.append(
                [
                    self._cell(self._sheet, value=value)
                    if name in _NUMERIC
                    else self._text_cell(str(value))
                    for name, value in zip(CSV_HEADER, values, strict=True)
                ]
            )

    def finish(self) -> ExportNotes:
        self._book.save(self._fh)
        if self._replaced:
            self._notes.add(
                f"{self._replaced} cells held control characters a spreadsheet "
                "cannot store; they were replaced by \ufffd"
            )
        if self._cut:
            self._notes.add(
                f"{self._cut} cells were longer than {MAX_CELL_CHARS} characters "
                "(a spreadsheet's limit) and were cut"
            )
        return self._notes

    def _text_cell(self, value: str) -> Any:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cleaned = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if cleaned != value:
            self._replaced += 1
        if len(cleaned) > MAX_CELL_CHARS:
            cleaned = cleaned[:MAX_CELL_CHARS]
            self._cut += 1
        cell = self._cell(self._sheet, value=cleaned or None)
        if cleaned:
            # openpyxl reads a string starting with "=" as a formula; a text cell never is one.
            cell.data_type = "s"
        cell.number_format = "@"
        return cell
