"""The document list: a filterable table of every document in the corpus.

A corpus can hold 100,000 articles, so the model keeps only the ordered list of ids (the one
O(n) structure) and fetches titles, statuses and span counts through ``DocumentService.rows``
a page at a time, when the view first paints a row. Pages live in a small LRU cache, so memory
stays flat however far the user scrolls. The same reasoning shapes the view: fixed row heights
and fixed-width columns, so Qt never has to measure rows it is not showing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
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

from annotator.core.model import DocStatus, DocumentInfo
from annotator.services.documents import DocumentService

PAGE_SIZE = 200
#: 16 pages are 3,200 rows: several screens either side of any scroll position.
MAX_CACHED_PAGES = 16
FILTER_DEBOUNCE_MS = 150

TITLE, STATUS, SPANS = range(3)
_HEADERS = ("Title", "Status", "Spans")

_AnyIndex = QModelIndex | QPersistentModelIndex
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
# Marks an id whose row the service no longer returns (deleted elsewhere), so data() does not
# query for it again on every paint.
_GONE = None


class DocumentListModel(QAbstractTableModel):
    """Ids of the filtered documents; their rows are fetched lazily, page by page."""

    def __init__(self, documents: DocumentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._documents = documents
        self._filter_text = ""
        self._filter_status: DocStatus | None = None
        self._ids: list[int] = documents.ids()
        self._row_of: dict[int, int] | None = None
        self._pages: OrderedDict[int, dict[int, DocumentInfo | None]] = OrderedDict()

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == SPANS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # Alignment must not trigger a fetch: the view asks for it on every cell.
            if column == SPANS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        info = self._info(index.row())
        if info is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(info) if column == TITLE else None
        if column == TITLE:
            return info.title
        if column == STATUS:
            return info.status.display
        return info.span_count

    @property
    def ids(self) -> list[int]:
        """The filtered ids in list order (a copy: callers must not edit the model's list)."""
        return list(self._ids)

    @property
    def cached_pages(self) -> int:
        """How many pages of rows are held (tests use it to check that fetching is lazy)."""
        return len(self._pages)

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @property
    def filter_status(self) -> DocStatus | None:
        return self._filter_status

    def set_filter(self, text: str, status: DocStatus | None = None) -> None:
        self._filter_text = text.strip()  # the service ignores outer spaces; so does the check
        self._filter_status = status
        self.reload()

    def reload(self) -> None:
        """Re-query the ids (documents may have been imported, deleted or changed status)."""
        self.beginResetModel()
        self._ids = self._documents.ids(title_filter=self._filter_text, status=self._filter_status)
        self._row_of = None
        self._pages.clear()
        self.endResetModel()

    def refresh_ids(self, ids: Iterable[int]) -> None:
        """Forget the cached rows of these documents and repaint them. Rows stay where they
        are even if they no longer match the filter: rows vanishing under the user's cursor
        would be worse than a stale filter, which the next reload() fixes."""
        rows = sorted({row for doc_id in ids if (row := self.row_of(doc_id)) is not None})
        if not rows:
            return
        if len(rows) > 64:
            # A bulk change (suggestions over the corpus): one signal instead of thousands.
            self._pages.clear()
            self._emit_changed(rows[0], rows[-1])
            return
        for row in rows:
            page = self._pages.get(row // PAGE_SIZE)
            if page is not None:
                page.pop(self._ids[row], None)
            self._emit_changed(row, row)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, doc_id: int) -> int | None:
        if self._row_of is None:
            # Built on first use only: most resets (each keystroke in the filter) never need it.
            self._row_of = {doc_id: row for row, doc_id in enumerate(self._ids)}
        return self._row_of.get(doc_id)

    def info_at(self, row: int) -> DocumentInfo | None:
        """The row's metadata (fetched with its page if need be); None if out of range."""
        return self._info(row) if 0 <= row < len(self._ids) else None

    def _info(self, row: int) -> DocumentInfo | None:
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = self._fetch_page(number)
        else:
            self._pages.move_to_end(number)
        doc_id = self._ids[row]
        if doc_id not in page:
            # Dropped by refresh_ids(): fetch just this row, not the whole page again.
            page[doc_id] = self._documents.rows([doc_id]).get(doc_id, _GONE)
        return page[doc_id]

    def _fetch_page(self, number: int) -> dict[int, DocumentInfo | None]:
        wanted = self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        found = self._documents.rows(wanted)
        page: dict[int, DocumentInfo | None] = {i: found.get(i, _GONE) for i in wanted}
        self._pages[number] = page
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def _emit_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(_HEADERS) - 1))


