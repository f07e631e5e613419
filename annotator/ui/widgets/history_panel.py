"""The History dock: who did what to the current span, oldest first, read from the change log.

It follows the inspector (``spanShown``), which every change to the current span passes
through, the user's own (the undo commands) and a colleague's (live refresh): a new span or a
new version of it means a new history. Reading waits one event-loop turn, so a label key's
repaint never waits for it, and is skipped while the dock is hidden.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import DatabaseError
from annotator.core.model import Span
from annotator.core.timefmt import local_time, when_text
from annotator.services.app import App
from annotator.services.changes import Change
from annotator.ui.widgets.span_inspector import SpanInspector

log = logging.getLogger(__name__)

#: The item role holding (when, who, what), for rows().
ROW = Qt.ItemDataRole.UserRole


class HistoryWindow(Protocol):
    app: App
    inspector: SpanInspector


class HistoryPanel(QWidget):
    def __init__(self, window: HistoryWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history")
        self.setAccessibleName("History of the current span")
        self._window = window
        self._span: Span | None = None
        self._loaded: tuple[int, int] | None = None  # (span id, version) on show

        self._title = QLabel()
        self._title.setObjectName("historyTitle")
        self._title.setWordWrap(True)
        # A list of two-line entries ("14:03:05 · maria", then what she did), wrapped: the dock
        # is narrow, and "status pending → accepted" must be read, not elided.
        self._list = QListWidget()
        self._list.setObjectName("historyList")
        self._list.setAccessibleName("Changes to the current span, oldest first")
        self._list.setWordWrap(True)
        self._list.setResizeMode(QListView.ResizeMode.Adjust)
        self._list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self._list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._list.setAlternatingRowColors(True)
        self._list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self._list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab moves between working fields
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self._title)
        layout.addWidget(self._list, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)
        window.inspector.spanShown.connect(self._on_span_shown)
        self._show_title()

    def rows(self) -> list[tuple[str, str, str]]:
        """(when, who, what) per entry, oldest first, as shown."""
        return [self._list.item(i).data(ROW) for i in range(self._list.count())]

    def _on_span_shown(self, span: Span | None) -> None:
        self._span = span
        key = (span.id, span.version) if span is not None and span.id is not None else None
        if key != self._loaded:
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()  # changes made while the dock was hidden were not read

    def reload(self) -> None:
        self._timer.stop()
        if not self.isVisible():
            return
        span = self._span
        self._list.clear()
        if span is None or span.id is None:
            self._loaded = None
            self._show_title()
            return
        self._loaded = (span.id, span.version)
        try:
            changes = self._window.app.changes.entries(span_id=span.id)
        except DatabaseError as exc:
            # Reading history is not worth a dialog; the next change to the span tries again.
            log.info("history not read: %s", exc)
            self._loaded = None
            self._title.setText(f"History not available: {exc}")
            return
        for change in changes:
            self._list.addItem(self._item(change))
        self._show_title(len(changes))

    def _item(self, change: Change) -> QListWidgetItem:
        when, what = when_text(change.at), change.describe()
        item = QListWidgetItem(f"{when} · {change.actor}\n{what}")
        item.setData(ROW, (when, change.actor, what))
        item.setToolTip(f"{local_time(change.at):%Y-%m-%d %H:%M:%S %Z}")
        return item

    def _show_title(self, count: int | None = None) -> None:
        span = self._span
        if span is None or count is None:
            self._title.setText("Select a span to see who changed it, and when.")
            return
        text = " ".join(span.text.split())
        text = text if len(text) <= 40 else text[:39] + "…"
        noun = "change" if count == 1 else "changes"
        self._title.setText(f"“{text}”: {count} {noun}")
