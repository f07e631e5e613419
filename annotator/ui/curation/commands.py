"""What the curation view's keys and buttons do: settle (take a lane, all, none, edit), undo
and redo, and merge the agreeing spans; the view (``curation_view``) reads and shows.

Every settle first reads the document again and compares the disagreement with what the
curator was shown: if an annotator changed a span there, or another curator settled it,
nothing is written and the view shows the new state. Then one service call, one undo step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from annotator.core.curation import Disagreement, Tag
from annotator.services.curation import AutoReport
from annotator.ui.curation.edit_dialog import EditTagDialog
from annotator.ui.curation.settle import (
    USER_ERRORS,
    SettleCommand,
    decision_text,
    problem_text,
    quoted,
)
from annotator.ui.window.workers import BackgroundTask

if TYPE_CHECKING:
    from annotator.ui.curation.view import CurationView

log = logging.getLogger(__name__)


class CurationCommands(QObject):
    def __init__(self, view: CurationView) -> None:
        super().__init__(view)
        self._view = view
        self.undo_stack = QUndoStack(self)
        self.task: BackgroundTask | None = None
        self.dialog: EditTagDialog | None = None
        #: Every key by name (tests and the hints read them from here).
        self.actions: dict[str, QAction] = {}
        self._add_actions()

    def _add_actions(self) -> None:
        view = self._view

        def add(name: str, text: str, slot: Callable[[], object], *keys: str) -> None:
            action = QAction(text, view)
            action.setObjectName(f"curation_{name}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            # Window shortcuts: they work from the list and from a lane alike, while a text
            # field (the K box) keeps its printable keys, which it claims first.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False: slot())
            view.addAction(action)
            self.actions[name] = action

        add("next", "Next disagreement", lambda: view.step(1), "J")
        add("previous", "Previous disagreement", lambda: view.step(-1), "K")
        for n in range(1, 10):
            add(f"take_{n}", f"Take lane {n}", partial(self.take, n), str(n))
        add("take_all", "Take all", self.take_all, "A")
        add("take_none", "Take none", self.take_none, "0", "N")
        add("edit", "Edit", self.edit, "E")
        add("undo", "Undo the last settle", self.undo, "Ctrl+Z")
        add("redo", "Redo", self.redo, "Ctrl+Shift+Z", "Ctrl+Y")
        add("whole", "Whole article", view.whole_check.toggle, "W")
        add("reload", "Read again", view.reload, "F5")
        add("list", "Back to the list", lambda: view.list.setFocus(), "Esc")
        add("close", "Close", view.close, "Ctrl+W")

    # -- settling ----------------------------------------------------------------------------

    def take(self, n: int) -> None:
        d = self._open_one()
        state = self._view.state
        if d is None or state is None:
            return
        names = state.curation.annotators
        if n > len(names):
            self._view.say(f"There is no lane {n}: this document has {len(names)} annotators")
            return
        self._settle(d, d.options[names[n - 1]], names[n - 1])

    def take_all(self) -> None:
        d = self._open_one()
        if d is not None:
            self._settle(d, d.everything(), "all")

    def take_none(self) -> None:
        d = self._open_one()
        if d is not None:
            self._settle(d, (), "none")

    def edit(self) -> None:
        view = self._view
        d = self._open_one()
        if d is None or view.state is None or view.document_id is None:
            return
        focused = view.lanes.focused_lane()
        names = [n for n in (focused, *view.state.curation.annotators) if n is not None]
        options = [d.options[n] for n in names if d.options.get(n)]
        back = QApplication.focusWidget() or view.list
        dialog = EditTagDialog(
            view.app.tagset, view.text(view.document_id), d, options[0][0], parent=view
        )
        dialog.accepted.connect(lambda: self._settle(d, [dialog.tag()], "edited"))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog, back))
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()  # the keys go to it at once: E, type, Enter

    def _dialog_closed(self, dialog: EditTagDialog, back: QWidget) -> None:
        self.dialog = None
        dialog.deleteLater()
        self._view.activateWindow()  # not every window manager hands the focus back
        try:
            back.setFocus()
        except RuntimeError:  # it went with a rebuilt lane: the list, never nowhere
            self._view.list.setFocus()

    def _open_one(self) -> Disagreement | None:
        """The current disagreement if it can be settled now, else None (and why)."""
        view = self._view
        d = view.current()
        if d is None:
            view.say("No disagreement selected")
            return None
        decision = view.state.settled.get(d.key) if view.state else None
        if decision:
            view.say(
                f"Already settled ({decision_text(decision)}). Ctrl+Z undoes your last settle."
            )
            return None
        return d

    def _settle(self, d: Disagreement, tags: Sequence[Tag], decision: str) -> None:
        view = self._view
        doc, row = view.document_id, view.list.currentRow()
        if doc is None:
            return
        try:
            fresh = view.read(doc)
        except USER_ERRORS as exc:
            view.say(problem_text(exc, "settle it"), error=True)
            return
        same = next((x for x in fresh.curation.disagreements if x.key == d.key), None)
        if same is None or same.options != d.options or d.key in fresh.settled:
            view.show_state(fresh, keep=d.key)
            view.say(
                "This disagreement changed while you looked (a span there was edited, or "
                "it was settled elsewhere): nothing was saved. Look again, then settle.",
                error=True,
            )
            return
        try:
            made = view.service.settle(doc, d.key, tags, decision)
        except USER_ERRORS as exc:
            view.say(problem_text(exc, "settle it"), error=True)
            return
        self.undo_stack.push(
            SettleCommand(
                view.service,
                document_id=doc,
                extent=d.key,
                tags=tags,
                decision=decision,
                made=made,
                done=self._step_done,
                failed=lambda text: view.say(text, error=True),
            )
        )
        view.load(doc, after=row)  # the next open one is current now
        done = view.state is not None and not view.state.open_disagreements()
        view.say(
            f"{quoted(view.text(doc)[d.start : d.end])}: {decision_text(decision)}"
            + (" — every disagreement here is settled" if done else "")
        )
        view.changed.emit(doc)

    def _step_done(self, command: SettleCommand, settled: bool) -> None:
        view, doc = self._view, command.document_id
        if doc != view.document_id:
            view.choose_document(doc)
        view.load(doc, keep=command.extent)
        what = quoted(view.text(doc)[command.extent[0] : command.extent[1]])
        view.say(
            f"{what}: {decision_text(command.decision)} again"
            if settled
            else f"{what}: open again (undid {decision_text(command.decision)})"
        )
        view.changed.emit(doc)

    def undo(self) -> None:
        index = self.undo_stack.index()
        if index == 0:
            self._view.say("Nothing to undo")
            return
        command = self.undo_stack.command(index - 1)
        if isinstance(command, SettleCommand) and command.run(settle=False):
            self.undo_stack.undo()

    def redo(self) -> None:
        index = self.undo_stack.index()
        if index >= self.undo_stack.count():
            self._view.say("Nothing to redo")
            return
        command = self.undo_stack.command(index)
        if isinstance(command, SettleCommand) and command.run(settle=True):
            self.undo_stack.redo()

    # -- merging -----------------------------------------------------------------------------

    def merge(self) -> None:
        """This document: every agreed span missing from its curated layer goes in (again,
        after a settle or new annotations), by the strategy chosen."""
        view = self._view
        doc = view.document_id
        if doc is None:
            return
        strategy, k = view.strategy()
        try:
            report = view.service.auto(
                strategy=strategy, min_agree=k, document_ids=[doc], again=True
            )
        except USER_ERRORS as exc:
            view.say(problem_text(exc, "merge the agreeing spans"), error=True)
            return
        current = view.current()
        view.load(doc, keep=current.key if current else None)
        view.say(
            f"Merged {report.spans} agreeing span{'s' if report.spans != 1 else ''} into "
            "the curated layer"
            if report.spans
            else "Every agreeing span is in the curated layer already"
        )
        view.list.setFocus()  # from the button back to where the keys settle
        view.changed.emit(doc)

    def merge_all(self) -> None:
        """Every document, off the GUI thread; one merged before is left alone (what the
        curator removed there must not come back unasked)."""
        view = self._view
        if self.task is not None:
            return
        strategy, k = view.strategy()
        service = view.service
        task = BackgroundTask(
            lambda reporter: service.auto(strategy=strategy, min_agree=k, reporter=reporter),
            title="Merging agreeing spans in every document",
            parent=view,
            verb="Merging",
        )
        task.succeeded.connect(self._merged_all)
        task.failed.connect(lambda text: view.say(f"Could not merge: {text}", error=True))
        task.cancelled.connect(
            lambda: view.say("Merging cancelled; the documents finished before stay merged")
        )
        task.finished.connect(self._merge_finished)
        self.task = task
        task.start()

    def _merged_all(self, report: AutoReport) -> None:
        parts = [
            f"Merged {_count(report.spans, 'agreeing span')} in "
            f"{_count(report.documents, 'document')}"
            if report.documents
            else "No document was waiting to be merged"
        ]
        if report.already:
            parts.append(
                f"{_count(report.already, 'document')} merged before, left alone "
                "(Merge agreeing spans adds to the one shown)"
            )
        parts.append(f"{_count(report.undecided, 'disagreement')} to settle")
        self._view.say("; ".join(parts))

    def _merge_finished(self) -> None:
        view = self._view
        self.task = None
        view.refresh_documents()
        view.corpusChanged.emit()
        view.list.setFocus()

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.wait()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
