"""Suggestions in the window: running the suggesters, reviewing pending spans from the
keyboard, and growing the knowledge base they match against.

Running is long work (the whole corpus is read for name counts), so it goes through the
window's single ``BackgroundTask`` slot, shared with import and export: two writers at once
would only wait on each other's locks. Reviewing is span editing, so accept and reject are
``EditSpanCommand`` status changes and undo like any edit.

The review keys are an event filter on the article view, like the label keys: A and R must
stay plain letters in every text field. One key, one meaning: A accepts and does nothing else
(on a span that is not pending it says so), so no other key (Enter confirming something,
the previous-document key) can accept a suggestion by accident. Reject (R, Backspace) is
claimed only while the current span is pending.

"Accept all" comes in two kinds, each saying how many suggestions it will accept and asking
first: every pending suggestion of one label (the current span's, or one the user picks), and
every pending suggestion in the document. Either is one undo step, and accepts exactly the
suggestions it counted.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QInputDialog,
    QMenu,
    QMessageBox,
    QToolBar,
    QToolButton,
    QWidget,
)

from annotator.core.model import Span, SpanStatus
from annotator.core.suggest.misspell import CorpusNames
from annotator.core.tagset import Tagset
from annotator.services.progress import Cancelled, Reporter
from annotator.services.suggesting import (
    SuggestReport,
    corpus_key,
    count_corpus_names,
    suggest_documents,
)
from annotator.ui.window.kb_editing import KBEditing
from annotator.ui.window.workers import BackgroundTask

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow
    from annotator.ui.window.menus import WindowActions

log = logging.getLogger(__name__)

#: The one accept key: it means nothing else anywhere in the window.
ACCEPT_KEY = Qt.Key.Key_A
REJECT_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_R)
#: For the shortcut help: keys the view's filter handles, which no QAction registers.
REVIEW_KEY_ROWS = [
    ("A (pending span)", "Accept the suggestion and go to the next pending one (A does "
                         "nothing else)"),
    ("Backspace / R (pending span)", "Reject the suggestion (hidden, and never proposed "
                                     "again) and go to the next pending one"),
]  # fmt: skip

_Key = tuple[int, int, int]


def _key(span: Span) -> _Key:
    return (span.start, span.end, span.id or 0)


class ReviewKeyFilter(QObject):
    """Accept and reject keys on the article view. A is always the accept key (on a span
    that is not pending, accepting says so); reject keys are claimed only over a pending
    span."""

    acceptKey = Signal()
    rejectKey = Signal()

    def __init__(self, tagset: Tagset, is_pending: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._is_pending = is_pending
        # A tagset may give a label one of these keys; labelling then wins.
        self._label_keys = {label.shortcut.lower() for label in tagset.labels}

    def _signal(self, event: QKeyEvent) -> Any:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None  # Shift+A, Ctrl+R… belong to the menus
        if event.text() and event.text().lower() in self._label_keys:
            return None
        if event.key() == ACCEPT_KEY:
            return self.acceptKey
        if event.key() in REJECT_KEYS:
            return self.rejectKey
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            signal = self._signal(event)
            if signal is not None and (signal is self.acceptKey or self._is_pending()):
                event.accept()
                if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                    signal.emit()
                return True
        return super().eventFilter(watched, event)


class SuggestionController(QObject):
    suggestFinished = Signal(object)  # SuggestReport, or None when cancelled or failed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.keys = ReviewKeyFilter(window.app.tagset, lambda: self.current_pending() is not None,
                                    self)  # fmt: skip
        self.keys.acceptKey.connect(self.accept_current)
        self.keys.rejectKey.connect(self.reject_current)
        window.view.installEventFilter(self.keys)
        self.kb = KBEditing(window, parent=self)
        self.last_report: SuggestReport | None = None
        #: The accept-all question or confirmation last opened (tests answer it).
        self.last_dialog: QWidget | None = None
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
                                         actor=app.annotations.annotator)  # fmt: skip
            except Cancelled as exc:
                if isinstance(exc.partial, SuggestReport):
                    partial.append(exc.partial)
                raise

        one = wanted is not None and len(wanted) == 1
        task = BackgroundTask(job, title="Suggesting", verb="Suggesting:", parent=window)
        task.succeeded.connect(lambda report: self._finished(report, select_first=one))
        task.cancelled.connect(lambda: self._cancelled(partial[0] if partial else None))
        task.failed.connect(self._failed)
        return window.files.start_task(task)

    def _finished(self, report: SuggestReport, *, select_first: bool) -> None:
        self.last_report = report
        self._refresh(select_first=select_first and report.added > 0)
        where = f" in {report.documents} documents" if report.documents != 1 else ""
        self._window.show_message(f"Suggestions{where}: {report.summary()}")
        self.suggestFinished.emit(report)

    def _cancelled(self, partial: SuggestReport | None) -> None:
        self._refresh(select_first=False)
        if partial is not None and partial.documents:
            noun = "document" if partial.documents == 1 else "documents"
            self._window.show_message(
                f"Suggestions cancelled: kept those for the {partial.documents} {noun} "
                f"finished ({partial.summary()})"
            )
        else:
            self._window.show_message("Suggestions cancelled: nothing was added")
        self.suggestFinished.emit(None)

    def _failed(self, message: str) -> None:
        self._window.show_error("Suggestions failed", message)
        self._refresh(select_first=False)
        # Last: refreshing saves what the inspector held, and that must not hide the failure.
        self._window.display.failed(f"suggestions failed: {message}")
        self.suggestFinished.emit(None)

    def _refresh(self, *, select_first: bool) -> None:
        """Show what the run stored: the list's counts, the open document's spans."""
        window = self._window
        window.reload_documents()
        # The progress dialog had the focus; back to the article, where the review keys work.
        window.activateWindow()
        window.view.setFocus(Qt.FocusReason.OtherFocusReason)
        doc_id = window.current_document_id()
        if doc_id is None:
            return
        keep = window.current_span()
        if not window.open_document(doc_id):
            return
        if select_first:
            self.next_pending()
        elif keep is not None and keep.id is not None and window.table.span(keep.id):
            window.select_span(keep.id)

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
        """Accept every pending suggestion with the current span's label in this document;
        with no span selected, ask which label. Returns the dialog opened (the question or
        the confirmation), None when there is nothing to ask."""
        window = self._window
        if window.document is None:
            window.show_message("Open a document first")
            return None
        pending = self._pending()
        if not pending:
            window.show_message("No pending suggestions in this document")
            return None
        span = window.current_span()
        if span is not None:
            return self._confirm_accept_all(span.label)
        counts: dict[str, int] = {}
        for s in pending:
            counts[s.label] = counts.get(s.label, 0) + 1
        if len(counts) == 1:
            return self._confirm_accept_all(next(iter(counts)))
        return self._ask_label(counts)

    def accept_all_in_document(self) -> QWidget | None:
        """Accept every pending suggestion in this document, whatever its label (after
        asking); returns the confirmation opened, if any."""
        window = self._window
        if window.document is None:
            window.show_message("Open a document first")
            return None
        return self._confirm_accept_all(None)

    def _ask_label(self, counts: dict[str, int]) -> QInputDialog:
        window = self._window
        items = {f"{self._label_name(key)} ({n})": key for key, n in counts.items()}
        dialog = QInputDialog(window)
        dialog.setObjectName("acceptAllLabelQuestion")
        dialog.setWindowTitle("Accept all suggestions of a label")
        dialog.setLabelText("No span is selected. Accept the pending suggestions of which "
                            "label?")  # fmt: skip
        dialog.setComboBoxItems(list(items))
        dialog.setComboBoxEditable(False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(
            lambda text: items.get(text) and self._confirm_accept_all(items[text])
        )
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _confirm_accept_all(self, label: str | None) -> QMessageBox | None:
        """Count what would be accepted, ask "Accept 12 pending suggestions?", and on yes
        accept exactly those, as one undo step."""
        window = self._window
        document = window.document
        if document is None:
            return None
        spans = [s for s in self._pending() if label is None or s.label == label]
        name = f"{self._label_name(label)} " if label is not None else ""
        if not spans:
            window.show_message(f"No pending {name}suggestions in this document")
            return None
        count = len(spans)
        noun = "suggestion" if count == 1 else "suggestions"
        box = QMessageBox(QMessageBox.Icon.Question, "Accept all suggestions",
                          f"Accept {count} pending {name}{noun}?",
                          QMessageBox.StandardButton.NoButton, window)  # fmt: skip
        box.setObjectName("acceptAllConfirmation")
        which = f"every pending {name}suggestion" if label is not None else (
            "every pending suggestion, of every label,")
        box.setInformativeText(f"This accepts {which} in “{document.title}”. "
                               "One Ctrl+Z takes them all back.")  # fmt: skip
        yes = box.addButton(f"Accept {count}", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        document_id = document.id

        def answered() -> None:
            if box.clickedButton() is yes:
                self._accept_spans(document_id, label, spans)
            else:
                window.show_message("Nothing accepted")

        box.finished.connect(lambda _result: answered())
        self.last_dialog = box
        box.open()
        return box

    def _accept_spans(self, document_id: int, label: str | None, spans: list[Span]) -> int:
        window = self._window
        name = f"{self._label_name(label)} " if label is not None else ""
        count = window.editor.accept_all(document_id=document_id, label=label, spans=spans)
        if count:
            noun = "suggestion" if count == 1 else "suggestions"
            window.show_message(f"Accepted {count} {name}{noun} (Ctrl+Z takes them back)")
        window.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return count

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


#: The action's text when no span says which label (the menu names the label when one does).
ACCEPT_ALL_OF_LABEL = "Accept all suggestions of one label in this document…"


def add_suggestion_actions(
    window: MainWindow,
    add: Callable[..., QAction],
    actions: WindowActions,
    *,
    doc_menu: QMenu,
    edit_menu: QMenu,
) -> QToolBar:
    """The Document and Edit menu entries and the main toolbar; returns the toolbar."""
    ctl: SuggestionController = window.suggestions
    doc_menu.addSeparator()
    add(doc_menu, "suggest_document", "Su&ggest for this document", ctl.suggest_current,
        ["Ctrl+G"], "Run the suggesters on the open document")
    add(doc_menu, "suggest_all", "Suggest for &all documents", ctl.suggest_all,
        ["Ctrl+Shift+G"], "Run the suggesters on every document")
    add(doc_menu, "next_pending", "Next pending suggestion", ctl.next_pending, ["N"])
    add(doc_menu, "previous_pending", "Previous pending suggestion", ctl.previous_pending,
        ["Shift+N"])
    # The keys are shown after a tab, not registered: the view's filter handles them.
    add(doc_menu, "accept_suggestion", "Accept suggestion\tA", ctl.accept_current)
    add(doc_menu, "reject_suggestion", "Reject suggestion\tBackspace, R", ctl.reject_current)
    accept_all = add(doc_menu, "accept_all_label", ACCEPT_ALL_OF_LABEL,
                     ctl.accept_all_of_label, ["Ctrl+Shift+A"],
                     "Accept every pending suggestion with the current span's label (with no "
                     "span selected, asks which label); asks first, one undo step")
    add(doc_menu, "accept_all", "Accept all suggestions in this document…",
        ctl.accept_all_in_document, [],
        "Accept every pending suggestion in this document, whatever its label; asks first, "
        "one undo step")
    doc_menu.aboutToShow.connect(lambda: ctl.update_action_texts(accept_all))
    doc_menu.addSeparator()
    add(doc_menu, "add_to_kb", "Add to &knowledge base…", ctl.kb.add_to_kb, ["Ctrl+K"],
        "Add the selection or the current span as an athlete or event")
    edit_menu.addSeparator()
    add(edit_menu, "knowledge_base", "&Knowledge base…", ctl.kb.show_knowledge_base,
        ["Ctrl+Shift+K"], "List, filter and edit the athletes and events")
    actions.extra_rows.extend(REVIEW_KEY_ROWS)

    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolBar")
    bar.setAccessibleName("Main toolbar")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    suggest = QAction("Suggest", window)
    suggest.setObjectName("action_suggest")
    suggest.setToolTip("Suggest athletes, events, dates and misspellings in this document "
                       "(Ctrl+G; the arrow: all documents)")  # fmt: skip
    suggest.triggered.connect(lambda _checked=False: ctl.suggest_current())
    menu = QMenu(bar)
    menu.addAction(actions["suggest_document"])
    menu.addAction(actions["suggest_all"])
    suggest.setMenu(menu)
    bar.addAction(suggest)
    button = bar.widgetForAction(suggest)
    if isinstance(button, QToolButton):
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    actions.by_name["suggest"] = suggest
    bar.addSeparator()
    for name, text in (("previous_pending", "◀ Pending"), ("next_pending", "Pending ▶"),
                       ("accept_suggestion", "Accept"), ("reject_suggestion", "Reject"),
                       ("accept_all_label", "Accept all of label"),
                       ("accept_all", "Accept all")):  # fmt: skip
        button_action = QAction(text, bar)
        button_action.setObjectName(f"toolbar_{name}")
        button_action.setToolTip(actions[name].text().split("\t")[0])
        button_action.triggered.connect(
            lambda _checked=False, target=actions[name]: target.trigger()
        )
        bar.addAction(button_action)
    bar.addSeparator()
    kb_action = QAction("Knowledge base", bar)
    kb_action.setObjectName("toolbar_knowledge_base")
    kb_action.triggered.connect(lambda _checked=False: ctl.kb.show_knowledge_base())
    bar.addAction(kb_action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
