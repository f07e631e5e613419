"""Suggestions in the window: running the suggesters, reviewing pending spans from the
keyboard, and growing the knowledge base they match against.

Running is long work (the whole corpus is read for name counts), so it goes through the
window's single ``BackgroundTask`` slot, shared with import and export: two writers at once
would only wait on each other's locks. A finished (or cancelled) run becomes one undo step
(``SuggestRunCommand``), shown through the change notifier like every other change.
Reviewing is span editing, so accept and reject are ``EditSpanCommand`` status changes and
undo like any edit; the keys are in ``review_keys``, "accept all" in ``accept_all``.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from annotator.core.model import Span, SpanStatus
from annotator.core.suggest.misspell import CorpusNames
from annotator.services.progress import Cancelled, Reporter
from annotator.services.suggesting import (
    SuggestReport,
    corpus_key,
    count_corpus_names,
    suggest_documents,
)
from annotator.ui.window.accept_all import AcceptAll
from annotator.ui.window.kb_editing import KBEditing
from annotator.ui.window.review_keys import ReviewKeyFilter
from annotator.ui.window.workers import BackgroundTask

if TYPE_CHECKING:
    from annotator.ui.window.hosts import SuggestionHost

log = logging.getLogger(__name__)

#: The action's text when no span says which label (the menu names the label when one does).
ACCEPT_ALL_OF_LABEL = "Accept all suggestions of one label in this document…"

_Key = tuple[int, int, int]


def _key(span: Span) -> _Key:
    return (span.start, span.end, span.id or 0)


class SuggestionController(QObject):
    suggestFinished = Signal(object)  # SuggestReport, or None when cancelled or failed

    def __init__(self, window: SuggestionHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.keys = ReviewKeyFilter(window.app.tagset, lambda: self.current_pending() is not None,
                                    self)  # fmt: skip
        self.keys.acceptKey.connect(self.accept_current)
        self.keys.rejectKey.connect(self.reject_current)
        window.view.installEventFilter(self.keys)
        self.kb = KBEditing(window, parent=self)
        self.last_report: SuggestReport | None = None
        self.accept_all = AcceptAll(window, parent=self)
        self._corpus: tuple[tuple[object, ...], CorpusNames] | None = None

    # -- running ------------------------------------------------------------------------------

    def suggest_current(self) -> BackgroundTask | None:
        doc_id = self._window.current_document_id()
        if doc_id is None:
            self._window.show_message("Open a document first")
            return None
        return self.start_suggest([doc_id])

    def suggest_all(self) -> BackgroundTask | None:
        if self._window.app.documents.count() == 0:
            self._window.show_message("There are no documents yet: import some first")
            return None
        return self.start_suggest(None)

    def start_suggest(self, document_ids: Sequence[int] | None) -> BackgroundTask | None:
        window = self._window
        if window.files.busy():
            return None
        app = window.app
        wanted = list(document_ids) if document_ids is not None else None
        partial: list[SuggestReport] = []

        def job(reporter: Reporter) -> SuggestReport:
            # The corpus's name counts cost a read of every article; they only change when
            # documents come or go, so suggesting for one article after another reuses them.
            key = (app.db.url, *corpus_key(app.db))
            cached = self._corpus
            if cached is not None and cached[0] == key:
                corpus = cached[1]
            else:
                corpus = count_corpus_names(app.db, reporter)
                self._corpus = (key, corpus)  # only one task runs at a time
            try:
                return suggest_documents(app.db, app.kb, tagset=app.tagset, corpus=corpus,
                                         document_ids=wanted, reporter=reporter,
                                         actor=app.annotations.annotator,
                                         keep_stored=True)  # fmt: skip
            except Cancelled as exc:
                if isinstance(exc.partial, SuggestReport):
                    partial.append(exc.partial)
                raise

        one = wanted[0] if wanted is not None and len(wanted) == 1 else None
        task = BackgroundTask(job, title="Suggesting", verb="Suggesting:",
                              parent=window.window())  # fmt: skip
        task.succeeded.connect(lambda report: self._finished(report, document_id=one))
        task.cancelled.connect(lambda: self._cancelled(partial[0] if partial else None, one))
        task.failed.connect(self._failed)
        return window.files.start_task(task)

    def _finished(self, report: SuggestReport, *, document_id: int | None) -> None:
        self.last_report = report
        self._back_to_article()
        # One undo step; it shows the run's spans through the notifier like any change.
        self._window.editor.suggestion_run(report, document_id=document_id)
        if (
            document_id is not None
            and report.added
            and document_id == (self._window.current_document_id())
        ):
            self.next_pending()
        where = f" in {report.documents} documents" if report.documents != 1 else ""
        self._window.show_message(
            f"Suggestions{where}: {report.summary()}"
            + (" (Ctrl+Z takes them back)" if report.added else "")
        )
        self.suggestFinished.emit(report)

    def _cancelled(self, partial: SuggestReport | None, document_id: int | None) -> None:
        self._back_to_article()
        if partial is not None and partial.documents:
            self._window.editor.suggestion_run(partial, document_id=document_id)
            noun = "document" if partial.documents == 1 else "documents"
            self._window.show_message(
                f"Suggestions cancelled: kept those for the {partial.documents} {noun} "
                f"finished ({partial.summary()}; Ctrl+Z takes them back)"
            )
        else:
            self._window.show_message("Suggestions cancelled: nothing was added")
        self.suggestFinished.emit(None)

    def _failed(self, message: str) -> None:
        self._window.show_error("Suggestions failed", message)
        self._back_to_article()
        # Documents finished before the failure keep their suggestions: show them.
        self._window.editor.notifier.documentsChanged.emit(None)
        # Last: refreshing saves what the inspector held, and that must not hide the failure.
        self._window.display.failed(f"suggestions failed: {message}")
        self.suggestFinished.emit(None)

    def _back_to_article(self) -> None:
        # The progress dialog had the focus; back to the article, where the review keys work.
        self._window.activateWindow()
        self._window.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- reviewing ----------------------------------------------------------------------------

    def current_pending(self) -> Span | None:
        span = self._window.current_span()
        return span if span is not None and span.status == SpanStatus.PENDING else None

    def accept_current(self) -> None:
        self._review(SpanStatus.ACCEPTED, "Accept")

    def reject_current(self) -> None:
        self._review(SpanStatus.REJECTED, "Reject")

    def _review(self, status: SpanStatus, verb: str) -> None:
        window = self._window
        span = self.current_pending()
        if span is None:
            window.show_message("The current span is not a pending suggestion")
            return
        text = " ".join(span.text.split())[:30]
        done = window.editor.edit_span(
            span=span, changes={"status": status}, description=f"{verb} suggestion “{text}”"
        )
        if done is None:
            return
        following = self._pending_from(_key(span), 1) or self._pending_from((-1, -1, -1), 1)
        if following is None:
            window.show_message("Every suggestion in this document is reviewed")
        else:
            window.select_span(following.id)
        window.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _pending(self) -> list[Span]:
        return [s for s in self._window.table.spans()
                if s.status == SpanStatus.PENDING and s.id is not None]  # fmt: skip

    def _pending_from(self, origin: _Key, step: int) -> Span | None:
        """The first pending span after (step 1) or before (step -1) ``origin``."""
        pending = self._pending()
        keys = [_key(s) for s in pending]
        if step > 0:
            i = bisect_right(keys, origin)
            return pending[i] if i < len(pending) else None
        i = bisect_left(keys, origin) - 1
        return pending[i] if i >= 0 else None

    def _origin(self, step: int) -> _Key:
        span = self._window.current_span()
        if span is not None:
            return _key(span)
        view = self._window.view
        cp = view.offset_map().from_utf16(view.textCursor().position())
        return (cp, cp, -1) if step > 0 else (cp, cp, 0)

    def _step_pending(self, step: int) -> None:
        window = self._window
        if window.document is None:
            window.show_message("Open a document first")
            return
        if not self._pending():
            window.show_message("No pending suggestions in this document (Ctrl+G suggests)")
            return
        target = self._pending_from(self._origin(step), step)
        if target is None:
            window.show_message("No more pending suggestions" if step > 0
                                else "This is the first pending suggestion")  # fmt: skip
            return
        window.select_span(target.id)
        window.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def next_pending(self) -> None:
        self._step_pending(1)

    def previous_pending(self) -> None:
        self._step_pending(-1)

    def accept_all_of_label(self) -> QWidget | None:
        """Accept every pending suggestion with the current span's label (or one the user
        picks), after asking; returns the dialog opened, if any."""
        return self.accept_all.of_label()

    def accept_all_in_document(self) -> QWidget | None:
        """Accept every pending suggestion in this document, after asking."""
        return self.accept_all.in_document()

    @property
    def last_dialog(self) -> QWidget | None:
        """The accept-all question or confirmation last opened (tests answer it)."""
        return self.accept_all.last_dialog

    @last_dialog.setter
    def last_dialog(self, dialog: QWidget | None) -> None:
        self.accept_all.last_dialog = dialog

    def _label_name(self, key: str) -> str:
        label = self._window.app.tagset.get(key)
        return label.name if label else key

    def update_action_texts(self, accept_all: QAction) -> None:
        span = self._window.current_span()
        if span is not None:
            accept_all.setText(f"Accept all {self._label_name(span.label)} suggestions in "
                               "this document…")  # fmt: skip
        else:
            accept_all.setText(ACCEPT_ALL_OF_LABEL)
