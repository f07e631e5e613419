"""An article's running text out of a PDF, via pdfminer.six's layout analysis.

A fact-checker marks sentences, so what matters is the prose in reading order: the running
header and footer a newspaper prints on every page, and the page numbers, are not part of
it, and a word the typesetter broke at a line end ("Ingebrigt-\\nsen") must come back whole,
or a search for the name would miss it. pdfminer groups the glyphs into text boxes in reading
order (columns included); here the boxes become paragraphs, the page margins are cleaned and
hyphenated line ends are joined.

A PDF without a text layer (a scan) gives no text: it is refused with a reason, since an
article of zero characters is useless and OCR is a job for another tool.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from dataclasses import dataclass

from annotator.core.textload import LoadError

#: The share of the page height, at the top and at the bottom, where headers, footers and
#: page numbers live; a box reaching beyond it is body text.
_MARGIN = 0.12
# A well-formed roman numeral only: "did" or "civil" alone in a margin is no page number.
_ROMAN = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^(?:(?:page|p\.|seite|página|pagina)\s*)?[-–—(\[]?\s*(?:\d{{1,4}}|{_ROMAN})"
    r"(?:\s*(?:/|of|de|von|sur)\s*\d{1,4})?\s*[-–—)\]]?$",
    re.IGNORECASE,
)
# The typographic ligatures PDF fonts map to one glyph: NFC keeps them, and "ﬁnal" would
# then never match a search for "final".
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})  # fmt: skip
_SENTENCE_END = '.!?:;"”’»)]'


@dataclass
class _Box:
    lines: list[str]
    top: float  # 0 at the top of the page, 1 at the bottom
    bottom: float

    @property
    def flat(self) -> str:
        return " ".join(" ".join(self.lines).split())


def extract_pdf(data: bytes, source: str) -> str:
    """The article text (paragraphs separated by blank lines). Raises LoadError."""
    pages = _read_boxes(data, source)
    if not any(box.flat for page in pages for box in page):
        raise LoadError(
            source,
            "the PDF has no text layer (a scan or images only): run it through OCR first",
        )
    paragraphs: list[str] = []
    continues = False
    for page in _without_margins(pages):
        first = True
        for box in page:
            text = _join_lines(box.lines)
            if not text:
                continue
            if first and continues and text[:1].islower():
                # The paragraph broken by the page turn goes on here.
                paragraphs[-1] = _join_lines([paragraphs[-1], text])
            else:
                paragraphs.append(text)
            first = False
        continues = bool(paragraphs) and not paragraphs[-1].endswith(tuple(_SENTENCE_END))
    return "\n\n".join(paragraphs)


def _read_boxes(data: bytes, source: str) -> list[list[_Box]]:
    # Imported here: pdfminer is only needed when a PDF is opened.
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException

    pages: list[list[_Box]] = []
    try:
        # pdfminer reports damaged but readable files with warnings and log lines; the
        # user gets the text, or one clear line when there is none.
        with warnings.catch_warnings(), _quiet("pdfminer"):
            warnings.simplefilter("ignore")
            for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
                height = page.height or 1.0
                boxes = []
                for item in page:
                    if not isinstance(item, LTTextBox):
                        continue
                    lines = [line.get_text().strip() for line in item]
                    boxes.append(_Box(
                        lines=[line for line in lines if line],
                        top=(page.y1 - item.y1) / height,
                        bottom=(page.y1 - item.y0) / height,
                    ))  # fmt: skip
                pages.append(boxes)
    except PDFPasswordIncorrect:
        raise LoadError(source, "the PDF is protected by a password") from None
    except PDFEncryptionError as exc:
        raise LoadError(source, f"the PDF is encrypted and cannot be read ({exc})") from None
    except (PSException, ValueError, TypeError, KeyError, IndexError, AssertionError,
            RecursionError, ZeroDivisionError) as exc:  # fmt: skip
        # pdfminer's parser lets many plain exceptions out of broken files.
        raise LoadError(source, f"cannot read the PDF ({_one_line(exc)})") from None
    return pages


class _quiet:
    """Raise a library's logger to ERROR for a while: its warnings are about the file's
    internals, which the user cannot act on."""

    def __init__(self, name: str) -> None:
        self._logger = logging.getLogger(name)
        self._level = self._logger.level

    def __enter__(self) -> None:
        self._logger.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)


def _without_margins(pages: list[list[_Box]]) -> list[list[_Box]]:
    """Drop page numbers, and the boxes in the top or bottom margin that come back (digits
    aside: "Athletics Weekly · 3") on at least half the pages."""

    def key(box: _Box) -> str:
        return re.sub(r"\d+", "#", box.flat.casefold())

    def marginal(box: _Box) -> bool:
        return box.bottom <= _MARGIN or box.top >= 1 - _MARGIN

    seen = Counter(k for page in pages for k in {key(b) for b in page if marginal(b)})
    repeated = {k for k, n in seen.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    return [
        [b for b in page
         if not (marginal(b) and (_PAGE_NUMBER.match(b.flat) or key(b) in repeated))]
        for page in pages
    ]  # fmt: skip


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.translate(_LIGATURES).strip()
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("\u00ad"):
            text = text[:-1] + line  # a soft hyphen marks exactly this kind of break
        elif _ends_in_hyphen(text):
            # "Ingebrigt-" "sen" was one word broken by the typesetter; before a capital or
            # a digit ("Jean-" "Pierre", "2023-" "24") the hyphen is the writer's and stays.
            text = (text[:-1] if line[:1].islower() else text) + line
        else:
            text = f"{text} {line}"
    return text.replace("\u00ad", "")


def _ends_in_hyphen(text: str) -> bool:
    return len(text) >= 2 and text[-1] in "-‐" and text[-2].isalnum()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
