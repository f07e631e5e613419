"""Dataset formats: plain values in, plain records out (no database, no files).

The services layer reads rows and writes files; these functions only decide what a record
looks like, so the contract in DESIGN.md lives in one place and is testable on its own.
"""

from .csvfmt import CSV_HEADER, csv_row, neutralise
from .jsonl import (
    DOCUMENT_KEYS,
    SPAN_KEYS,
    document_record,
    dumps_line,
    iter_jsonl_records,
    span_record,
)

__all__ = [
    "CSV_HEADER",
    "DOCUMENT_KEYS",
    "SPAN_KEYS",
    "csv_row",
    "document_record",
    "dumps_line",
    "iter_jsonl_records",
    "neutralise",
    "span_record",
]
