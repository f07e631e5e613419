"""The CoNLL-2003 NER format: one token a line, BIO tags, a blank line between sentences.

Layout. Four space-separated columns, ``word -X- _ B-athlete`` (word, part of speech, chunk, NER
tag), because CoNLL-2003 readers take the first column as the word and the last as the tag, and
spaCy's ``ner`` converter reads the second column only when there are more than two. We have no
part of speech or chunk, so those columns hold placeholders. Tags are IOB2 (every entity starts
with ``B-``) with the label key as the type. Each document starts with the line
``-DOCSTART- -X- O O`` and a blank line: that is the exact delimiter ``spacy convert -c ner``
splits documents on (the original CoNLL-2003 files write ``-DOCSTART- -X- -X- O``, which spaCy
would read as a one-word sentence; HF datasets and Flair accept either, as they only look at
the first word). Tokens and sentences come from ``tokens.tokenize`` and
``tokens.sentence_bounds``, so CoNLL, reports and ClaimReview cut text the same way.

A token made only of invisible characters (zero-width space, BOM, soft hyphen, joiners: format
and control characters) is left out of the file: it carries no text, and some readers treat
such characters as whitespace, which would shift the columns of its line.

Overlap policy. BIO gives each token one tag, so overlapping spans cannot all be written. Spans
are taken in order of start, the longer first at an equal start, an accepted span before a
pending one over the same range, then the record's own order; a span that overlaps one already
kept is left out. Every span left out is reported in ExportNotes, e.g. ``document 12 'Title':
span 40:52 'Ingebrigsten' (error) overlaps athlete 34:52 — not in the CoNLL file``.

Alignment policy. BIO tags whole tokens, so a span is written as the tokens it touches: one
whose start or end falls inside a token is widened to that token (and one with spaces at its
ends is narrowed to its tokens), and reported; overlaps are judged on these token ranges. A span
covering no token (only spaces or invisible characters) is reported and left out. A sentence
break never falls inside a kept span: the sentences it would split are written as one, so an
entity is never cut in two.

``keep_first_longest`` and the ``describe`` functions are shared with the spaCy writer, so both
formats keep and report the same spans in the same words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from ..tagset import Tagset
from .records import ExportNotes, check_record_spans
from .tokens import Token, sentence_bounds, tokenize

DOCSTART = "-DOCSTART- -X- O O"
#: The part-of-speech and chunk columns we cannot fill.
PLACEHOLDER_COLUMNS = "-X- _"

# Format (Cf) and control (Cc) characters and separators draw nothing; a token of only these
# would be an empty-looking first column.
_INVISIBLE = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_WHITESPACE = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")


def keep_first_longest(
    ranges: Sequence[tuple[int, int] | None], spans: Sequence[Mapping[str, Any]]
) -> list[int | None]:
    """Decide which spans a one-tag-per-token format keeps.

    ``ranges[n]`` is span n's token range ``[first, last)`` (None when it covers no token).
    Returns, for each span, None when it is kept (or has no range) or the index of the kept
    span it overlaps. Priority: earlier start, then longer, then accepted before pending, then
    record order; character offsets decide, tokens only detect the overlap.
    """

    def priority(n: int) -> tuple[int, int, bool, int]:
        span = spans[n]
        return (span["start"], -span["end"], span.get("status") == "pending", n)

    owner: dict[int, int] = {}
    blocked: list[int | None] = [None] * len(spans)
    for n in sorted(range(len(spans)), key=priority):
        token_range = ranges[n]
        if token_range is None:
            continue
        first, last = token_range
        taken = next((owner[k] for k in range(first, last) if k in owner), None)
        if taken is not None:
            blocked[n] = taken
            continue
        owner.update(dict.fromkeys(range(first, last), n))
    return blocked


def describe(record: Mapping[str, Any]) -> str:
    """How notes name a document: ``document 12 'Title'``."""
    return f"document {record.get('id')} {quote(str(record.get('title') or ''))}"


def describe_span(span: Mapping[str, Any]) -> str:
    """How notes name a span: ``span 40:52 'Ingebrigsten' (error)``."""
    return f"span {span['start']}:{span['end']} {quote(span['text'])} ({span['label']})"


def describe_blocker(span: Mapping[str, Any]) -> str:
    """How notes name the span another one overlaps: ``athlete 34:52``."""
    return f"{span['label']} {span['start']}:{span['end']}"


def quote(text: str, limit: int = 40) -> str:
    """A short, single-line rendering of user text for a one-line note."""
    flat = _LINE_BREAKS.sub(" ", text)
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"'{flat}'"


def is_invisible(text: str) -> bool:
    return all(unicodedata.category(char) in _INVISIBLE for char in text)


class ConllWriter:
    """Writes documents to ``fh`` as CoNLL-2003 NER (see the module docstring).

    ``tagset`` is accepted so every writer is built the same way; the tags use the records'
    label keys whatever it holds. Raises SpanError for a record whose spans do not fit its text
    (a bug upstream, never written half-right)."""

    def __init__(self, fh: TextIO, *, tagset: Tagset | None = None) -> None:
        self._fh = fh
        self._notes = ExportNotes()
        self._renamed: set[str] = set()

    def write(self, record: Mapping[str, Any]) -> None:
        text: str = record["text"]
        spans: Sequence[Mapping[str, Any]] = record["spans"]
        check_record_spans(text, spans)
        tokens = [token for token in tokenize(text) if not is_invisible(token.text)]
        starts = [token.start for token in tokens]
        ends = [token.end for token in tokens]
        ranges = [_token_range(starts, ends, span["start"], span["end"]) for span in spans]
        blocked = keep_first_longest(ranges, spans)
        tags = ["O"] * len(tokens)
        joined: set[int] = set()  # tokens that must stay in the sentence of the token before
        for n, span in enumerate(spans):
            token_range = ranges[n]
            if token_range is None:
                self._report(record, span, "covers no token")
                continue
            blocker = blocked[n]
            if blocker is not None:
                self._report(record, span, f"overlaps {describe_blocker(spans[blocker])}")
                continue
            first, last = token_range
            start, end = tokens[first].start, tokens[last - 1].end
            if (start, end) != (span["start"], span["end"]):
                self._notes.add(
                    f"{describe(record)}: {describe_span(span)} does not match token bounds — "
                    f"written as {start}:{end} {quote(text[start:end])} in the CoNLL file"
                )
            kind = self._tag_type(span["label"])
            tags[first] = f"B-{kind}"
            for k in range(first + 1, last):
                tags[k] = f"I-{kind}"
            joined.update(range(first + 1, last))
        self._write_document(text, tokens, tags, joined)

    def finish(self) -> ExportNotes:
        self._fh.flush()
        return self._notes

    def _write_document(
        self, text: str, tokens: list[Token], tags: list[str], joined: set[int]
    ) -> None:
        starts = [start for start, _ in sentence_bounds(text)]
        lines = [DOCSTART, ""]
        sentence = None
        for k, token in enumerate(tokens):
            this_sentence = bisect_right(starts, token.start) - 1
            if sentence is not None and this_sentence != sentence and k not in joined:
                lines.append("")
            sentence = this_sentence
            lines.append(f"{token.text} {PLACEHOLDER_COLUMNS} {tags[k]}")
        if tokens:
            lines.append("")
        self._fh.write("\n".join(lines) + "\n")

    def _tag_type(self, label: str) -> str:
        # Tagset keys never hold whitespace, but a record from elsewhere might, and a space
        # inside a tag would add a column.
        kind = _WHITESPACE.sub("_", label) or "_"
        if kind != label and label not in self._renamed:
            self._renamed.add(label)
            self._notes.add(f"label {quote(label)} is written as {kind!r} in the CoNLL file")
        return kind

    def _report(self, record: Mapping[str, Any], span: Mapping[str, Any], why: str) -> None:
        self._notes.add(f"{describe(record)}: {describe_span(span)} {why} — not in the CoNLL file")


def _token_range(
    starts: Sequence[int], ends: Sequence[int], start: int, end: int
) -> tuple[int, int] | None:
    """The tokens (given by their sorted starts and ends) that ``start:end`` touches, as
    ``[first, last)``, or None."""
    first = bisect_right(ends, start)
    last = bisect_left(starts, end)
    return (first, last) if first < last else None
