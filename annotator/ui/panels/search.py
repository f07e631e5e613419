"""The corpus search dock (Ctrl+Shift+F): text, whole words or a regular expression across
every document, or spans by label, error type, status, annotator, rule and note.

The search runs in a ``TaskThread`` on ``App.search`` so a large corpus never freezes the
window; a new search cancels the one running and only the newest one's results are shown.
Enter on a result opens its document and selects the hit, with the focus left in the results
so Down, Enter walks through them; Esc goes back to the article.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import DatabaseError
from annotator.services.app import App
from annotator.services.search import SearchResult, SpanQuery, TextQuery
from annotator.ui.models.search_results import (
    CONTEXT,
    DOCUMENT,
    LABEL,
    POSITION,
    ContextDelegate,
    SearchResultsModel,
)
from annotator.ui.widgets.document_view import DocumentView
from annotator.ui.widgets.find_bar import show_range
from annotator.ui.window.workers import TaskThread

log = logging.getLogger(__name__)

#: Hits asked of the service; beyond them the count line says only the first are shown.
RESULT_LIMIT = 500
FAILED_COLOR = "#b3261e"
STATUSES = ("accepted", "pending", "rejected")
MODES = (("Text", "text"), ("Whole words", "words"), ("Regular expression", "regex"))
HINT = (
    "Type text and press Enter, or choose a span filter (the text then matches inside the spans)."
)


class SearchWindow(Protocol):
    app: App
    view: DocumentView

    def current_document_id(self) -> int | None: ...

    def open_document(self, document_id: int) -> bool: ...

    def select_span(self, span_id: int | None) -> None: ...


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class SearchPanel(QWidget):
    searched = Signal(object)  # the SearchResult shown
    failed = Signal(str)  # the message shown

    def __init__(self, window: SearchWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.setAccessibleName("Search the corpus")
        self._window = window
        self._thread: TaskThread | None = None
        # Superseded searches still running: kept until they end, a QThread must not be
        # destroyed while it runs.
        self._retired: set[TaskThread] = set()

        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setAccessibleName("Search for")
        self.query.setPlaceholderText("Search every document (Enter)")
        self.query.setClearButtonEnabled(True)
        self.mode = QComboBox()
        self.mode.setObjectName("searchMode")
        self.mode.setAccessibleName("Match")
        for text, mode in MODES:
            self.mode.addItem(text, mode)
        self.case = QCheckBox("Match case")
        self.case.setObjectName("searchCase")
        button = QPushButton("Search")
        button.setObjectName("searchButton")
        button.setToolTip("Search with these filters (Enter)")
        button.clicked.connect(self.search)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        for widget in (self.mode, self.case, button):
            top.addWidget(widget)

        tagset = window.app.tagset
        self.label = self._combo(
            "searchLabel",
            "Label",
            "any label",
            [(label.name, label.key) for label in tagset.labels],
        )
        error_types = dict.fromkeys(t for label in tagset.labels for t in label.error_types)
        self.error_type = self._combo(
            "searchErrorType",
            "Error type",
            "any error type",
            [(t.replace("_", " "), t) for t in error_types],
        )
        self.status = self._combo(
            "searchStatus", "Status", "any status", [(s, s) for s in STATUSES]
        )
        self.annotator = self._combo("searchAnnotator", "Annotator", "any annotator", [])
        self.rule = self._line("searchRule", "Rule", "rule id")
        self.note = self._line("searchNote", "Note", "note contains")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Spans:"))
        spans: tuple[QWidget, ...] = (
            self.label,
            self.error_type,
            self.status,
            self.annotator,
            self.rule,
            self.note,
        )
        for field in spans:
            filters.addWidget(field, 1 if isinstance(field, QLineEdit) else 0)

        self.count = QLabel(HINT)
        self.count.setObjectName("searchCount")
        self.count.setAccessibleName("Search results count")
        self.count.setWordWrap(True)
        self.model = SearchResultsModel(self._label_name, self)
        self.results = QTreeView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setToolTip(
            "Enter or a double click opens the document at the hit; Esc goes back to the article"
        )
        self.results.setModel(self.model)
        self.results.setRootIsDecorated(False)
        self.results.setUniformRowHeights(True)
        self.results.setAlternatingRowColors(True)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setItemDelegateForColumn(CONTEXT, ContextDelegate(self.results))
        header = self.results.header()
        header.setStretchLastSection(False)
        # The context is what the user reads; a title needs only enough to be recognised.
        header.setSectionResizeMode(CONTEXT, QHeaderView.ResizeMode.Stretch)
        for column in (POSITION, LABEL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(DOCUMENT, self.fontMetrics().averageCharWidth() * 22)
        self.results.activated.connect(self._on_activated)
        self.results.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.count)
        layout.addWidget(self.results, 1)
        self.refresh_annotators()

    @staticmethod
    def _combo(
        name: str, accessible: str, anything: str, items: list[tuple[str, str]]
    ) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.addItem(anything, None)
        for text, value in items:
            combo.addItem(text, value)
        return combo

    @staticmethod
    def _line(name: str, accessible: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setAccessibleName(accessible)
        line.setPlaceholderText(placeholder)
        return line

    def _label_name(self, key: str) -> str:
        label = self._window.app.tagset.get(key)
        return label.name if label else key

    def refresh_annotators(self) -> None:
        """Offer everyone in the annotators table; the choice made stays if still there."""
        try:
            names = [person.name for person in self._window.app.people.all()]
        except DatabaseError as exc:  # the list keeps what it had
            log.info("annotators not read: %s", exc)
            return
        chosen = self.annotator.currentData()
        self.annotator.blockSignals(True)
        while self.annotator.count() > 1:
            self.annotator.removeItem(1)
        for name in names:
            self.annotator.addItem(name, name)
        at = self.annotator.findData(chosen) if chosen is not None else 0
        self.annotator.setCurrentIndex(max(at, 0))
        self.annotator.blockSignals(False)

    # -- searching ----------------------------------------------------------------------------

    def span_filters(self) -> dict[str, str]:
        chosen = {
            "label": self.label.currentData(), "error_type": self.error_type.currentData(),
            "status": self.status.currentData(), "annotator": self.annotator.currentData(),
            "rule": self.rule.text().strip(), "note": self.note.text().strip(),
        }  # fmt: skip
        return {key: value for key, value in chosen.items() if value}

    def is_running(self) -> bool:
        return self._thread is not None

    def search(self) -> None:
        """Start a search with what the panel shows; one already running is dropped."""
        text = self.query.text()
        filters = self.span_filters()
        if not filters and not text:
            self._supersede()
            self.model.set_hits([])
            self._say(HINT)
            return
        service = self._window.app.search
        if filters:
            span_query = SpanQuery(**filters, text=text.strip() or None)

            def job(_reporter):
                return service.spans(span_query, limit=RESULT_LIMIT)
        else:
            text_query = TextQuery(text, mode=self.mode.currentData(), case=self.case.isChecked())

            def job(reporter):
                return service.text(text_query, limit=RESULT_LIMIT, reporter=reporter)

        self._supersede()
        thread = TaskThread(job, self)
        thread.finished.connect(self._on_finished)
        thread.progressed.connect(self._on_progress)
        self._thread = thread
        self._say("Searching…")
        thread.start()

    def _supersede(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.finished.disconnect(self._on_finished)
        thread.progressed.disconnect(self._on_progress)
        thread.cancel()
        self._retired.add(thread)
        thread.finished.connect(self._reap)
        self._reap()  # it may have ended already, its finished signal spent

    @Slot()
    def _reap(self) -> None:
        for thread in [t for t in self._retired if t.isFinished()]:
            thread.wait()
            self._retired.discard(thread)
            thread.deleteLater()

    def shutdown(self) -> None:
        """Cancel and join every search (the window closing, or its database about to be
        closed): no worker may outlive the connection it reads through."""
        self._supersede()
        for thread in list(self._retired):
            thread.finished.disconnect(self._reap)
            thread.wait()
            self._retired.discard(thread)
            thread.deleteLater()

    def reset(self) -> None:
        """Another database was opened: its people, and none of these results."""
        self.shutdown()
        self.model.set_hits([])
        self.refresh_annotators()
        self._say(HINT)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, _what: str) -> None:
        if total and self._thread is not None and self.sender() is self._thread:
            self._say(f"Searching… {min(100, done * 100 // total)}%")

    @Slot()
    def _on_finished(self) -> None:
        # A superseded search's end may already be queued when it is disconnected.
        thread = self._thread
        if thread is None or self.sender() is not thread:
            return
        self._thread = None
        thread.wait()
        thread.deleteLater()
        if thread.was_cancelled:
            self._say("Search cancelled.")
        elif thread.error is not None:
            self.model.set_hits([])
            self._say(thread.error[:1].upper() + thread.error[1:], failed=True)
        else:
            self._show(thread.result)  # type: ignore[arg-type]

    def _show(self, result: SearchResult) -> None:
        self.model.set_hits(result.hits)
        shown = len(result.hits)
        if result.truncated:
            text = (
                f"More than {shown} hits in at least "
                f"{_plural(result.documents, 'document')}: first {shown} shown"
            )
        elif shown:
            text = f"{_plural(shown, 'hit')} in {_plural(result.documents, 'document')}"
        else:
            text = "No hits"
        self._say(text)
        if shown:
            self.results.setCurrentIndex(self.model.index(0, 0))
            self.results.resizeColumnToContents(0)
        self.searched.emit(result)

    def _say(self, text: str, *, failed: bool = False) -> None:
        self.count.setStyleSheet(f"color: {FAILED_COLOR};" if failed else "")
        self.count.setText(text)
        if failed:
            self.failed.emit(text)

    # -- going to a hit -----------------------------------------------------------------------

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_hit(index.row())

    def open_hit(self, row: int) -> bool:
        """Open the hit's document and select it: a span hit as the current span, a text hit
        as the article's selection. The focus stays in the results."""
        hit = self.model.hit(row)
        window = self._window
        if window.current_document_id() != hit.document_id and not window.open_document(
            hit.document_id
        ):
            return False
        if hit.span_id is not None:
            window.select_span(hit.span_id)
        if hit.span_id is None or window.view.current_span_id() != hit.span_id:
            show_range(window.view, hit.start, hit.end)  # a span the article does not draw
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- keys ---------------------------------------------------------------------------------

    def take_focus(self) -> None:
        self.refresh_annotators()
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self._window.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        if key == Qt.Key.Key_Down and self.query.hasFocus() and self.model.rowCount():
            self.results.setFocus(Qt.FocusReason.TabFocusReason)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.search()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The results would emit activated on Enter and then pass the key on to the panel,
        # which would search again: Enter there opens the hit and stops.
        if (
            watched is self.results
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            index = self.results.currentIndex()
            if index.isValid():
                self.open_hit(index.row())
            return True
        return super().eventFilter(watched, event)
