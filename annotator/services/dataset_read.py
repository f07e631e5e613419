"""Telling which dataset format a file is, and opening it as a stream of records.

A .jsonl file is annotator's own dataset or doccano's, told apart by its first record; a .json
file is Label Studio's; a folder (or a file) with .ann files is brat. Progress is counted in
bytes read (files for brat, documents for an XMI zip or .xmi file), so a long import shows how
far it has got.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from annotator.core.formats.records import Notice, Record, Rejected

#: Read this much of a .jsonl file to tell native records from doccano ones.
_SNIFF_BYTES = 1 << 20


class NotADataset(ValueError):
    """A file given (or forced) as a dataset that is not one; the message says why."""


def detect_format(path: Path) -> str | None:
    """The dataset format of ``path``, or None when it is an article file or a folder of
    articles. Raises NotADataset for a .json/.jsonl file that is neither format."""
    if path.is_dir():
        return "brat" if next(path.rglob("*.ann"), None) is not None else None
    from .database_read import is_sqlite_file

    if is_sqlite_file(path):
        return "database"
    suffix = path.suffix.lower()
    if suffix == ".ann":
        return "brat"
    if suffix == ".xmi":
        return "xmi"
    if suffix == ".zip":
        from annotator.core.formats.xmi_read import is_xmi_zip

        return "xmi" if is_xmi_zip(path) else None
    if suffix == ".json":
        return "labelstudio"
    if suffix not in (".jsonl", ".ndjson"):
        return None
    with path.open("rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    for raw in head.splitlines():
        if not raw.strip():
            continue
        try:
            first = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise NotADataset(f"{path}: the first line is not a JSON record") from None
        if (
            isinstance(first, dict)
            and isinstance(first.get("spans"), list)
            and not any(key in first for key in ("label", "labels", "entities"))
        ):
            return "jsonl"
        if isinstance(first, dict) and any(k in first for k in ("label", "labels", "entities")):
            return "doccano"
        raise NotADataset(
            f"{path}: neither annotator's dataset (text and spans) nor doccano's "
            "(text and label) records"
        )
    raise NotADataset(f"{path}: the file is empty")


class open_records:
    """Open ``path`` as ``format``: yields (records, progress) where progress() returns
    (done, total) in bytes, or in files for a brat folder."""

    def __init__(self, path: Path, format: str) -> None:
        self._path = path
        self._format = format
        self._fh: BinaryIO | None = None

    def __enter__(self) -> tuple[Iterator[Record | Rejected | Notice], Any]:
        path, fmt = self._path, self._format
        if fmt == "brat":
            from annotator.core.formats.brat_read import iter_brat_records

            total = sum(1 for _ in path.rglob("*.ann")) if path.is_dir() else 1
            counter = {"n": 0}

            def counted() -> Iterator[Record | Rejected]:
                for item in iter_brat_records(path):
                    counter["n"] += 1
                    yield item

            return counted(), lambda: (min(counter["n"], total), total)
        if fmt == "xmi":
            from annotator.core.formats.xmi_read import iter_xmi_records, xmi_entry_count

            total = xmi_entry_count(path)
            read = {"n": 0}

            def counted_xmi() -> Iterator[Record | Rejected]:
                for item in iter_xmi_records(path):
                    read["n"] += 1
                    yield item

            return counted_xmi(), lambda: (min(read["n"], total), total)
        if fmt == "database":
            from .database_read import iter_database_records

            seen = {"done": 0, "total": 1}
            return (
                iter_database_records(path, seen),
                lambda: (seen["done"], max(seen["total"], seen["done"], 1)),
            )
        try:
            self._fh = fh = path.open("rb")
        except OSError as exc:
            raise NotADataset(f"{path}: {exc.strerror or exc}") from None
        total = max(1, path.stat().st_size)

        def progress() -> tuple[int, int]:
            return min(fh.tell(), total), total

        name = path.name
        if fmt == "labelstudio":
            from annotator.core.formats.labelstudio import iter_labelstudio_records

            return iter_labelstudio_records(fh, name=name), progress
        lines = _utf8_lines(fh)
        if fmt == "doccano":
            from annotator.core.formats.doccano import iter_doccano_records

            return iter_doccano_records(lines, name=name), progress
        from annotator.core.formats.jsonl import iter_native_records

        return iter_native_records(lines, name=name), progress

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()


def _utf8_lines(fh: BinaryIO) -> Iterator[str]:
    # Bytes, decoded line by line: the file position then tells the progress, and a BOM from
    # a Windows editor is dropped instead of breaking the first record.
    text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="\n")
    try:
        yield from text
    finally:
        text.detach()
