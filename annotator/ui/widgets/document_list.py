"""The document list: a filterable table of every document in the corpus.

The model (document_list_model) holds only ids and fetches rows page by page; the view is
shaped the same way: fixed row heights and fixed-width columns, so Qt never has to measure
rows it is not showing.

Several rows can be selected (a curator assigns them together); a document opens when the
user's selection is one row, so extending a selection never switches the article.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import DocStatus
from annotator.services.desk import Role
from annotator.services.documents import DocumentService
from annotator.ui.models.document_list_model import DESK, SPANS, STATUS, TITLE, DocumentListModel

FILTER_DEBOUNCE_MS = 150
REFRESH_DELAY_MS = 200
#: The status filter's entry for the viewer's queue (the others carry a DocStatus value).
QUEUE = "queue"


class DocumentListPanel(QWidget):
    """Filter box, status filter, the document table and a count.

    ``documentActivated`` fires only for the user's own choices; the main window moves the
    selection with select_document() when it opens a document by other means, and that must
    not echo back as a new request to open it.
    """

    documentActivated = Signal(int)
    #: A right click on rows: the ids it is about (the selection, or the row clicked) and
    #: where, in global coordinates. The window decides what, if anything, to offer.
    rowsMenuRequested = Signal(list, QPoint)

    def __init__(self, documents: DocumentService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._documents = documents
        # Set while the panel itself moves the selection: those moves are not the user's.
        self._quiet = False

        self._filter = QLineEdit(self)
        self._filter.setObjectName("documentFilter")
        self._filter.setAccessibleName("Filter documents")
        self._filter.setPlaceholderText("Filter titles…")
        self._filter.setClearButtonEnabled(True)
        # Fixed, so the clear button appearing does not change the panel's minimum width.
        self._filter.setMinimumWidth(self._filter.fontMetrics().averageCharWidth() * 12)

        self._status = QComboBox(self)
        self._status.setObjectName("statusFilter")
        self._status.setAccessibleName("Filter by status")
        self._status.addItem("All", "")
        self._status.addItem("My queue", QUEUE)
        self._status.setItemData(
            1, "Assigned to you and not done by you yet", Qt.ItemDataRole.ToolTipRole
        )
        for status in DocStatus:
            self._status.addItem(status.display, status.value)

        self._model = DocumentListModel(documents, self, progressive=True)
        self._view = QTableView(self)
        self._setup_view()
        # The rest of the ids is fetched once the first page has been painted, not before:
        # the window is on screen first, however long 100,000 ids take.
        self._viewport = self._view.viewport()
        self._viewport.installEventFilter(self)

        self._count = QLabel(self)
        self._count.setObjectName("documentCount")
        self._count.setAccessibleName("Document count")
        self._count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # The text changes on every filter; it must not change the panel's minimum width.
        self._count.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filter)
        # Span counts and statuses are refreshed a moment after a change, in one batch: the
        # re-query would otherwise sit between a label key press and the article's repaint.
        self._stale: set[int] = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_stale)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._filter, 1)
        top.addWidget(self._status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self._view, 1)
        layout.addWidget(self._count)
        self.setTabOrder(self._filter, self._status)
        self.setTabOrder(self._status, self._view)

        self._filter.textChanged.connect(self._debounce.start)
        self._filter.returnPressed.connect(self._filter_entered)
        self._filter.installEventFilter(self)
        self._status.currentIndexChanged.connect(self._apply_filter)
        self._view.installEventFilter(self)
        self._view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._view.customContextMenuRequested.connect(self._on_context_menu)
        self._model.idsLoaded.connect(self._update_count)
        self._show_desk_column()
        self._update_count()

    def _setup_view(self) -> None:
        view = self._view
        view.setObjectName("documentList")
        view.setAccessibleName("Documents")
        view.setModel(self._model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setShowGrid(False)
        view.setAlternatingRowColors(True)
        view.setSortingEnabled(False)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Tab leaves the table instead of walking its cells: rows are the unit here.
        view.setTabKeyNavigation(False)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        # QTableView has no setUniformRowHeights; a fixed, hidden vertical header is the
        # equivalent, so scrolling never asks the model for rows off screen.
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        height = view.fontMetrics().height() + 8
        rows.setMinimumSectionSize(height)
        rows.setDefaultSectionSize(height)

        # Fixed widths from font metrics, not ResizeToContents, which would measure up to
        # 1,000 rows (and fetch their pages) on every reset.
        columns = view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = columns.fontMetrics()
        widest_status = max(metrics.horizontalAdvance(s.display) for s in DocStatus)
        columns.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Fixed)
        # Room for the text and the cell margins, no more: the title takes what is left.
        columns.resizeSection(STATUS, widest_status + 16)
        columns.setSectionResizeMode(SPANS, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(SPANS, metrics.horizontalAdvance("Spans") + 16)
        columns.setSectionResizeMode(DESK, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(DESK, metrics.horizontalAdvance("10 of 10") + 16)
        # The queue's ▶ is small: every pixel of a narrow dock's title column counts.
        view.setIconSize(QSize(12, 12))

    def model(self) -> DocumentListModel:
        return self._model

    def view(self) -> QTableView:
        return self._view

    def reload(self) -> None:
        """Re-query the list, keeping the current document selected if it is still listed.
        Also the moment to follow a role change: only a curator sees the desk column."""
        self._show_desk_column()
        self._requery(self._model.reload)

    def _show_desk_column(self) -> None:
        curator = self._documents.desk.role() is Role.CURATOR
        self._view.setColumnHidden(DESK, not curator)

    def refresh_document(self, doc_id: int) -> None:
        self._stale.discard(doc_id)
        self._model.refresh_ids([doc_id])

    def refresh_document_soon(self, doc_id: int) -> None:
        """Refresh after a short delay, batched: for span counts, which change on every label
        key press and matter less than the article's own repaint."""
        self._stale.add(doc_id)
        self._refresh_timer.start()

    def shutdown(self) -> None:
        """The window is closing: a filter or a refresh still waiting must not query a
        database that is about to be closed (or, on a server, dropped)."""
        self._debounce.stop()
        self._refresh_timer.stop()

    def _refresh_stale(self) -> None:
        stale, self._stale = self._stale, set()
        self._model.refresh_ids(stale)

    def select_document(self, doc_id: int) -> bool:
        """Make the document current without emitting documentActivated. If it is filtered
        out, the selection is cleared (so the list never highlights a document that is not
        the open one) and False is returned."""
        row = self._model.row_of(doc_id)
        selection = self._view.selectionModel()
        self._quiet = True
        try:
            if row is None:
                selection.clearSelection()
                return False
            index = self._model.index(row, TITLE)
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.setCurrentIndex(index, flags)
        finally:
            self._quiet = False
        self._view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def current_document_id(self) -> int | None:
        selection = self._view.selectionModel()
        current = selection.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row()):
            return self._model.id_at(current.row())
        rows = selection.selectedRows()
        return self._model.id_at(rows[0].row()) if rows else None

    def selected_document_ids(self) -> list[int]:
        """The selected documents in list order."""
        rows = sorted(i.row() for i in self._view.selectionModel().selectedRows())
        return [doc_id for row in rows if (doc_id := self._model.id_at(row)) is not None]

    def _select_silently(self, ids: list[int]) -> None:
        """Select several documents again after a re-query, without opening any."""
        rows = [row for doc_id in ids if (row := self._model.row_of(doc_id)) is not None]
        if not rows:
            return
        last = self._model.columnCount() - 1
        chosen = QItemSelection()
        for row in rows:
            chosen.select(self._model.index(row, 0), self._model.index(row, last))
        flag = QItemSelectionModel.SelectionFlag
        self._quiet = True
        try:
            self._view.selectionModel().select(chosen, flag.ClearAndSelect)
            self._view.selectionModel().setCurrentIndex(
                self._model.index(rows[0], TITLE), flag.NoUpdate
            )
        finally:
            self._quiet = False

    def neighbour(self, doc_id: int | None, step: int) -> int | None:
        """The id ``step`` rows from ``doc_id`` (previous/next document), None past the ends.
        From no document, or one the filter hides, a step forward gives the first document
        and a step back the last, so "next document" always has somewhere to go."""
        if step == 0:
            return doc_id
        model = self._model
        row = model.row_of(doc_id) if doc_id is not None else None
        if row is None:
            if step < 0:
                model.ensure_loaded()  # counted back from the end, which may not be fetched
            target = step - 1 if step > 0 else model.rowCount() + step
        else:
            target = row + step
        if target >= model.rowCount():
            model.ensure_loaded()  # past the first page: the answer is in the rest
        return model.id_at(target) if 0 <= target < model.rowCount() else None

    def focus_filter(self) -> None:
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._filter.selectAll()

    def _status_choice(self) -> tuple[DocStatus | None, bool]:
        value = self._status.currentData()
        if value == QUEUE:
            return None, True
        return (DocStatus(value) if value else None), False

    def _apply_filter(self) -> None:
        self._debounce.stop()
        text, (status, queue) = self._filter.text().strip(), self._status_choice()
        model = self._model
        if (text, status, queue) == (model.filter_text, model.filter_status, model.queue_only):
            return
        self._requery(lambda: model.set_filter(text, status, queue_only=queue))

    def _requery(self, change: Callable[[], None]) -> None:
        # A model reset clears the selection (silently); put it back, silently too.
        keep = self.current_document_id()
        several = self.selected_document_ids() if keep is not None else []
        change()
        if len(several) > 1:
            self._select_silently(several)
        elif keep is not None:
            self.select_document(keep)
        self._update_count()

    def _update_count(self) -> None:
        if self._model.loading:
            # Until the rest of the ids arrives: just after the first paint, or, while the
            # panel is hidden, when something needs the whole list.
            self._count.setText("Listing documents…")
            return
        shown = self._model.rowCount()
        model = self._model
        filtered = bool(model.filter_text) or model.filter_status is not None or model.queue_only
        # Counting the whole table is only needed when a filter hides part of it.
        total = self._documents.count() if filtered else shown
        noun = "document" if total == 1 else "documents"
        if filtered:
            self._count.setText(f"{shown:,} of {total:,} {noun}")
        else:
            self._count.setText(f"{shown:,} {noun}")

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._quiet or selected.isEmpty():
            return
        rows = self._view.selectionModel().selectedRows()
        if len(rows) != 1:
            return  # a selection being extended: the open article stays
        doc_id = self._model.id_at(rows[0].row())
        if doc_id is not None:
            self.documentActivated.emit(doc_id)

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self._view.indexAt(pos)
        clicked = self._model.id_at(index.row()) if index.isValid() else None
        if clicked is None:
            return
        selected = self.selected_document_ids()
        ids = selected if clicked in selected else [clicked]
        self.rowsMenuRequested.emit(ids, self._view.viewport().mapToGlobal(pos))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport:
            if event.type() == QEvent.Type.Paint:
                self._model.request_rest()  # runs after this paint, from the event loop
            return False
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if watched is self._view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.current_document_id()
                if current is not None:
                    self.documentActivated.emit(current)
                return True
            if watched is self._filter and key == Qt.Key.Key_Down:
                self._enter_list()
                return True
            if watched is self._filter and key == Qt.Key.Key_Escape and self._filter.text():
                self._filter.clear()  # every document again, the box keeps the focus
                self._apply_filter()
                return True
        return super().eventFilter(watched, event)

    def _filter_entered(self) -> None:
        """Enter in the filter box: when exactly one document matches, open it (what a
        user typing a title expects); otherwise just filter now."""
        self._apply_filter()
        # A first page still loading holds a full page of matches: never exactly one.
        if not self._model.loading and self._model.rowCount() == 1:
            only = self._model.id_at(0)
            if only is not None:
                self.select_document(only)
                self.documentActivated.emit(only)

    def _enter_list(self) -> None:
        """Down in the filter box moves into the list, picking the first row if none is."""
        self._apply_filter()
        self._view.setFocus(Qt.FocusReason.TabFocusReason)
        if self.current_document_id() is None and self._model.rowCount():
            self._view.selectRow(0)  # a user action: it emits documentActivated
