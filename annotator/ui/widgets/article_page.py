"""The page the article is read on: read-only, wrapped to a readable line length with the side
margins filled like paper, and zoomed (Ctrl+=, Ctrl+-, Ctrl+0, Ctrl+wheel). The article view
(document_view) adds the spans; nothing here knows of them.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPalette, QResizeEvent, QTextOption, QWheelEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.ui.widgets.article_format import install_paragraph_layout

FONT_POINT_SIZE = 12.0
DOCUMENT_MARGIN = 24
# About 80 characters a line: beyond that the eye loses its place going back to the next line.
MAX_LINE_CHARS = 80
# Zoom: the article's point size moves in steps between these bounds.
MIN_FONT_POINT_SIZE = 7.0
MAX_FONT_POINT_SIZE = 40.0
ZOOM_STEP = 1.0


class ArticlePage(QPlainTextEdit):
    #: The article's point size after a zoom (the window remembers it).
    fontSizeChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # First: it gives the page a new document, which everything below configures.
        self._layout = install_paragraph_layout(self)
        self.setReadOnly(True)
        # Read-only must not mean mouse-only: Shift+arrows is how a keyboard user selects.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFont(self.font())
        font.setPointSizeF(FONT_POINT_SIZE)
        self.setFont(font)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        # The side margins that cap the line length must look like the page, not the window.
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._side_margin = 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        text_width = self.fontMetrics().averageCharWidth() * MAX_LINE_CHARS + 2 * DOCUMENT_MARGIN
        frame = self.frameWidth() * 2 + self.verticalScrollBar().sizeHint().width()
        side = max(0, (self.width() - frame - text_width) // 2)
        if side != self._side_margin:
            self._side_margin = side
            self.setViewportMargins(side, 0, side, 0)
            # QPlainTextEdit re-wraps only when a resize event says the width changed, and the
            # viewport's own resize never reaches it: tell it, or lines run past the edge.
            super().resizeEvent(QResizeEvent(self.size(), QSize(-1, -1)))

    # -- zoom --------------------------------------------------------------------------------

    def font_size(self) -> float:
        return self.font().pointSizeF()

    def set_font_size(self, size: float) -> None:
        size = min(MAX_FONT_POINT_SIZE, max(MIN_FONT_POINT_SIZE, float(size)))
        if size == self.font_size():
            return
        font = QFont(self.font())
        font.setPointSizeF(size)
        self.setFont(font)
        # The side margins follow the character width: recompute them as a resize would.
        self.resizeEvent(QResizeEvent(self.size(), self.size()))
        self.viewport().update()
        self.fontSizeChanged.emit(size)

    def zoom_by(self, steps: float) -> None:
        self.set_font_size(self.font_size() + steps * ZOOM_STEP)

    def reset_zoom(self) -> None:
        self.set_font_size(FONT_POINT_SIZE)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(steps)
            event.accept()
            return
        super().wheelEvent(event)
