"""Live refresh: what colleagues change on the same database shows up in this window.

A ``ChangeFeed`` (the change log; LISTEN/NOTIFY on PostgreSQL) is polled from a timer in
the GUI thread: a poll is one cheap query, and everything it leads to touches widgets. For
each batch of other clients' changes:

- the open document, if touched, gets its spans re-read and updated in place (see
  ``ChangeDisplay.show_remote_spans``): the user's selection, scroll position, current span
  and typing in the inspector stay as they were;
- the document list refreshes the rows of touched documents, or reloads when a change names
  a document it does not list yet (imported meanwhile);
- the status bar says briefly whose changes arrived.

When the server cannot be reached, a permanent status label says so (plus one non-modal
notice per outage, never a modal loop); polling goes on, slower, and the first poll that
works again says "Reconnected" and re-reads the open document.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QStatusBar, QWidget

from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import Span
from annotator.services.app import App
from annotator.services.changes import Change, ChangeFeed
from annotator.ui.widgets.document_list import DocumentListPanel

log = logging.getLogger(__name__)

INTERVAL_MS = 500
OFFLINE_INTERVAL_MS = 2000
LOST_TEXT = "Connection to the server lost — reconnecting…"
_OFFLINE = (Problem.CONNECTION_LOST, Problem.CANNOT_CONNECT)


class RemoteDisplay(Protocol):
    def show_remote_spans(self, spans: Sequence[Span]) -> Span | None: ...


class LiveWindow(Protocol):
    """The few things live refresh needs from the main window."""

    app: App
    documents_panel: DocumentListPanel

    @property
    def display(self) -> RemoteDisplay: ...  # read-only, so the window's ChangeDisplay fits

    def current_document_id(self) -> int | None: ...
    def open_document(self, document_id: int) -> bool: ...
    def show_message(self, text: str) -> None: ...
    def statusBar(self) -> QStatusBar: ...


def summary(changes: Sequence[Change]) -> str:
    """ "2 changes by maria", "3 changes by maria, 1 by bob"."""
    parts = []
    for i, (actor, n) in enumerate(Counter(c.actor for c in changes).most_common()):
        noun = ("change" if n == 1 else "changes") if i == 0 else ""
        parts.append(" ".join(filter(None, [str(n), noun, "by", actor])))
    return ", ".join(parts)


class LiveRefresh(QObject):
    # Signals for whoever wants to follow along (tests wait on them instead of sleeping).
    #: A batch of other clients' changes, after the window has shown them.
    changesShown = Signal(object)  # list[Change]
    connectionLost = Signal(str)
    reconnected = Signal()

    def __init__(self, window: LiveWindow, label: QLabel,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent if parent is not None else window)  # type: ignore[arg-type]
        self._window = window
        self._label = label
        self._label.setText(LOST_TEXT)
        self._feed: ChangeFeed | None = None
        self.offline = False
        #: The notice shown once per outage (closed again on reconnecting).
        self.notice: QMessageBox | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Follow the window's current database from now on (again, after a switch)."""
        self._close_feed()
        self._set_online()
        self.timer.setInterval(INTERVAL_MS)
        self._feed = self._open_feed()  # may find the server away: then polled slower
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._close_feed()
        if self.notice is not None:
            self.notice.close()
            self.notice = None

    def _open_feed(self) -> ChangeFeed | None:
        try:
            return ChangeFeed(self._window.app.db)
        except DatabaseError as exc:
            # Started while the server is away: the first poll that reaches it starts here.
            self._lost(exc)
            return None

    def _close_feed(self) -> None:
        if self._feed is not None:
            self._feed.close()
            self._feed = None

    # -- polling ------------------------------------------------------------------------------

    def poll(self) -> None:
        """One look at the change log (the timer's slot; tests may call it directly)."""
        try:
            if self._feed is None:
                self._feed = ChangeFeed(self._window.app.db)
            changes = self._feed.poll()
            if self.offline:
                self._back()
            if changes:
                self._show(changes)
        except DatabaseError as exc:
            if exc.problem in _OFFLINE:
                self._lost(exc)
            else:
                # Busy, say: nothing to tell the user about a refresh; the next poll catches
                # up from the same place.
                log.info("live refresh skipped: %s", exc)
        except Exception:  # noqa: BLE001 - a timer slot must not raise into Qt
            log.exception("live refresh failed")

    def _show(self, changes: list[Change]) -> None:
        window = self._window
        documents = {c.document_id for c in changes if c.document_id is not None}
        self._refresh_list(documents)
        current = window.current_document_id()
        lost = None
        # A new layer mode or role changes which layers this person may see, on every
        # document: the list's counts and the open document's spans are read again.
        setting = any(c.action == "setting" for c in changes)
        if setting:
            window.documents_panel.reload()
        if current is not None and (setting or current in documents):
            # visible(), not spans(): in blind mode a colleague's span must never appear.
            lost = window.display.show_remote_spans(window.app.annotations.visible(current))
        elif current is None:
            # An empty window (a new shared database) opens the first article a colleague
            # brought in, as it would have on start.
            first = window.documents_panel.neighbour(None, 1)
            if first is not None:
                window.open_document(first)
        if not setting and any(c.action == "assign" for c in changes):
            window.documents_panel.reload()  # a queue changed: the list's order follows
        text = summary(changes)
        if lost is not None:
            gone = "is hidden now" if setting else "is gone"  # a mode change only hides it
            text += f"; “{' '.join(lost.text.split())[:30]}”, which you had selected, {gone}"
        # A refused change's "Not saved: …" is worth more than news of a colleague's work.
        if not window.statusBar().currentMessage().startswith("Not saved"):
            window.show_message(text)
        log.debug("live refresh: %s", text)
        self.changesShown.emit(changes)

    def _refresh_list(self, documents: set[int]) -> None:
        panel = self._window.documents_panel
        model = panel.model()
        filtered = bool(model.filter_text) or model.filter_status is not None
        if not filtered and any(model.row_of(doc) is None for doc in documents):
            panel.reload()  # a document imported meanwhile
            return
        for doc in documents:
            panel.refresh_document(doc)

    # -- connection state ---------------------------------------------------------------------

    def _lost(self, exc: DatabaseError) -> None:
        # The feed stays: it reconnects by itself and catches up from its last change.
        if self.offline:
            return
        self.offline = True
        log.warning("lost the database server: %s", exc)
        self._label.setToolTip(str(exc))
        self._label.show()
        self.timer.setInterval(OFFLINE_INTERVAL_MS)
        self._notify(str(exc))
        self.connectionLost.emit(str(exc))

    def _notify(self, reason: str) -> None:
        parent = self._window if isinstance(self._window, QWidget) else None
        box = QMessageBox(QMessageBox.Icon.Warning, "Connection lost",
                          "The connection to the database server was lost. annotator keeps "
                          "trying to reconnect; changes made meanwhile are not saved.",
                          QMessageBox.StandardButton.Ok, parent)  # fmt: skip
        box.setObjectName("connectionNotice")
        box.setDetailedText(reason)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(self._notice_gone)
        box.show()
        self.notice = box

    def _notice_gone(self) -> None:
        self.notice = None

    def _back(self) -> None:
        self._set_online()
        self.timer.setInterval(INTERVAL_MS)
        if self.notice is not None:
            self.notice.close()  # deleted later (WA_DeleteOnClose); forgotten now
            self.notice = None
        window = self._window
        window.show_message("Reconnected to the server")
        log.info("reconnected to the database server")
        # What changed meanwhile arrives with the next polls; the open document and the list
        # are read again now, in case the server lost notifications during the outage.
        window.documents_panel.reload()
        current = window.current_document_id()
        if current is not None:
            window.display.show_remote_spans(window.app.annotations.visible(current))
        self.reconnected.emit()

    def _set_online(self) -> None:
        self.offline = False
        self._label.hide()
