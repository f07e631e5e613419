"""UIMA CAS XMI for INCEpTION and WebAnno: one zip of ``TypeSystem.xml`` and one ``.xmi`` per
document. (Reading it back: xmi_read.py.)

Layout. INCEpTION's "UIMA CAS XMI (XML 1.0)" format (format id ``xmi``) exports each document
as a zip holding the ``.xmi`` and the type system, since an XMI file carries no type
definitions of its own; our zip is the same thing for a whole corpus: ``TypeSystem.xml`` at the
top, then ``000012-Title-slug.xmi`` per document (file names as the brat export makes them).
The XMI is the XML 1.0 flavour, the one cassis and most XML parsers read.

Types. A span is a ``webanno.custom.FactCheck`` annotation, with string features ``label``,
``error_type``, ``correction``, ``note``, ``value``, ``entity``, ``annotator``, ``origin`` and
``status``. The ``webanno.custom.`` prefix is what INCEpTION itself gives a span layer created
in its project settings (it names the type ``webanno.custom.`` + the layer's name without
spaces), and INCEpTION's XMI reader is lenient: annotations of a type the project has no layer
for are dropped. So a project with a span layer named "FactCheck" and string features of the
names above shows our spans, and a name of our own (``annotator.Span``) would never be seen.
UIMA has no enumerated string features that INCEpTION reads from a file, so the labels and
error types of the tagset are listed in the type system's descriptions, for the person who
sets up the layer. Document metadata is DKPro Core's ``DocumentMetaData`` (title, id and the
source as ``documentUri``), which INCEpTION reads; the published date and the sha256 of the
original bytes go in ``annotator.DocumentInfo``, which other tools ignore.

Offsets. UIMA counts UTF-16 code units (Java strings); our offsets count code points. cassis
converts both ways itself (its ``Utf16CodepointOffsetConverter``, since cassis 0.5):
we hand it code points, the file holds UTF-16 offsets, and reading gives code points back.

A document whose text holds characters XML 1.0 cannot carry (control characters other than tab
and line ends) cannot be written as XMI; it is left out with a note, never altered.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from typing import Any, BinaryIO

from ..tagset import Tagset
from .brat import safe_stem, unique_stem
from .conll import describe
from .jsonl import SPAN_KEYS
from .records import ExportNotes, check_record_spans

SPAN_TYPE = "webanno.custom.FactCheck"
DOCUMENT_META_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
DOCUMENT_INFO_TYPE = "annotator.DocumentInfo"
TYPE_SYSTEM_FILE = "TypeSystem.xml"
#: The span fields the XMI carries as features (start, end and text are the annotation's own).
SPAN_FEATURES: tuple[str, ...] = tuple(k for k in SPAN_KEYS if k not in ("start", "end", "text"))
_STRING = "uima.cas.String"
# DKPro Core's DocumentMetaData, feature for feature: a reader that merges type systems
# (INCEpTION, DKPro pipelines) refuses a type declared twice with different features.
_META_FEATURES = ("documentTitle", "documentId", "documentUri", "documentBaseUri", "collectionId")


def type_system(tagset: Tagset | None) -> Any:
    """The cassis TypeSystem of our export: the span type, DKPro's document metadata and our
    document info. The tagset's labels and error types are named in the descriptions."""
    from cassis import TypeSystem

    labels = ", ".join(label.key for label in tagset.labels) if tagset else ""
    error_types = (
        sorted({t for label in tagset.labels for t in label.error_types}) if tagset else []
    )
    ts = TypeSystem()
    span = ts.create_type(SPAN_TYPE, description="A span marked in annotator (a fact-check tag)")
    descriptions = {
        "label": f"The label: one of {labels}" if labels else "The label",
        "error_type": "For an error: one of " + ", ".join(error_types)
        if error_types
        else "For an error: its type",
        "correction": "For an error: what the text should say",
        "note": "The evidence or a remark",
        "value": "A normalised value (an ISO date for a date)",
        "entity": "The knowledge-base entry the span names",
        "annotator": "Who made the span",
        "origin": "manual or suggested",
        "status": "accepted, pending or rejected (absent: accepted)",
    }
    for name in SPAN_FEATURES:
        ts.create_feature(span, name, _STRING, description=descriptions[name])
    meta = ts.create_type(DOCUMENT_META_TYPE, supertypeName="uima.tcas.DocumentAnnotation")
    for name in _META_FEATURES:
        ts.create_feature(meta, name, _STRING)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    info = ts.create_type(
        DOCUMENT_INFO_TYPE,
        supertypeName="uima.cas.TOP",
        description="What annotator keeps about a document besides its text",
    )
    for name in ("published", "sha256"):
        ts.create_feature(info, name, _STRING)
    return ts


class XmiWriter:
    """The XMI export as a RecordWriter, into a zip written to the binary file ``fh``."""

    def __init__(self, fh: BinaryIO, *, tagset: Tagset | None = None) -> None:
        self._zip = zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED)
        self._ts = type_system(tagset)
        self._notes = ExportNotes()
        self._stems: set[str] = set()
        self._zip.writestr(TYPE_SYSTEM_FILE, self._ts.to_xml())

    def write(self, record: Mapping[str, Any]) -> None:
        check_record_spans(record["text"], record["spans"])
        try:
            xmi = document_xmi(self._ts, record)
        except ValueError:
            # lxml refuses what XML 1.0 cannot hold; the text must not change, so it stays out.
            self._notes.add(
                f"{describe(record)}: left out, its text holds control characters "
                "that XML 1.0 (and so XMI) cannot carry"
            )
            return
        stem = unique_stem(safe_stem(record.get("id"), record.get("title")), self._stems)
        self._zip.writestr(f"{stem}.xmi", xmi)

    def finish(self) -> ExportNotes:
        self._zip.close()
        return self._notes


def document_xmi(ts: Any, record: Mapping[str, Any]) -> str:
    """One document as CAS XMI (offsets in UTF-16 units, cassis converts). Raises ValueError
    when the text holds characters XML 1.0 cannot carry."""
    from cassis import Cas

    text = record["text"]
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    cas.sofa_mime = "text/plain"
    meta_type = ts.get_type(DOCUMENT_META_TYPE)
    identifier = None if record.get("id") is None else str(record["id"])
    cas.add(
        meta_type(
            begin=0,
            end=len(text),
            documentTitle=record.get("title"),
            documentId=identifier,
            documentUri=record.get("source"),
        )
    )
    published = record.get("published")
    info_type = ts.get_type(DOCUMENT_INFO_TYPE)
    cas.add(
        info_type(
            published=None if published is None else str(published)[:10],
            sha256=record.get("sha256"),
        )
    )
    span_type = ts.get_type(SPAN_TYPE)
    for span in record["spans"]:
        features = {name: _text(span.get(name)) for name in SPAN_FEATURES}
        cas.add(
            span_type(
                begin=span["start"],
                end=span["end"],
                **{k: v for k, v in features.items() if v is not None},
            )
        )
    return str(cas.to_xmi())


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))
