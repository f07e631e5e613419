"""The annotation table: the open document's spans, one row each, in text order.

One document holds tens to a few hundred spans, so the model keeps them all (unlike the
document list, which pages through the corpus). It changes row by row as commands report
changes, so the user's selection and scroll position survive an edit.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset

from .label_palette import color_swatch
from .span_layers import Look, look_of, who

log = logging.getLogger(__name__)

LABEL, BY, TEXT, CORRECTION, NOTE = range(5)
_HEADERS = ("Label", "By", "Text", "Correction", "Note")
_BY_TIPS = {
    Look.OWN: "Your tag",
    Look.PENDING: "A suggestion: accept or reject it",
    Look.CURATED: "The curator's settled result",
}
_AnyIndex = QModelIndex | QPersistentModelIndex
_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def _order(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id or 0)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class SpanTableModel(QAbstractTableModel):
    def __init__(self, tagset: Tagset, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tagset = tagset
        self._spans: list[Span] = []
        # Sorted keys beside the spans and each id's key: row lookups by bisection, since an
        # article can carry 20,000 spans and every add or edit looks a row up.
        self._keys: list[tuple[int, int, int]] = []
        self._key_by_id: dict[int, tuple[int, int, int]] = {}
        self._swatches: dict[str, QIcon] = {}
        #: Whose layer the By column calls "you" (None: names everyone as stored).
        self.viewer: str | None = None

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

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

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        column = index.column()
        pending = span.status == SpanStatus.PENDING
        if role == Qt.ItemDataRole.DisplayRole:
            if column == LABEL:
                name = self._label_name(span.label)
                if span.error_type:
                    name = f"{name}: {span.error_type.replace('_', ' ')}"
                return f"{name} (suggested)" if pending else name
            if column == BY:
                return who(span, self.viewer)
            if column == TEXT:
                return _one_line(span.text)
            if column == CORRECTION:
                return _one_line(span.correction)
            return _one_line(span.note)
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return self._swatch(span.label)
        if role == Qt.ItemDataRole.FontRole and pending:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NOTE and span.note:
                return span.note
            if column == TEXT:
                return f"{span.text}\n(characters {span.start}–{span.end})"
            if column == BY:
                look = look_of(span, self.viewer)
                return _BY_TIPS.get(look) or f"In {span.layer}'s layer"
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None

    def _label_name(self, key: str) -> str:
        label = self._tagset.get(key)
        return label.name if label else key

    def _swatch(self, key: str) -> QIcon:
        icon = self._swatches.get(key)
        if icon is None:
            label = self._tagset.get(key)
            icon = color_swatch(label.color if label else "#9c9c9c")
            self._swatches[key] = icon
        return icon

    # -- public API ---------------------------------------------------------------------------

    def set_spans(self, spans: Iterable[Span]) -> None:
        self.beginResetModel()
        self._spans = sorted(spans, key=_order)
        self._keys = [_order(s) for s in self._spans]
        self._key_by_id = {s.id: k for s, k in zip(self._spans, self._keys, strict=True)
                           if s.id is not None}
        self.endResetModel()

    def spans(self) -> list[Span]:
        return list(self._spans)

    def set_viewer(self, name: str | None) -> None:
        if name != self.viewer:
            self.viewer = name
            if self._spans:
                self.dataChanged.emit(self.index(0, BY), self.index(len(self._spans) - 1, BY))

    def row_of(self, span_id: int) -> int | None:
        key = self._key_by_id.get(span_id)
        if key is None:
            return None
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else None

    def span(self, span_id: int) -> Span | None:
        row = self.row_of(span_id)
        return self._spans[row] if row is not None else None

    def span_at(self, row: int) -> Span | None:
        return self._spans[row] if 0 <= row < len(self._spans) else None

    def upsert(self, span: Span) -> None:
        assert span.id is not None
        old = self.row_of(span.id)
        if old is not None:
            if _order(self._spans[old]) == _order(span):
                self._spans[old] = span
                self.dataChanged.emit(self.index(old, 0), self.index(old, len(_HEADERS) - 1))
                return
            self.remove(span.id)
        key = _order(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self._keys.insert(row, key)
        self._key_by_id[span.id] = key
        self.endInsertRows()

    def remove(self, span_id: int) -> bool:
        row = self.row_of(span_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        del self._keys[row]
        del self._key_by_id[span_id]
        self.endRemoveRows()
        return True


class AnnotationTable(QTableView):
    """``spanChosen`` on click or Enter (the window selects the span in the article view);
    ``deleteRequested`` on Delete/Backspace (the window pushes the undo command: widgets never
    write to the database)."""

    spanChosen = Signal(int)
    deleteRequested = Signal(int)

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("annotationTable")
        self.setAccessibleName("Annotations")
        self._model = SpanTableModel(tagset, self)
        self.setModel(self._model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        advance = self.fontMetrics().horizontalAdvance
        columns.resizeSection(LABEL, advance("Error: misspelled name (suggested)") + 36)
        columns.resizeSection(BY, advance("suggestion") + 16)
        columns.resizeSection(TEXT, advance("M") * 16)
        columns.resizeSection(CORRECTION, advance("M") * 12)
        self.clicked.connect(self._on_clicked)

    def model(self) -> SpanTableModel:  # type: ignore[override]
        return self._model

    def set_spans(self, spans: Iterable[Span]) -> None:
        self._model.set_spans(spans)

    def set_viewer(self, name: str | None) -> None:
        """Whose spans the By column calls "you"."""
        self._model.set_viewer(name)

    def upsert_span(self, span: Span) -> None:
        keep = self.current_span_id()
        self._model.upsert(span)
        if keep is not None:
            self.select_span(keep)

    def remove_span(self, span_id: int) -> None:
        self._model.remove(span_id)

    def span(self, span_id: int) -> Span | None:
        return self._model.span(span_id)

    def spans(self) -> list[Span]:
        return self._model.spans()

    def current_span_id(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        span = self._model.span_at(rows[0].row()) if rows else None
        return span.id if span else None

    def select_span(self, span_id: int | None) -> None:
        """Follow the selection made elsewhere; emits nothing."""
        selection = self.selectionModel()
        row = self._model.row_of(span_id) if span_id is not None else None
        if row is None:
            selection.clearSelection()
            return
        index = self._model.index(row, LABEL)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _on_clicked(self, index: QModelIndex) -> None:
        span = self._model.span_at(index.row())
        if span is not None and span.id is not None:
            self.spanChosen.emit(span.id)

    def event(self, event: QEvent) -> bool:
        # Claim Delete/Backspace before the window's "Delete span" shortcut sees them: here
        # they mean the selected row, which may not be the span current in the article view.
        if event.type() == QEvent.Type.ShortcutOverride:
            if (
                isinstance(event, QKeyEvent)
                and event.key() in _DELETE_KEYS
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            ):
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if plain and key in _DELETE_KEYS:
            span_id = self.current_span_id()
            if span_id is not None:
                self.deleteRequested.emit(span_id)
            event.accept()
            return
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            span_id = self.current_span_id()
            if span_id is not None:
                self.spanChosen.emit(span_id)
            event.accept()
            return
        super().keyPressEvent(event)
