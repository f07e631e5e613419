"""W3C Web Annotation Data Model (JSON-LD): one Annotation per span, in one AnnotationCollection.

W3C annotation stores and clients read this (servers speaking the Web Annotation Protocol,
JSON-LD and RDF tools). Each span becomes an Annotation whose target is the article (its http(s)
source, else a URN made from the text's sha256) narrowed by two selectors: a TextQuoteSelector
(the exact text with up to 32 characters either side) and a TextPositionSelector. The spec
counts positions in Unicode code points ("characters", not UTF-16 code units), which are exactly
the dataset's offsets; they index annotator's normalised text, not the raw HTML of the source
page, so a client working on the live page should anchor by the quote (see ``reanchor``).

Bodies carry what was said about the span, each with the spec's purpose: the label
("tagging"), an error's type ("classifying"), its correction ("editing"), the evidence note
("commenting"), a normalised value ("describing") and a knowledge-base entity ("identifying").
Errors are "assessing" annotations, everything else "tagging". Pending suggestions stay in, as
``"schema:creativeWorkStatus": "pending"`` (the ``schema`` prefix is defined by the Web
Annotation context, so no extra context is needed); their creator is Software.

Every annotation repeats the ``@context`` so it stays valid when lifted out of the collection;
the collection's ``total`` is written after the items, once it is known.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any, TextIO
from urllib.parse import quote, urlsplit, urlunsplit

from annotator.core.formats.jsonl import dumps_line
from annotator.core.formats.records import ExportNotes, error_labels
from annotator.core.tagset import Tagset

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32
SUGGESTER_NAME = "annotator suggester"
# What RFC 3986 allows unescaped in a path, query or fragment ('#' only between them), plus '%'
# so that existing escapes are kept.
_COMPONENT_SAFE = "!$&'()*+,;=:@/?-._~%"
_URI_SAFE = _COMPONENT_SAFE + "#"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_BODY_FIELDS = (
    ("error_type", "classifying"),
    ("correction", "editing"),
    ("note", "commenting"),
    ("value", "describing"),
    ("entity", "identifying"),
)


class W3CWriter:
    """Write an AnnotationCollection, streamed: the header on the first write, one annotation
    per line, the closing brackets and ``total`` in ``finish``.

    ``base_iri`` prefixes the ids we mint (annotations, the collection, documents without a web
    source); it must be an absolute IRI such as "urn:annotator:" or "https://example.org/anno/".
    ``tagset`` marks which labels are errors (those with error attributes, besides "error")."""

    def __init__(
        self, fh: TextIO, *, tagset: Tagset | None = None, base_iri: str = "urn:annotator:"
    ) -> None:
        if not urlsplit(base_iri).scheme:
            raise ValueError(f"base_iri {base_iri!r} is not an absolute IRI (it needs a scheme)")
        self._fh = fh
        self._base = _as_uri(base_iri)
        self._error_labels = error_labels(tagset)
        self._count = 0
        self._started = False

    def write(self, record: Mapping[str, Any]) -> None:
        self._start()
        source = document_iri(record, self._base)
        for number, span in enumerate(record.get("spans") or (), start=1):
            annotation = self._annotation(record, span, number, source)
            self._fh.write(("\n" if self._count == 0 else ",\n") + dumps_line(annotation))
            self._count += 1

    def finish(self) -> ExportNotes:
        self._start()
        self._fh.write(f'\n]}},\n"total": {self._count}\n}}\n')
        return ExportNotes()

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        collection = f"{self._base}collection"
        header = (
            f'{{"@context": "{ANNO_CONTEXT}",\n'
            f'"id": {_json_str(collection)},\n'
            '"type": "AnnotationCollection",\n'
            '"label": "annotator export",\n'
            f'"first": {{"type": "AnnotationPage", "id": {_json_str(collection + "/page/1")}, '
            '"startIndex": 0,\n"items": ['
        )
        self._fh.write(header)

    def _annotation(
        self, record: Mapping[str, Any], span: Mapping[str, Any], number: int, source: str
    ) -> dict[str, Any]:
        text: str = record["text"]
        start, end = span["start"], span["end"]
        is_error = span["label"] in self._error_labels
        annotation: dict[str, Any] = {
            "@context": ANNO_CONTEXT,
            "id": f"{self._base}document/{_segment(record.get('id'))}/span/{number}",
            "type": "Annotation",
            "motivation": "assessing" if is_error else "tagging",
        }
        creator = _creator(span)
        if creator is not None:
            annotation["creator"] = creator
        annotation["schema:creativeWorkStatus"] = span.get("status") or "accepted"
        bodies = [_body("tagging", span["label"])]
        bodies.extend(
            _body(purpose, span[key]) for key, purpose in _BODY_FIELDS if span.get(key) is not None
        )
        annotation["body"] = bodies
        quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": text[start:end]}
        prefix, suffix = _context(text, start, end)
        if prefix:
            quote_selector["prefix"] = prefix
        if suffix:
            quote_selector["suffix"] = suffix
        position = {"type": "TextPositionSelector", "start": start, "end": end}
        annotation["target"] = {"source": source, "selector": [quote_selector, position]}
        return annotation


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS either side, never cutting into an emoji sequence or an accent: a
    prefix that began with half of "🏃‍♀️" would read as garbage in any client."""
    first = max(0, start - CONTEXT_CHARS)
    while first < start and (_continues(text[first]) or text[first - 1 : first] == "\u200d"):
        first += 1
    last = min(len(text), end + CONTEXT_CHARS)
    while end < last < len(text) and (_continues(text[last]) or text[last - 1] == "\u200d"):
        last -= 1
    return text[first:start], text[end:last]


