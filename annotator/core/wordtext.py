"""An article's text out of a word-processor file: Word (.docx) and OpenDocument (.odt).

Both are zip packages of XML. The text is read as the article would be published: tracked
changes count as accepted (insertions in, deletions out), and comments, footnotes, text
boxes and tables are left out, as the HTML import leaves out everything around the article.
Paragraphs are separated by a blank line, as in the PDF import; a heading stays in the text
(it is part of what was written) and the document's title, or its first heading, becomes
the title.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from annotator.core.textload import LoadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# What a reader of the finished article does not see: deleted or moved-away text, the
# alternative drawing a newer Word also stores, text boxes beside the article.
_DOCX_SKIPPED = frozenset({f"{W}del", f"{W}moveFrom", f"{W}txbxContent", _MC_FALLBACK,
                           f"{W}delText", f"{W}instrText", f"{W}footnoteReference"})  # fmt: skip
_DOCX_CHARS = {f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}

_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
T = "{" + _ODF_TEXT + "}"
_ODT_SKIPPED = frozenset({f"{T}tracked-changes", f"{T}note", f"{T}bookmark-ref",
                          "{" + _ODF_OFFICE + "}annotation", "{" + _ODF_OFFICE + "}annotation-end",
                          "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
                          "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table"})  # fmt: skip
_MAX_XML_BYTES = 200 * 1024 * 1024  # a zip bomb's content.xml is refused before parsing


def extract_docx(data: bytes, source: str) -> tuple[str | None, str]:
    """(title or None, text) of a .docx. Raises LoadError."""
    # Imported here: python-docx is only needed when a Word file is opened.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        styles = {s.style_id: s.name or "" for s in document.styles}
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            etree.LxmlError) as exc:  # fmt: skip
        raise LoadError(source, f"not a readable Word .docx file ({_one_line(exc)})") from None
    title = None
    heading = None
    paragraphs = []
    for p in body.iterchildren(f"{W}p"):  # tables are body children too, and skipped
        text = _clean("".join(_docx_text(p)))
        if not text:
            continue
        paragraphs.append(text)
        style = styles.get(p.style or "", "")
        if style == "Title" and title is None:
            title = text
        elif style.startswith("Heading") and heading is None:
            heading = text
    return title or heading, "\n\n".join(paragraphs)


def _docx_text(element) -> Iterator[str]:
    for child in element:
        tag = child.tag
        if tag in _DOCX_SKIPPED:
            continue
        if tag == f"{W}t":
            yield child.text or ""
        elif tag in _DOCX_CHARS:
            yield _DOCX_CHARS[tag]
        else:
            yield from _docx_text(child)


def extract_odt(data: bytes, source: str) -> tuple[str | None, str]:
    """(title or None, text) of an OpenDocument text (.odt). Raises LoadError."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("content.xml")
            if info.file_size > _MAX_XML_BYTES:
                raise LoadError(source, "the document's content is too large")
            content = package.read(info)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise LoadError(
            source, f"not a readable OpenDocument .odt file ({_one_line(exc)})"
        ) from None
    # No entities, no network: the XML is the user's file, not something to trust.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise LoadError(source, f"the .odt content is not valid XML ({exc})") from None
    body = root.find(f"{{{_ODF_OFFICE}}}body/{{{_ODF_OFFICE}}}text")
    if body is None:
        raise LoadError(source, "not an OpenDocument text (no text body)")
    title = None
    paragraphs = []
    for block in _odt_blocks(body):
        text = _clean("".join(_odt_text(block)))
        if not text:
            continue
        paragraphs.append(text)
        if title is None and (block.tag == f"{T}h" or block.get(f"{T}style-name") == "Title"):
            title = text
    return title, "\n\n".join(paragraphs)


def _odt_blocks(element) -> Iterator:
    """Paragraphs and headings in document order, through lists and sections."""
    for child in element:
        if child.tag in _ODT_SKIPPED:
            continue
        if child.tag in (f"{T}p", f"{T}h"):
            yield child
        else:
            yield from _odt_blocks(child)


def _odt_text(element) -> Iterator[str]:
    # ODF folds runs of white space in the XML into one space; spaces that count are
    # written as text:s, tabs and breaks as elements.
    yield _odf_space(element.text)
    for child in element:
        tag = child.tag
        if tag not in _ODT_SKIPPED:
            if tag == f"{T}s":
                yield " " * int(child.get(f"{T}c", "1") or 1)
            elif tag == f"{T}tab":
                yield "\t"
            elif tag == f"{T}line-break":
                yield "\n"
            else:
                yield from _odt_text(child)
        yield _odf_space(child.tail)


def _odf_space(text: str | None) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text) if text else ""


def _clean(text: str) -> str:
    # Word and Writer keep the spaces a writer typed; only the ends of a paragraph go.
    return re.sub(r"[ \t]*\n[ \t]*", "\n", text).strip()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
