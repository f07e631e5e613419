"""The document list's model: the filtered ids, and their rows fetched a page at a time.

A corpus can hold 100,000 articles, so the model keeps only the ordered list of ids (the one
O(n) structure) and fetches titles, statuses and span counts through ``DocumentService.rows``
a page at a time, when the view first paints a row. Pages live in a small LRU cache, so memory
stays flat however far the user scrolls.

Even the ids take 0.1-0.2 s to fetch for 100,000 documents, so the panel's model is
progressive: a reset fetches one page of ids, the view paints it, and the rest is appended
(rowsInserted, not a reset: selection and scroll position stay) once that paint is done.

The list puts the viewer's queue (assigned to them, not done by them) first; those rows have a
bold title and a ▶ mark. A curator's desk column ("Done": "2 of 3") says how many of a
document's people are done; it comes with the rows already fetched, so it costs no query of
its own. It reads "2 of 3", not "2 of 3 done", to leave the title room in a narrow dock.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QPolygonF

from annotator.core.model import DocStatus, DocumentInfo
from annotator.services.documents import DocumentService

PAGE_SIZE = 200
#: 16 pages are 3,200 rows: several screens either side of any scroll position.
MAX_CACHED_PAGES = 16

TITLE, STATUS, SPANS, DESK = range(4)
_HEADERS = ("Title", "Status", "Spans", "Done")
QUEUE_TIP = "In your queue: assigned to you and not done by you yet"

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
        self._queue_only = False
        # List order is the viewer's queue by id, then the rest by id: two sorted runs, which
        # is what lets row_of() bisect (in each run) and the rest of a progressive load be
        # fetched as "ids after the last one" (documents imported in between get higher ids,
        # so they simply arrive with the rest). ``_split`` is where the second run starts.
        self._ids: list[int] = []
        self._split = 0
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
            if role == Qt.ItemDataRole.ToolTipRole and section == DESK:
                return "How many of the people on the document are done"
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
        if role not in _ROLES:
            return None
        info = self._info(index.row())
        if info is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(info, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == DESK and info.people:
                return f"{info.done} of the {info.people} people on this document are done"
            return _tooltip(info) if column == TITLE else None
        if column == DESK and role == Qt.ItemDataRole.AccessibleTextRole and info.people:
            return f"{info.done} of {info.people} done"
        if column != TITLE or not info.assigned:
            return None
        # The queue mark: bold (a font with only the weight set, so the view's own font
        # supplies the rest), a ▶ icon, and words for screen readers, which see neither.
        if role == Qt.ItemDataRole.FontRole:
            return _bold()
        if role == Qt.ItemDataRole.DecorationRole:
            return _queue_icon()
        return f"{info.title} (in your queue)"

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

    @property
    def queue_only(self) -> bool:
        return self._queue_only

    def set_filter(
        self, text: str, status: DocStatus | None = None, *, queue_only: bool = False
    ) -> None:
        self._filter_text = text.strip()  # the service ignores outer spaces; so does the check
        self._filter_status = status
        self._queue_only = queue_only
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
            title_filter=self._filter_text,
            status=self._filter_status,
            limit=limit,
            queue_only=self._queue_only,
        )
        self._split = _second_run(self._ids, 0)
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
            queue_only=self._queue_only,
        )
        self._complete = True
        if rest:
            # The first page was full, so every cached page still holds exactly its rows.
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(rest) - 1)
            self._ids.extend(rest)
            if self._split == first:  # no second run yet: it may begin in what came now
                self._split = _second_run(self._ids, first)
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
        row = self._loaded_row(doc_id)
        # Not among the ids fetched so far: it can still come with the rest if the rest
        # continues a run it would sort into (before a second run shows, any of them may).
        if (
            row is None
            and not self._complete
            and (self._split == len(self._ids) or doc_id > self._ids[-1])
        ):
            self.ensure_loaded()
            row = self._loaded_row(doc_id)
        return row

    def _loaded_row(self, doc_id: int) -> int | None:
        ids, split = self._ids, self._split
        for low, high in ((0, split), (split, len(ids))):
            row = bisect_left(ids, doc_id, low, high)
            if row < high and ids[row] == doc_id:
                return row
        return None

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


_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.AccessibleTextRole,
})  # fmt: skip
_marks: dict[str, QFont | QIcon] = {}


def _second_run(ids: Sequence[int], start: int) -> int:
    """Where the second sorted run of ``ids`` begins, looking from ``start`` on (len(ids)
    when it is one run). Sorting in C is the fast check for the usual case, no queue."""
    tail = ids[max(start - 1, 0) :]
    if list(tail) == sorted(tail):
        return len(ids)
    return next(i for i in range(max(start, 1), len(ids)) if ids[i] < ids[i - 1])


def _display(info: DocumentInfo, column: int) -> object:
    if column == TITLE:
        return info.title
    if column == STATUS:
        return info.status.display
    if column == SPANS:
        return info.span_count
    return f"{info.done} of {info.people}" if info.people else ""


def _bold() -> QFont:
    font = _marks.get("bold")
    if font is None:
        font = _marks["bold"] = QFont()
        font.setBold(True)
    return font  # type: ignore[return-value]


def _queue_icon() -> QIcon:
    """A small ▶ drawn once (an icon, not a glyph: every font has it then)."""
    icon = _marks.get("queue")
    if icon is None:
        icon = _marks["queue"] = QIcon()
        # White on a selected row: the selection's blue would swallow the blue mark.
        for mode, color in ((QIcon.Mode.Normal, "#2a7ab0"), (QIcon.Mode.Selected, "#ffffff")):
            pixmap = QPixmap(12, 12)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.drawPolygon(QPolygonF([QPointF(2, 1), QPointF(11, 6), QPointF(2, 11)]))
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon  # type: ignore[return-value]


def _tooltip(info: DocumentInfo) -> str:
    # The title repeats because the column elides long ones.
    lines = [info.title, info.source or "No source file recorded"]
    if info.assigned:
        lines.insert(1, QUEUE_TIP)
    lines.append(f"Published {info.published.isoformat()}" if info.published else "No date")
    if info.fetched:
        # A page can change after it was checked: when it was read is part of the evidence.
        lines.append(f"Fetched {info.fetched:%Y-%m-%d %H:%M} UTC")
    return "\n".join(lines)
