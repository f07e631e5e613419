"""The dataset formats the program writes and reads, in one table for the CLI and the window.

Format modules are imported only when used: the window starts without loading a JSON-LD
writer, and the spaCy export needs spaCy installed only when someone asks for it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from annotator.core.formats.records import RecordWriter
from annotator.core.tagset import Tagset


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    #: What the window's format chooser shows.
    title: str
    #: The output's usual suffix; "" for a folder.
    suffix: str
    #: "text" (UTF-8), "binary" or "folder".
    kind: str
    #: "module:Class" of the RecordWriter, under annotator.core.formats.
    writer: str
    #: Whether the format can carry pending suggestions at all.
    carries_pending: bool = True

    def make_writer(self, target: Any, *, tagset: Tagset, **options: Any) -> RecordWriter:
        module, _, name = self.writer.partition(":")
        cls = getattr(importlib.import_module(f"annotator.core.formats.{module}"), name)
        return cls(target, tagset=tagset, **options)  # type: ignore[no-any-return]


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "jsonl",
            "Dataset JSONL (annotator's own, every field)",
            ".jsonl",
            "text",
            "jsonl:JsonlWriter",
        ),
        ExportFormat("csv", "CSV of spans (spreadsheets)", ".csv", "text", "csvfmt:CsvWriter"),
        ExportFormat(
            "doccano",
            "doccano JSONL (sequence labelling)",
            ".jsonl",
            "text",
            "doccano:DoccanoWriter",
        ),
        ExportFormat(
            "labelstudio",
            "Label Studio tasks (JSON)",
            ".json",
            "text",
            "labelstudio:LabelStudioWriter",
        ),
        ExportFormat(
            "spacy",
            "spaCy DocBin (.spacy, needs spaCy)",
            ".spacy",
            "binary",
            "spacy_docbin:SpacyWriter",
        ),
        ExportFormat("conll", "CoNLL-2003 (BIO tags)", ".conll", "text", "conll:ConllWriter"),
        ExportFormat(
            "brat", "brat standoff (a folder of .txt and .ann)", "", "folder", "brat:BratWriter"
        ),
        ExportFormat("w3c", "W3C Web Annotation (JSON-LD)", ".jsonld", "text", "w3c:W3CWriter"),
        ExportFormat(
            "claimreview",
            "ClaimReview for every error (schema.org JSON-LD)",
            ".jsonld",
            "text",
            "claimreview:ClaimReviewWriter",
            carries_pending=False,
        ),
        ExportFormat("report", "Fact-check report (HTML)", ".html", "text", "report:ReportWriter"),
        ExportFormat(
            "xmi", "INCEpTION / WebAnno (UIMA CAS XMI, a zip)", ".zip", "binary", "xmi:XmiWriter"
        ),
        ExportFormat(
            "xlsx",
            "Excel spreadsheet of spans (.xlsx, text kept as text)",
            ".xlsx",
            "binary",
            "xlsx:XlsxWriter",
        ),
    )
}

#: Formats ``annotator import`` reads besides article files.
IMPORT_FORMATS: tuple[str, ...] = ("jsonl", "doccano", "labelstudio", "brat", "database", "xmi")


def format_for_suffix(suffix: str) -> str | None:
    """The export format an output name implies, when only one format uses its suffix
    (.jsonl means the native dataset; doccano must be asked for)."""
    suffix = suffix.lower()
    special = {".jsonl": "jsonl", ".pdf": "report", ".htm": "report"}
    if suffix in special:
        return special[suffix]
    matches = [f.name for f in EXPORT_FORMATS.values() if f.suffix and f.suffix == suffix]
    return matches[0] if len(matches) == 1 else None
