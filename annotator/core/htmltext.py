"""Main article text and metadata out of a saved web page, via trafilatura.

Only the bytes we are given are parsed: no URL is passed, so nothing is fetched, and lxml
never runs scripts. We decode the page ourselves (BOM, then the declared charset, then UTF-8,
then cp1252) because trafilatura given bytes ignores ``<meta charset>`` and guesses instead,
and it would also transparently decompress gzip/brotli payloads posing as .html files.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass

import trafilatura
from lxml import etree

from annotator.core.textload import UNICODE_BOMS, LoadError, looks_binary

# A cut-down version of the HTML5 prescan: good enough for saved pages, which put the
# declaration in the first few hundred bytes.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_PRESCAN_BYTES = 4096
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard), and so do we.
_AS_CP1252 = frozenset({"ascii", "iso8859-1", "cp1252"})
# Dates found in running text (htmldate's "extensive search") are guesses; an article's
# published date must come from the page's own metadata or it is left unknown.
_DATE_PARAMS = {"original_date": True, "extensive_search": False}
# trafilatura already skips these in its main pass, but when that pass finds nothing its
# fallbacks take whatever text is left: a menu-only page would become an "article".
_NEVER_ARTICLE = ["//nav", "//footer"]


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    title: str | None
    text: str
    published: dt.date | None


def decode_html(data: bytes, source: str) -> str:
    bom_codec = next((codec for bom, codec in UNICODE_BOMS if data.startswith(bom)), None)
    if bom_codec is not None:
        try:
            return data.decode(bom_codec)
        except UnicodeDecodeError:
            # FF FE 00 00 may be UTF-16 LE's BOM and a U+0000; a damaged page is still
            # worth a lenient read, as a browser would give it.
            codec = "utf-16" if bom_codec == "utf-32" else bom_codec
            return data.decode(codec, errors="replace")
    if looks_binary(data):
        raise LoadError(source, "binary file, not text")
    candidates = [c for c in (_declared_codec(data), "utf-8", "cp1252") if c]
    for codec in dict.fromkeys(candidates):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    # Browsers show replacement characters rather than refusing a page; so do we.
    return data.decode(candidates[0], errors="replace")


def _declared_codec(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if not m:
        return None
    try:
        name = codecs.lookup(m[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        # The declaration was readable as ASCII, so the page cannot really be UTF-16.
        return "utf-8"
    return name


def extract_html(data: bytes, source: str) -> HtmlArticle:
    page = decode_html(data, source)
    try:
        doc = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
            date_extraction_params=dict(_DATE_PARAMS),
            prune_xpath=list(_NEVER_ARTICLE),
        )
    except (ValueError, TypeError, RecursionError, etree.LxmlError) as exc:
        # Malformed markup is the user's file, not our bug: report it like any other.
        raise LoadError(source, f"cannot read the HTML ({exc})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise LoadError(source, "no article text found in the HTML")
    return HtmlArticle(
        title=(getattr(doc, "title", None) or None),
        text=text,
        published=_parse_date(getattr(doc, "date", None)),
    )


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
