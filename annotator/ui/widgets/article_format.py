"""How the article view lays out paragraphs and headings.

QPlainTextEdit (which the view is, for its speed on megabyte articles) ignores block margins,
so one newline between two paragraphs would leave them touching. ``ParagraphLayout`` adds the
spacing where QPlainTextEdit measures blocks (``blockBoundingRect``): painting, hit testing,
cursor rectangles and scrolling all ask that one virtual, so they agree on where lines are.
Sizes are relative to the view's font, so zoom scales spacing and headings alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

from annotator.core.markdown_display import Heading

#: Space after a paragraph, in lines of the view's font: enough to tell paragraphs apart
#: without spreading a wire report of one-line paragraphs over twice the screens.
PARAGRAPH_SPACING_LINES = 0.5
#: QTextFormat.FontSizeAdjustment steps (Qt scales the base size by 1.2 a step up to +1,
#: 1.5 at +2): the first heading reads as the article's title, later ones as section heads.
TITLE_SIZE_STEP = 2
SECTION_SIZE_STEP = 1


class ParagraphLayout(QPlainTextDocumentLayout):
    """The plain-text layout with space below every non-empty paragraph but the last."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._spacing: tuple[str, float] = ("", 0.0)

    def paragraph_spacing(self) -> float:
        font = self.document().defaultFont()
        key = font.key()
        if key != self._spacing[0]:
            self._spacing = (key, round(QFontMetricsF(font).height() * PARAGRAPH_SPACING_LINES))
        return self._spacing[1]

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        # An empty line already separates paragraphs (Markdown's blank lines): no more.
        if rect.height() > 0 and block.length() > 1 and block.next().isValid():
            rect.setHeight(rect.height() + self.paragraph_spacing())
        return rect


def install_paragraph_layout(edit: QPlainTextEdit) -> ParagraphLayout:
    """Give ``edit`` a document laid out by ``ParagraphLayout`` (before any text is set).

    The caller keeps the returned layout: Qt calls its Python override for as long as the
    document lives, so the Python object must not be collected before it."""
    document = QTextDocument(edit)
    layout = ParagraphLayout(document)
    document.setDocumentLayout(layout)
    edit.setDocument(document)
    return layout


def style_headings(
    document: QTextDocument, headings: Sequence[Heading], to_utf16: Callable[[int], int]
) -> None:
    """Bold, larger heading lines; the first one the size of a title."""
    for n, heading in enumerate(headings):
        start, end = to_utf16(heading.start), to_utf16(heading.end)
        if start >= end:
            continue
        step = TITLE_SIZE_STEP if n == 0 else SECTION_SIZE_STEP if heading.level <= 2 else 0
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, step)
        cursor = QTextCursor(document)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
