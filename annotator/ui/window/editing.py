"""The window's single entry point for changing data: builds undo commands and pushes them.

Widgets ask for a change (a label key, an inspector field, Delete in the table); the editor
turns the request into a command on the window's QUndoStack. What changed comes back through
the ``ChangeNotifier``, whichever way the change happened (first time, undo or redo).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.core.model import DocStatus, Span
from annotator.services.app import App
from annotator.services.suggesting import SuggestReport
from annotator.services.suggestion_undo import SuggestionUndo
from annotator.ui.batch_commands import AcceptAllCommand, SuggestRunCommand
from annotator.ui.commands import (
    AddSpanCommand,
    ChangeNotifier,
    DeleteSpanCommand,
    EditSpanCommand,
    Outcome,
    SetDocumentStatusCommand,
    relabel_changes,
)
from annotator.ui.widgets.span_edges import MoveSpanCommand

log = logging.getLogger(__name__)


class SpanEditor(QObject):
    def __init__(self, app: App, *, stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.stack = stack
        self.notifier = ChangeNotifier(self)

    def set_app(self, app: App) -> None:
        """Another database: the old commands point at the old one, so they go."""
        self.stack.clear()
        self.app = app

    def _push(self, command: QUndoCommand, outcome: Outcome) -> Outcome:
        # The outcome is read after push(): QUndoStack deletes a command that failed at once.
        self.stack.push(command)
        return outcome

    def add_span(
        self, *, document_id: int, start: int, end: int, label: str, text: str = ""
    ) -> Span | None:
        label_def = self.app.tagset.get(label)
        command = AddSpanCommand(
            self.app.annotations,
            self.notifier,
            document_id=document_id,
            start=start,
            end=end,
            label=label,
            text=text,
            label_name=label_def.name if label_def else None,
        )
        return self._push(command, command.outcome).span

    def edit_span(
        self, *, span: Span, changes: dict[str, object], description: str | None = None
    ) -> Span | None:
        if not changes:
            return span
        command = EditSpanCommand(
            self.app.annotations, self.notifier, span=span, changes=changes,
            description=description,
        )  # fmt: skip
        outcome = command.outcome
        self.stack.push(command)
        # A merged command hands its outcome over to the one already on the stack.
        return outcome.span

    def relabel_span(self, *, span: Span, label: str) -> Span | None:
        if span.label == label:
            return span
        label_def = self.app.tagset.get(label)
        command = EditSpanCommand(
            self.app.annotations,
            self.notifier,
            span=span,
            changes=relabel_changes(self.app.tagset, span, label),
            description=f"Relabel “{span.text[:30]}” as {label_def.name if label_def else label}",
        )
        return self._push(command, command.outcome).span

    def move_span(self, *, span: Span, start: int, end: int) -> Span | None:
        """New edges for ``span``; consecutive moves of one span are one undo step."""
        if (start, end) == (span.start, span.end):
            return span
        command = MoveSpanCommand(self.app.annotations, self.notifier, span=span,
                                  start=start, end=end)  # fmt: skip
        outcome = command.outcome
        self.stack.push(command)
        # A merged command hands its outcome over to the one already on the stack.
        return outcome.span

    def accept_all(
        self, *, document_id: int, label: str | None, spans: Sequence[Span] | None = None
    ) -> int:
        """Accept the document's pending ``label`` suggestions (None: of every label), or
        exactly ``spans`` when given (what the user was asked about); returns how many."""
        label_def = self.app.tagset.get(label) if label is not None else None
        command = AcceptAllCommand(
            self.app.annotations, self.notifier, document_id=document_id, label=label,
            label_name=label_def.name if label_def else None, spans=spans,
        )  # fmt: skip
        # Kept before push(): QUndoStack deletes an obsolete (empty or failed) command at once.
        outcome, accepted = command.outcome, command.accepted_ids
        self.stack.push(command)
        return len(accepted) if outcome.ok else 0

    def suggestion_run(self, report: SuggestReport, *, document_id: int | None) -> None:
        """A finished suggestion run becomes one undo step (and is shown through the
        notifier); a run that stored nothing leaves no step."""
        if not report.stored:
            return
        undo = SuggestionUndo(self.app.db, self.app.user)
        self.stack.push(SuggestRunCommand(undo, self.notifier, report=report,
                                          document_id=document_id))  # fmt: skip

    def push(self, command: QUndoCommand) -> None:
        """Push a command built elsewhere (the knowledge-base dialogs' commands)."""
        self.stack.push(command)

    def delete_span(self, *, span: Span) -> bool:
        command = DeleteSpanCommand(self.app.annotations, self.notifier, span=span)
        return self._push(command, command.outcome).ok

    def set_status(self, *, document_id: int, status: DocStatus) -> bool:
        command = SetDocumentStatusCommand(
            self.app.documents, self.notifier, document_id=document_id, status=status
        )
        return self._push(command, command.outcome).ok
