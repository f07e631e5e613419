"""The document list's model: the filtered ids, and their rows fetched a page at a time.

A corpus can hold 100,000 articles, so the model keeps only the ordered list of ids (the one
O(n) structure) and fetches titles, statuses and span counts through ``DocumentService.rows``
a page at a time, when the view first paints a row. Pages live in a small LRU cache, so memory
stays flat however far the user scrolls.

Even the ids take 0.1-0.2 s to fetch for 100,000 documents, so the panel's model is
progressive: a reset fetches one page of ids, the view paints it, and the rest is appended
(rowsInserted, not a reset: selection and scroll position stay) once that paint is done.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from annotator.core.model import DocStatus, DocumentInfo
from annotator.services.documents import DocumentService

PAGE_SIZE = 200
#: 16 pages are 3,200 rows: several screens either side of any scroll position.
MAX_CACHED_PAGES = 16

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
    """Ids of the filtered documents; their rows are fetched lazily, page by page.

    With ``progressive`` a reset fetches only the first PAGE_SIZE ids; ``request_rest()``
    appends the others from the event loop, and anything that needs an id not yet fetched
    (row_of, ids) fetches them on the spot. ``idsLoaded`` fires when a progressive load has
    completed the list.
    """

    idsLoaded = Signal()

    def __init__(
        self,
        documents: DocumentService,
        parent: QObject | None = None,
        *,
        progressive: bool = False,
    ) -> None:
        super().__init__(parent)
        self._documents = documents
        self._progressive = progressive
        self._filter_text = ""
        self._filter_status: DocStatus | None = None
        # Sorted (list order is id order), which is what lets row_of() bisect and the rest of
        # a progressive load be fetched as "ids after the last one" (documents imported in
        # between get higher ids, so they simply arrive with the rest).
        self._ids: list[int] = []
        self._complete = True
        # Bumped by every reset, so a load requested for an earlier filter is dropped.
        self._generation = 0
        self._requested = -1
        self._pages: OrderedDict[int, dict[int, DocumentInfo | None]] = OrderedDict()
        self._query_ids()

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
        self.ensure_loaded()
        return list(self._ids)

    @property
    def loading(self) -> bool:
        """True while only the first page of ids is known."""
        return not self._complete

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
        self._query_ids()
        self._pages.clear()
        self.endResetModel()

    def _query_ids(self) -> None:
        self._generation += 1
        limit = PAGE_SIZE if self._progressive else None
        self._ids = self._documents.ids_page(
            title_filter=self._filter_text, status=self._filter_status, limit=limit
        )
        # A full first page may or may not be all there is; only fetching the rest tells.
        self._complete = limit is None or len(self._ids) < limit

    def request_rest(self) -> None:
        """Fetch the rest of the ids from the event loop, after whatever is being painted."""
        if self._complete or self._requested == self._generation:
            return
        self._requested = generation = self._generation
        QTimer.singleShot(0, self, lambda: self._load_rest(generation))

    def ensure_loaded(self) -> None:
        """Fetch the rest of the ids now (for answers that depend on the whole list)."""
        if not self._complete:
            self._load_rest(self._generation)

    def _load_rest(self, generation: int) -> None:
        if generation != self._generation or self._complete:
            return  # a reset came in between: its own load is (or will be) requested
        rest = self._documents.ids_page(
            title_filter=self._filter_text,
            status=self._filter_status,
            after=self._ids[-1],
        )
        self._complete = True
        if rest:
            # The first page was full, so every cached page still holds exactly its rows.
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(rest) - 1)
            self._ids.extend(rest)
            self.endInsertRows()
        self.idsLoaded.emit()

    def refresh_ids(self, ids: Iterable[int]) -> None:
        """Forget the cached rows of these documents and repaint them. Rows stay where they
        are even if they no longer match the filter: rows vanishing under the user's cursor
        would be worse than a stale filter, which the next reload() fixes."""
        # Ids not fetched yet have no cached rows to forget: no reason to fetch them here.
        rows = sorted({row for doc_id in ids if (row := self._loaded_row(doc_id)) is not None})
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
        if not self._complete and doc_id > self._ids[-1]:
            self.ensure_loaded()
        return self._loaded_row(doc_id)

    def _loaded_row(self, doc_id: int) -> int | None:
        row = bisect_left(self._ids, doc_id)
        return row if row < len(self._ids) and self._ids[row] == doc_id else None

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
