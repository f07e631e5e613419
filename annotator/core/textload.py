"""Loading article files (.txt, .md, .html, .pdf, .docx, .odt) into the text that is stored.

Span offsets index into the text this module returns, so everything here has to be
deterministic and stable: the same bytes always give the same text, and normalising an
already-normalised text changes nothing. The original bytes' sha256 is kept so a re-import of
an edited file can be told apart from a re-import of the same one.

Decoding is strict on purpose: a silently mis-decoded character would shift or corrupt the
evidence a fact-checker marks, so a file we cannot read exactly is refused with a reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import math
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.markdown_display import inline_markup
from annotator.core.sentences import sentence_bounds

MAX_FILE_BYTES: int = 20 * 1024 * 1024
SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".pdf",
    ".docx",
    ".odt",
)

_HTML_SUFFIXES = (".html", ".htm")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
# Layout formats whose readers (core.pdftext, core.wordtext) give (title or None, text).
_DOCUMENT_SUFFIXES = (".pdf", ".docx", ".odt")
_SNIFF_BYTES = 8192
_TITLE_MAX_LINE = 150
_TITLE_MAX_SENTENCE = 80


class LoadError(ValueError):
    """A file the user asked for cannot become an article; ``reason`` is shown to them."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def __reduce__(self):  # the default would call __init__ with the one formatted message
        return (type(self), (self.path, self.reason))


class NotAnArticle(LoadError):
    """A file met while walking a folder that is not an article type (an image, a database):
    passed over and counted, not a failure, since folders hold more than articles."""


@dataclass(frozen=True, slots=True)
class LoadedArticle:
    title: str
    text: str
    published: dt.date | None
    sha256: str
    source: str
    encoding: str
    #: When an article fetched by its address was downloaded (UTC); None for files.
    fetched: dt.datetime | None = None


# UTF-32 LE's BOM starts with UTF-16 LE's, so the longer marks must be tried first.
UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, line ends and form feed, counted in C rather than a Python loop
# (the loop was a third of import time).
_CONTROLS = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f]")