def _continues(char: str) -> bool:
    """True for a character that belongs to the one before it (accent, joiner, selector,
    skin-tone modifier)."""
    return (
        unicodedata.category(char).startswith("M")
        or char in "\u200d\ufe0e\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


def document_iri(record: Mapping[str, Any], base_iri: str = "urn:annotator:") -> str:
    """The IRI annotations target: the article's http(s) address when it has one (as a URI:
    non-ASCII percent-encoded, the host in IDNA), else ``{base_iri}document/{sha256}``."""
    source = record.get("source")
    if isinstance(source, str):
        web = _web_uri(source.strip())
        if web is not None:
            return web
    sha = record.get("sha256")
    key = sha if isinstance(sha, str) and sha else f"id-{record.get('id')}"
    return f"{_as_uri(base_iri)}document/{_segment(key)}"


def reanchor(text: str, annotation: Mapping[str, Any]) -> tuple[int, int] | None:
    """Where an annotation's span lies in ``text``, which may have changed since the export.

    Every occurrence of the quote's ``exact`` text is a candidate; the one whose surroundings
    agree most with ``prefix`` and ``suffix`` wins, and among equals the one nearest the old
    TextPositionSelector start. Returns None when the quote no longer occurs (the caller should
    show such a span to the user rather than guess). Without a quote selector, the position is
    returned when it still fits the text."""
    quote_selector, position = _selectors(annotation)
    hint = position.get("start") if position else None
    hint = hint if isinstance(hint, int) and not isinstance(hint, bool) else None
    if quote_selector is None:
        end = position.get("end") if position else None
        if hint is not None and isinstance(end, int) and 0 <= hint < end <= len(text):
            return hint, end
        return None
    exact = quote_selector.get("exact")
    if not isinstance(exact, str) or not exact:
        return None
    prefix = quote_selector.get("prefix") or ""
    suffix = quote_selector.get("suffix") or ""
    best: tuple[int, int, int] | None = None  # (-agreement, distance, start)
    found = text.find(exact)
    while found != -1:
        end = found + len(exact)
        agreement = _common_suffix(text[max(0, found - len(prefix)) : found], prefix)
        agreement += _common_prefix(text[end : end + len(suffix)], suffix)
        distance = abs(found - hint) if hint is not None else found
        candidate = (-agreement, distance, found)
        if best is None or candidate < best:
            best = candidate
        found = text.find(exact, found + 1)
    if best is None:
        return None
    return best[2], best[2] + len(exact)


def _selectors(
    annotation: Mapping[str, Any],
) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    targets = annotation.get("target")
    targets = targets if isinstance(targets, list) else [targets]
    quote_selector = position = None
    for target in targets:
        if not isinstance(target, Mapping):
            continue
        selectors = target.get("selector")
        selectors = selectors if isinstance(selectors, list) else [selectors]
        for selector in selectors:
            if not isinstance(selector, Mapping):
                continue
            if selector.get("type") == "TextQuoteSelector" and quote_selector is None:
                quote_selector = selector
            elif selector.get("type") == "TextPositionSelector" and position is None:
                position = selector
    return quote_selector, position


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _creator(span: Mapping[str, Any]) -> dict[str, str] | None:
    name = span.get("annotator")
    if span.get("origin") == "suggested":
        return {"type": "Software", "name": name or SUGGESTER_NAME}
    if name:
        return {"type": "Person", "name": name}
    return None


def _body(purpose: str, value: object) -> dict[str, str]:
    return {"type": "TextualBody", "purpose": purpose, "value": str(value)}


def _web_uri(source: str) -> str | None:
    parts = urlsplit(source)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.username or parts.password:
        return None  # credentials in a URL are not something to publish
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port
    except (UnicodeError, ValueError):
        return None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    netloc = host if port is None else f"{host}:{port}"
    path, query, fragment = (
        _as_uri(part, safe=_COMPONENT_SAFE) for part in (parts.path, parts.query, parts.fragment)
    )
    return urlunsplit((parts.scheme.lower(), netloc, path, query, fragment))


def _as_uri(iri: str, *, safe: str = _URI_SAFE) -> str:
    """An IRI as a URI (RFC 3987 section 3.1: non-ASCII and spaces percent-encoded as UTF-8), as
    the conformance schemas check ``format: uri``. A '%' that starts no escape is encoded too."""
    return quote(_STRAY_PERCENT.sub("%25", iri), safe=safe)


def _segment(value: object) -> str:
    return quote(str(value), safe="-._~")


def _json_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
