"""The annotation table: the open document's spans, one row each, sortable on every column and
filtered by the row of controls above it (``AnnotationPanel``).

The models live in ``annotation_table_model``; the view speaks in span ids, mapping through the
sort/filter proxy, so the rest of the window never sees proxy rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset
from annotator.ui.models.annotation_table_model import (
    BY,
    CONFIDENCE,
    CORRECTION,
    LABEL,
    POSITION,
    RULE,
    STATUS,
    TEXT,
    SpanFilterProxy,
    SpanTableModel,
    status_name,
)
from annotator.ui.models.rule_rates import RuleRates

__all__ = ["BY", "LABEL", "AnnotationPanel", "AnnotationTable", "SpanTableModel"]

log = logging.getLogger(__name__)

_DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
#: The status filter's choices (rejected suggestions are not shown in the table at all).
_STATUS_CHOICES = (None, SpanStatus.PENDING, SpanStatus.ACCEPTED)


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
        self._proxy = SpanFilterProxy(self._model, self)
        self.setModel(self._proxy)
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
        columns.resizeSection(STATUS, advance("Accepted") + 24)
        columns.resizeSection(POSITION, advance("00000–00000") + 24)
        columns.resizeSection(CONFIDENCE, advance("Confidence") + 24)
        columns.resizeSection(RULE, advance("date-explicit") + 16)
        columns.resizeSection(CORRECTION, advance("M") * 12)
        columns.setSortIndicatorShown(True)
        self.setSortingEnabled(True)
        # Text order first, as the article reads; a header click sorts on that column.
        self.sortByColumn(POSITION, Qt.SortOrder.AscendingOrder)
        self.clicked.connect(self._on_clicked)

    def model(self) -> SpanTableModel:  # type: ignore[override]
        """The source model (every span, in text order), not the proxy the view shows."""
        return self._model

    @property
    def proxy(self) -> SpanFilterProxy:
        """The sorted, filtered rows as the view shows them."""
        return self._proxy

    def set_spans(self, spans: Iterable[Span]) -> None:
        """Show another set of spans (a new document, or a reload): from the top."""
        self._model.set_spans(spans)
        self.scrollToTop()
        self.horizontalScrollBar().setValue(0)

    def set_filter(
        self, *, label: str | None = None, status: SpanStatus | None = None, text: str = ""
    ) -> None:
        """Show only the spans with this label, this status and this text (in the span, its
        correction or its note); None or "" leaves that part open. A current span filtered
        out is no longer selected here (the article keeps it)."""
        keep = self.current_span_id()
        self._proxy.set_filter(label=label, status=status, text=text)
        # Qt moves the selection to a neighbour when the selected row is filtered out: the
        # table must not claim a current span the article and the inspector do not show.
        self.select_span(keep)

    def visible_span_ids(self) -> list[int]:
        """Span ids in the order the rows are shown (sorted, filtered)."""
        ids = []
        for row in range(self._proxy.rowCount()):
            span_id = self._proxy.index(row, LABEL).data(Qt.ItemDataRole.UserRole)
            if span_id is not None:
                ids.append(span_id)
        return ids

    def pending_count(self) -> int:
        """Pending suggestions among the open document's spans (filtered out or not)."""
        return self._model.pending_count()

    def set_viewer(self, name: str | None) -> None:
        """Whose spans the By column calls "you"."""
        self._model.set_viewer(name)

    def set_rule_rates(self, rates: RuleRates) -> None:
        self._model.rule_rates = rates

    def upsert_span(self, span: Span) -> None:
        keep = self.current_span_id()
        self._model.upsert(span)
        if keep is not None:
            self.select_span(keep)

    def remove_span(self, span_id: int) -> None:
        self._model.remove(span_id)

    def span(self, span_id: int) -> Span | None:
        return self._model.span_by_id(span_id)

    def spans(self) -> list[Span]:
        return self._model.spans()

    def current_span_id(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        if not rows:
            return None
        span = self._model.span_at(self._proxy.mapToSource(rows[0]).row())
        return span.id if span else None

    def select_span(self, span_id: int | None) -> None:
        """Follow the selection made elsewhere; emits nothing."""
        selection = self.selectionModel()
        row = self._model.row_of(span_id) if span_id is not None else None
        index = (self._proxy.mapFromSource(self._model.index(row, LABEL)) if row is not None
                 else QModelIndex())  # fmt: skip
        if not index.isValid():  # no span, or one the filter hides
            selection.clearSelection()
            return
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _on_clicked(self, index: QModelIndex) -> None:
        span = self._model.span_at(self._proxy.mapToSource(index).row())
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


class AnnotationFilterBar(QWidget):
    """Label, status and text filters over the annotation table. Plain tab stops before the
    table, so the keyboard reaches them; Escape in the text box clears it."""

    def __init__(
        self, table: AnnotationTable, tagset: Tagset, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotationFilters")
        self._table = table
        self.label_combo = QComboBox()
        self.label_combo.setObjectName("annotationLabelFilter")
        self.label_combo.setAccessibleName("Filter annotations by label")
        self.label_combo.addItem("All labels", None)
        for label in tagset.labels:
            self.label_combo.addItem(label.name, label.key)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("annotationStatusFilter")
        self.status_combo.setAccessibleName("Filter annotations by status")
        for status in _STATUS_CHOICES:
            self.status_combo.addItem("Any status" if status is None else status_name(status),
                                      status)  # fmt: skip
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("annotationTextFilter")
        self.text_edit.setAccessibleName("Filter annotations by text")
        self.text_edit.setPlaceholderText("Filter text, correction, note…")
        self.text_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("annotationCount")
        self.count_label.setAccessibleName("Annotations shown")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.label_combo)
        layout.addWidget(self.status_combo)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.count_label)
        self.label_combo.currentIndexChanged.connect(self._apply)
        self.status_combo.currentIndexChanged.connect(self._apply)
        self.text_edit.textChanged.connect(self._apply)
        proxy = table.proxy
        for signal in (
            proxy.rowsInserted,
            proxy.rowsRemoved,
            proxy.modelReset,
            proxy.layoutChanged,
        ):
            signal.connect(self._show_count)
        self._show_count()

    def _apply(self) -> None:
        self._table.set_filter(
            label=self.label_combo.currentData(),
            status=self.status_combo.currentData(),
            text=self.text_edit.text(),
        )
        self._show_count()

    def _show_count(self) -> None:
        shown, total = self._table.proxy.rowCount(), self._table.model().rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} spans")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text_edit.hasFocus() and self.text_edit.text():
            self.text_edit.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class AnnotationPanel(QWidget):
    """What the Annotations dock holds: the filter row above the table."""

    def __init__(
        self, table: AnnotationTable, tagset: Tagset, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("annotationPanel")
        self.table = table
        self.filters = AnnotationFilterBar(table, tagset)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(table, 1)
        QWidget.setTabOrder(self.filters.text_edit, table)