def load_article(path: Path | str) -> LoadedArticle:
    source = str(path)
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(source, unsupported_reason(p.suffix))
    try:
        st = p.stat()
    except FileNotFoundError:
        raise LoadError(source, "no such file or folder") from None
    except OSError as exc:
        raise LoadError(source, _os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise LoadError(source, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO or device would block or never end.
        raise LoadError(source, "not a regular file")
    # Stat first so a huge file is refused without reading it into memory.
    if st.st_size > MAX_FILE_BYTES:
        raise LoadError(source, _too_big_reason(st.st_size))
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise LoadError(source, _os_reason(exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(source, _too_big_reason(len(data)))
    return _load(data, source, suffix)


def load_bytes(data: bytes, *, name: str, suffix: str) -> LoadedArticle:
    suffix = suffix.lower()
    if suffix and not suffix.startswith("."):
        suffix = "." + suffix
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(name, unsupported_reason(suffix))
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(name, _too_big_reason(len(data)))
    return _load(bytes(data), name, suffix)


def _load(data: bytes, source: str, suffix: str) -> LoadedArticle:
    digest = hashlib.sha256(data).hexdigest()
    if not data:
        raise LoadError(source, "empty file")
    if suffix in _HTML_SUFFIXES:
        # Imported lazily: trafilatura pulls in lxml and friends, which plain-text imports
        # and most of the core never need.
        from annotator.core.htmltext import extract_html

        html = extract_html(data, source)
        text = normalise_text(html.text)
        if not text:
            raise LoadError(source, "no article text found in the HTML")
        title = _clean_title(html.title or "") or title_from_text(text)
        return LoadedArticle(title, text, html.published, digest, source, "html")

    if suffix in _DOCUMENT_SUFFIXES:
        found_title, body = _document_text(data, source, suffix)
        text = normalise_text(body)
        if not text:
            raise LoadError(source, f"no text found in the {suffix[1:].upper()} file")
        title = _clean_title(found_title or "") or title_from_text(text)
        return LoadedArticle(title, text, None, digest, source, suffix[1:])

    raw, encoding = decode_text(data, source)
    published, text = split_date_header(normalise_text(raw))
    if not text.strip():
        raise LoadError(source, "empty file")
    title = ""
    if suffix in _MARKDOWN_SUFFIXES:
        title = markdown_heading(text) or ""
    return LoadedArticle(title or title_from_text(text), text, published, digest, source, encoding)


def _document_text(data: bytes, source: str, suffix: str) -> tuple[str | None, str]:
    # Imported lazily, like htmltext: pdfminer and python-docx are only needed for these.
    if suffix == ".pdf":
        from annotator.core.pdftext import extract_pdf

        return None, extract_pdf(data, source)
    from annotator.core.wordtext import extract_docx, extract_odt

    return (extract_docx if suffix == ".docx" else extract_odt)(data, source)


def looks_binary(sample: bytes | str) -> bool:
    """NUL or a high share of control characters: no article file has either."""
    if isinstance(sample, bytes):
        sample = sample[:_SNIFF_BYTES].decode("latin-1")  # one char per byte, never fails
    else:
        sample = sample[:_SNIFF_BYTES]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    controls = len(_CONTROLS.findall(sample))
    return controls * 10 > len(sample)


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Decode a plain-text file; returns (text, codec name). Raises LoadError."""
    for bom, codec in UNICODE_BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec, source)
    if looks_binary(data):
        raise LoadError(source, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1252 is what Windows editors wrote before UTF-8; it leaves only five bytes undefined,
    # and those five are a sure sign the file is something else.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise LoadError(
            source,
            f"cannot decode: not UTF-8, UTF-16 or cp1252 (byte 0x{bad:02x} at offset {exc.start})",
        ) from None


def _decode_with_bom(data: bytes, codec: str, source: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if codec == "utf-32":
            # FF FE 00 00 is also a UTF-16 LE BOM followed by U+0000; give that a chance.
            return _decode_with_bom(data, "utf-16", source)
        raise LoadError(
            source, f"cannot decode as {codec.upper()} ({exc.reason} at offset {exc.start})"
        ) from None
    if looks_binary(text):
        raise LoadError(source, "binary file, not text")
    return text, codec


# U+2028/U+2029 would look like line breaks in the view, which already uses U+2029 for "\n";
# mapping them to "\n" keeps the stored text and the displayed text in step (same length).
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
# Any mix of BOMs and blank lines before the text: removing them all at once (not one BOM,
# then blank lines) is what makes normalise_text idempotent.
_LEADING_JUNK = re.compile("\\A(?:\ufeff|[^\\S\n]*\n)+")


def normalise_text(text: str) -> str:
    """The stored form of a text: "\\n" line ends, NFC, no leading blank lines or BOM, no
    trailing whitespace. Everything inside, including indentation and blank lines, is kept."""
    # Each step is skipped when it has nothing to do, as for most files: import speed.
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _LINE_BREAKS.sub("\n", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if text[:1] in ("\ufeff", "\n") or text[:1].isspace():
        text = _LEADING_JUNK.sub("", text)
    return text.rstrip()


# The exporters that produced our seed files write the date on the article's first line,
# sometimes with the article running on after it on the same line.
_DATE_HEADER = re.compile(
    r"\A[^\S\n]*(?:date|published)(?:[^\S\n]*:[^\S\n]*|[^\S\n]+)"
    r"(\d{4})-(\d{2})-(\d{2})(?:[^\S\n]*(?:\n|\Z)|[^\S\n]+)",
    re.IGNORECASE,
)


def split_date_header(text: str) -> tuple[dt.date | None, str]:
    """Remove a leading ``date YYYY-MM-DD`` line; an impossible date stays in the text."""
    m = _DATE_HEADER.match(text)
    if not m:
        return None, text
    try:
        published = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None, text
    return published, normalise_text(text[m.end() :])


_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def markdown_heading(text: str) -> str | None:
    """Text of the first ATX heading outside fenced code, or None."""
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m:
            marker = m[1]
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        m = _ATX_HEADING.match(line)
        if m and m[1] and (title := _clean_title(_without_inline_markup(m[1]))):
            return title
    return None


def title_from_text(text: str) -> str:
    """A headline-like first line, else the first sentence, shortened for a list column."""
    first_line = _clean_title(text.lstrip().split("\n", 1)[0])
    if len(first_line) <= _TITLE_MAX_LINE and not first_line.endswith((".", ":", ",")):
        return first_line
    bounds = sentence_bounds(first_line)
    sentence = first_line[: bounds[0][1]] if bounds else first_line
    if len(sentence) <= _TITLE_MAX_SENTENCE:
        return sentence.rstrip(".:,;").rstrip() or sentence
    return shorten(sentence, _TITLE_MAX_SENTENCE)


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    if text[len(head)].isspace():
        pass  # the cut already falls between words
    elif cut > 0:
        head = head[:cut]
    else:
        # One long word: at least never split a base character from its marks or joiners.
        while len(head) > 1 and _is_attached(text[len(head)]):
            head = head[:-1]
    return head.rstrip(" ,;:.-–—") + "…"


def _is_attached(ch: str) -> bool:
    return (
        bool(unicodedata.combining(ch))
        or ch in "\u200d\ufe0e\ufe0f"
        or ("\U0001f3fb" <= ch <= "\U0001f3ff")
    )


def _without_inline_markup(text: str) -> str:
    """The heading as the reader sees it: "Jakob **Ingebrigtsen**" is titled without the
    asterisks (the article view hides them too)."""
    kept, at = [], 0
    for start, end in sorted(inline_markup(text, 0, len(text))):
        kept.append(text[at : max(at, start)])
        at = max(at, end)
    return "".join(kept) + text[at:]


def _clean_title(title: str) -> str:
    return " ".join(title.split())


def iter_article_paths(paths: Iterable[Path | str]) -> Iterator[Path | LoadError]:
    """Expand the user's selection into article files, in a stable order.

    Problems are yielded, not raised, so one odd file does not stop a batch import and the
    caller can list every skipped file with its reason.
    """
    for given in paths:
        p = Path(given)
        try:
            st = p.stat()
        except FileNotFoundError:
            yield LoadError(str(given), "no such file or folder")
            continue
        except OSError as exc:
            yield LoadError(str(given), _os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(p)
        elif p.suffix.lower() in SUPPORTED_SUFFIXES:
            yield p
        else:
            yield LoadError(str(given), unsupported_reason(p.suffix))


def _walk(folder: Path) -> Iterator[Path | LoadError]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield LoadError(str(folder), _os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):  # .git, .DS_Store, editor swap files
            continue
        path = folder / entry.name
        try:
            # Symlinked folders are not followed: a link back up would loop forever.
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield LoadError(str(path), _os_reason(exc))
            continue
        if is_dir:
            yield from _walk(path)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        else:
            yield NotAnArticle(str(path), "not an article type")


def unsupported_reason(suffix: str) -> str:
    if not suffix or suffix == ".":
        return "unsupported file type (no extension)"
    return f"unsupported file type '{suffix}'"


def _too_big_reason(size: int) -> str:
    # Rounded up so a file just over the limit never reads as "20.0 MB".
    mb = math.ceil(size / (1024 * 1024) * 10) / 10
    return f"file is larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit ({mb:.1f} MB)"


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).strip()