def _tooltip(info: DocumentInfo) -> str:
    # The title repeats because the column elides long ones.
    lines = [info.title, info.source or "No source file recorded"]
    lines.append(f"Published {info.published.isoformat()}" if info.published else "No date")
    return "\n".join(lines)


class DocumentListPanel(QWidget):
    """Filter box, status filter, the document table and a count.

    ``documentActivated`` fires only for the user's own choices; the main window moves the
    selection with select_document() when it opens a document by other means, and that must
    not echo back as a new request to open it.
    """

    documentActivated = Signal(int)

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
        for status in DocStatus:
            self._status.addItem(status.display, status.value)

        self._model = DocumentListModel(documents, self)
        self._view = QTableView(self)
        self._setup_view()

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
        self._filter.returnPressed.connect(self._apply_filter)
        self._filter.installEventFilter(self)
        self._status.currentIndexChanged.connect(self._apply_filter)
        self._view.installEventFilter(self)
        self._view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self._update_count()

    def _setup_view(self) -> None:
        view = self._view
        view.setObjectName("documentList")
        view.setAccessibleName("Documents")
        view.setModel(self._model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
        columns.resizeSection(STATUS, widest_status + 24)
        columns.setSectionResizeMode(SPANS, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(SPANS, metrics.horizontalAdvance("Spans") + 24)

    def model(self) -> DocumentListModel:
        return self._model

    def view(self) -> QTableView:
        return self._view

    def reload(self) -> None:
        """Re-query the list, keeping the current document selected if it is still listed."""
        self._requery(self._model.reload)

    def refresh_document(self, doc_id: int) -> None:
        self._model.refresh_ids([doc_id])

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
        rows = self._view.selectionModel().selectedRows()
        return self._model.id_at(rows[0].row()) if rows else None

    def neighbour(self, doc_id: int | None, step: int) -> int | None:
        """The id ``step`` rows from ``doc_id`` (previous/next document), None past the ends.
        From no document, or one the filter hides, a step forward gives the first document
        and a step back the last, so "next document" always has somewhere to go."""
        count = self._model.rowCount()
        if count == 0 or step == 0:
            return doc_id if step == 0 else None
        row = self._model.row_of(doc_id) if doc_id is not None else None
        if row is None:
            target = step - 1 if step > 0 else count + step
        else:
            target = row + step
        return self._model.id_at(target) if 0 <= target < count else None

    def focus_filter(self) -> None:
        self._filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._filter.selectAll()

    def _status_choice(self) -> DocStatus | None:
        value = self._status.currentData()
        return DocStatus(value) if value else None

    def _apply_filter(self) -> None:
        self._debounce.stop()
        text, status = self._filter.text().strip(), self._status_choice()
        if text == self._model.filter_text and status == self._model.filter_status:
            return
        self._requery(lambda: self._model.set_filter(text, status))

    def _requery(self, change: Callable[[], None]) -> None:
        # A model reset clears the selection (silently); put it back, silently too.
        keep = self.current_document_id()
        change()
        if keep is not None:
            self.select_document(keep)
        self._update_count()

    def _update_count(self) -> None:
        shown = self._model.rowCount()
        filtered = bool(self._model.filter_text) or self._model.filter_status is not None
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
        doc_id = self._model.id_at(selected.indexes()[0].row())
        if doc_id is not None:
            self.documentActivated.emit(doc_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
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
        return super().eventFilter(watched, event)

    def _enter_list(self) -> None:
        """Down in the filter box moves into the list, picking the first row if none is."""
        self._apply_filter()
        self._view.setFocus(Qt.FocusReason.TabFocusReason)
        if self.current_document_id() is None and self._model.rowCount():
            self._view.selectRow(0)  # a user action: it emits documentActivated
