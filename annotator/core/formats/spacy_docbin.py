"""spaCy's binary training format (a DocBin, ``.spacy``), for ``spacy train`` and ``Doc`` users.

spaCy is optional: it is imported when a writer is built, never when this module is, and a
missing spaCy raises ``FormatUnavailable`` with the install hint.

Each document becomes a ``Doc`` cut by ``spacy.blank(lang)``'s tokenizer (multi-language ``xx``
by default; its tokens differ from ``tokens.tokenize``, which does not matter: spans are placed
by character offset, and ``doc.text`` is the stored text exactly).

Where spans go:
- ``doc.spans["sc"]``: every span (the group spaCy's span categorizer trains on). spaCy spans
  are whole tokens, so a span that does not match spaCy's token bounds is stored as the tokens
  it touches (``alignment_mode="expand"``: widened over a cut token, narrowed past edge spaces)
  and reported.
- ``doc.ents``: the spans that align with tokens exactly and do not overlap, chosen as the
  CoNLL export chooses (earlier start, then longer, then accepted before pending): an entity
  recogniser learns boundaries from these, so a widened span is never one of them. Every span
  kept out is reported; tokens outside the entities are "outside" (O), not "missing".
- ``doc.user_data["annotator_document"]``: id, title, source, published, sha256.
- ``doc.user_data["annotator_spans"]``: every span as the dataset JSONL writes it, exact
  character offsets, error type, correction, note and status included (a spaCy Span keeps
  none of these through a DocBin). It reads back as a tuple of dicts: msgpack's choice.

Memory: a DocBin holds every document (token arrays, strings, user data) until ``finish``
serialises and compresses it in one piece, so memory grows with the corpus, roughly the
size of its text a few times over. For a corpus too large for that, export in parts.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from ..tagset import Tagset
from .conll import describe, describe_blocker, describe_span, keep_first_longest, quote
from .jsonl import SPAN_KEYS
from .records import ExportNotes, check_record_spans

DOCUMENT_KEY = "annotator_document"
SPANS_KEY = "annotator_spans"
SPAN_GROUP = "sc"
_METADATA_KEYS = ("id", "title", "source", "published", "sha256")
_INSTALL_HINT = "the spacy export needs spaCy: pip install 'annotator[spacy]'"


class FormatUnavailable(RuntimeError):
    """A format whose optional dependency is not installed; the message says what to install."""


def spacy_available() -> bool:
    """Whether the spaCy export can run, without importing spaCy (slow: about a second)."""
    return importlib.util.find_spec("spacy") is not None


class SpacyWriter:
    """Collects documents into a DocBin and writes it to ``fh`` in ``finish`` (see the module
    docstring for where each span goes). ``tagset`` is accepted so every writer is built the
    same way; labels are the records' label keys. Raises FormatUnavailable without spaCy,
    ValueError for a ``lang`` spaCy does not know, SpanError for a record whose spans do not
    fit its text."""

    def __init__(self, fh: BinaryIO, *, tagset: Tagset | None = None, lang: str = "xx") -> None:
        try:
            import spacy
            from spacy.tokens import DocBin
        except ImportError as exc:
            raise FormatUnavailable(_INSTALL_HINT) from exc
        try:
            self._nlp = spacy.blank(lang)
        except ImportError as exc:  # spaCy's answer to a language code it has no class for
            raise ValueError(f"spaCy has no language {lang!r}") from exc
        self._fh = fh
        self._bin = DocBin(store_user_data=True)
        self._notes = ExportNotes()

    def write(self, record: Mapping[str, Any]) -> None:
        text: str = record["text"]
        spans: Sequence[Mapping[str, Any]] = record["spans"]
        check_record_spans(text, spans)
        doc = self._nlp.make_doc(text)
        group = []
        exact: list[Any] = []
        for span in spans:
            start, end, label = span["start"], span["end"], span["label"]
            placed = doc.char_span(start, end, label=label, alignment_mode="strict")
            exact.append(placed)
            if placed is None:
                placed = doc.char_span(start, end, label=label, alignment_mode="expand")
                if placed is None or len(placed) == 0:
                    self._report(record, span, "covers no spaCy token — not in the .spacy file")
                    continue
                self._report(
                    record,
                    span,
                    "does not match spaCy's token bounds — stored as "
                    f"{placed.start_char}:{placed.end_char} {quote(placed.text)} in "
                    f"spans[{SPAN_GROUP!r}], not in ents",
                )
            group.append(placed)
        ranges = [(s.start, s.end) if s is not None else None for s in exact]
        blocked = keep_first_longest(ranges, spans)
        ents = []
        for span, placed, blocker in zip(spans, exact, blocked, strict=True):
            if blocker is not None:
                other = describe_blocker(spans[blocker])
                self._report(
                    record, span, f"overlaps {other} — in spans[{SPAN_GROUP!r}], not in ents"
                )
            elif placed is not None:
                ents.append(placed)
        doc.set_ents(ents, default="outside")
        doc.spans[SPAN_GROUP] = group
        doc.user_data[DOCUMENT_KEY] = {key: record.get(key) for key in _METADATA_KEYS}
        doc.user_data[SPANS_KEY] = [{key: span.get(key) for key in SPAN_KEYS} for span in spans]
        self._bin.add(doc)

    def finish(self) -> ExportNotes:
        self._fh.write(self._bin.to_bytes())
        self._fh.flush()
        return self._notes

    def _report(self, record: Mapping[str, Any], span: Mapping[str, Any], why: str) -> None:
        self._notes.add(f"{describe(record)}: {describe_span(span)} {why}")
