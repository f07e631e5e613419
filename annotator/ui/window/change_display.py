"""Showing what changed: the window's own commands (through the ``ChangeNotifier``) and a
colleague's changes (through live refresh), in the article view, the table, the inspector and
the document list.

Own changes may belong to another document (undo after moving on): the window switches to it
first, so the user sees what was undone. A colleague's changes never move the user: the open
document's spans are updated in place, keeping the text selection, the scroll position, the
current span and whatever is being typed in the inspector.

A refused change is reported last and sticks in the saved-state label until a later change
saves: "Not saved" must never be hidden behind "All changes saved" or another message. A
success within the same operation as a failure is not "later": one key press can write
several times (the fields pending in the inspector saved on switching documents, a change
whose display switches documents and so saves a note first), and one of them failing means
not everything was saved. An operation starts with the first of a command's signals (or a
``batch()``) and ends with its ``committed`` or ``failed``; writes made while it is being
shown are nested in it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from annotator.core.model import Span, SpanStatus
from annotator.ui.commands import ChangeNotifier

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

#: A colleague's batch larger than this reloads the view and the table at once instead of
#: span by span (each upsert repaints and re-selects).
BULK = 500


class ChangeDisplay(QObject):
    def __init__(self, window: MainWindow, notifier: ChangeNotifier) -> None:
        super().__init__(window)
        self._window = window
        notifier.spanChanged.connect(lambda span: self._nested(self.span_changed, span))
        notifier.spanRemoved.connect(
            lambda document_id, span_id: self._nested(self.span_removed, document_id, span_id)
        )
        notifier.documentChanged.connect(
            lambda document_id: self._nested(self.document_changed, document_id)
        )
        notifier.refused.connect(
            lambda span_id, current: self._nested(self.refused, span_id, current)
        )
        notifier.documentsChanged.connect(
            lambda document_ids: self._nested(self.documents_changed, document_ids)
        )
        notifier.committed.connect(self.saved)
        notifier.failed.connect(self.failed)
        notifier.notice.connect(window.show_message)
        #: How deep in showing a change (or in a ``batch()``) we are: writes made meanwhile
        #: are part of the operation being shown.
        self._depth = 0
        self._in_operation = False
        #: Something in the current (or last) operation failed: "All changes saved" would lie.
        self._operation_failed = False

    # -- operations: "All changes saved" only when all of one operation's writes were ----------

    def _start(self) -> None:
        if self._depth == 0 and not self._in_operation:
            self._in_operation = True
            self._operation_failed = False

    def _nested(self, handler, *args) -> None:  # noqa: ANN001 - a bound method of this class
        self._start()
        self._depth += 1
        try:
            handler(*args)
        finally:
            self._depth -= 1

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Several writes that are one operation to the user (the inspector's pending fields
        saved together): one failure among them is not followed by "All changes saved"."""
        starts = self._depth == 0 and not self._in_operation
        self._start()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if starts:
                self._in_operation = False

    def saved(self) -> None:
        if self._depth == 0 and not self._in_operation:
            self._operation_failed = False  # a write with nothing to show (the knowledge base)
        if not self._operation_failed:
            self._window.saved_label.mark_saved()
        if self._depth == 0:
            self._in_operation = False

    # -- the window's own changes -------------------------------------------------------------

    def _switch_for_change(self, document_id: int | None) -> bool:
        """True when the change is in the document on screen; otherwise open its document
        (which then shows the change, read back from the database) and return False."""
        w = self._window
        if document_id is None:
            return False
        if w.current_document_id() == document_id:
            return True
        if w.open_document(document_id) and w.document is not None:
            w.show_message(f"Switched to “{w.document.title}” to show the change")
        return False

    def span_changed(self, span: Span) -> None:
        w = self._window
        if span.document_id is not None:
            w.documents_panel.refresh_document_soon(span.document_id)
        if not self._switch_for_change(span.document_id):
            if span.status != SpanStatus.REJECTED:
                w.select_span(span.id)
            return
        if span.status == SpanStatus.REJECTED:
            # Rejected suggestions are not shown (the document service leaves them out).
            self._remove_from_views(span.id)  # type: ignore[arg-type]
            return
        w.view.upsert_span(span)
        # An edit of the span already current (often committed by focus leaving the inspector
        # for a click in the article) is not re-selected: that would move the caret and might
        # scroll the text under the user's mouse.
        if w.view.current_span_id() != span.id:
            w.view.select_span(span.id)  # type: ignore[arg-type]
        w.panels.span_changed(span)

    def span_removed(self, document_id: int, span_id: int) -> None:
        self._window.documents_panel.refresh_document_soon(document_id)
        if self._switch_for_change(document_id):
            self._remove_from_views(span_id)

    def _remove_from_views(self, span_id: int) -> None:
        w = self._window
        w.panels.flush()
        w.view.remove_span(span_id)
        w.table.remove_span(span_id)
        if w.inspector.current_span_id() == span_id:
            w.inspector.show_span(None)

    def document_changed(self, document_id: int) -> None:
        self._window.documents_panel.refresh_document(document_id)
        self._switch_for_change(document_id)

    def documents_changed(self, document_ids: Sequence[int] | None) -> None:
        """Many spans at once (a suggestion run, its undo, an import): reload the list, and
        the open document if it is among them, keeping its current span where it still is."""
        w = self._window
        w.reload_documents()
        doc_id = w.current_document_id()
        if doc_id is None or (document_ids is not None and doc_id not in document_ids):
            return
        keep = w.current_span()
        if not w.open_document(doc_id):
            return
        if keep is not None and keep.id is not None and w.table.span(keep.id):
            w.select_span(keep.id)

    def refused(self, span_id: int, current: Span | None) -> None:
        """A colleague got there first: the inspector shows their version, even in the field
        the user was typing in (the views already do, from spanChanged)."""
        w = self._window
        w.panels.flush()
        if w.inspector.current_span_id() == span_id:
            w.inspector.revert(current)

    def failed(self, reason: str) -> None:
        self._operation_failed = True
        if self._depth == 0:
            self._in_operation = False
        self._window.saved_label.mark_failed(reason)
        self._window.show_message(f"Not saved: {reason}")

    # -- a colleague's changes ----------------------------------------------------------------

    def show_remote_spans(self, spans: Sequence[Span]) -> Span | None:
        """The open document's spans as stored now, after a colleague's changes: update only
        what differs. Returns the current span if it was deleted (or rejected) remotely."""
        w = self._window
        w.panels.flush()
        shown = {s.id: s for s in w.table.spans() if s.id is not None}
        fresh = {s.id: s for s in spans if s.id is not None}
        gone = [span_id for span_id in shown if span_id not in fresh]
        # Span equality leaves out the version: a change that only moves it still counts.
        changed = [s for span_id, s in fresh.items()
                   if (old := shown.get(span_id)) is None or old != s
                   or old.version != s.version]  # fmt: skip
        if len(gone) + len(changed) > BULK:
            keep = w.table.current_span_id()
            w.view.set_spans(list(fresh.values()))
            w.table.set_spans(fresh.values())
            w.table.select_span(keep if keep in fresh else None)
        else:
            for span_id in gone:
                w.view.remove_span(span_id)
                w.table.remove_span(span_id)
            for span in changed:
                w.view.upsert_span(span)
                w.table.upsert_span(span)
        current = w.inspector.span()
        if current is None or current.id is None:
            return None
        now = fresh.get(current.id)
        if now is None:
            w.inspector.show_span(None)
            # Qt moves the table's selection to the next row when the selected one goes: the
            # table must not claim a current span the inspector and the article do not show.
            w.table.select_span(None)
            return current
        if now != current or now.version != current.version:
            w.inspector.show_remote(now)
        return None
