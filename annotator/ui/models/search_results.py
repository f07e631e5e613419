"""The corpus search's results as rows: document, position, the context with the match in
bold, and the label of a span hit.

The context column carries HTML for ``ContextDelegate`` (``CONTEXT_HTML_ROLE``) and plain
text for everything else (accessibility, copying, sorting), so a screen reader reads the
sentence, not markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
)
from PySide6.QtGui import QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

if TYPE_CHECKING:
    from annotator.services.search import Hit

DOCUMENT, POSITION, CONTEXT, LABEL = range(4)
_HEADERS = ("Document", "Position", "Context", "Label")
CONTEXT_HTML_ROLE = Qt.ItemDataRole.UserRole + 1
_AnyIndex = QModelIndex | QPersistentModelIndex


def context_html(hit: Hit) -> str:
    return f"{html.escape(hit.before)}<b>{html.escape(hit.match)}</b>{html.escape(hit.after)}"


class SearchResultsModel(QAbstractTableModel):
    def __init__(self, label_name: Callable[[str], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._label_name = label_name

    def set_hits(self, hits: Sequence[Hit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> Hit:
        return self._hits[row]

    def hits(self) -> list[Hit]:
        return list(self._hits)

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return _HEADERS[section]
        return None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        column = index.column()
        if role == CONTEXT_HTML_ROLE and column == CONTEXT:
            return context_html(hit)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == DOCUMENT:
                return hit.title
            if column == POSITION:
                return str(hit.start)
            if column == CONTEXT:
                return f"{hit.before}{hit.match}{hit.after}"
            if column == LABEL:
                return self._label_name(hit.label) if hit.label else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == POSITION:
            return f"Characters {hit.start}–{hit.end} of the article"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == POSITION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ContextDelegate(QStyledItemDelegate):
    """Draws the context column's HTML on one line, in the palette's text colours (the
    selected row's too), so the bold match reads in light and dark themes."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _AnyIndex) -> None:
        markup = index.data(CONTEXT_HTML_ROLE)
        if not markup:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role).name()
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(opt.font)
        document.setHtml(f'<span style="color: {colour}; white-space: pre;">{markup}</span>')
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        painter.save()
        painter.setClipRect(rect)
        top = rect.top() + max(0.0, (rect.height() - document.size().height()) / 2)
        painter.translate(rect.left(), top)
        document.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
        painter.restore()
