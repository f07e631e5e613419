"""Editing the knowledge base from the window: undoable commands, and the controller that
opens the dialogs (kb_dialogs) and turns what they ask for into those commands.

The commands live on the window's undo stack beside the span commands, so Ctrl+Z takes back a
name added from a span as it takes back the span. The service refuses what would break the
knowledge base (a name that exists, an alias that names someone else); the command then
reports the reason, as the span commands do, and leaves nothing on the stack.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoCommand

from annotator.core.kb import Athlete, Event
from annotator.core.offsets import snap_to_words
from annotator.services.kb import KnowledgeBaseService
from annotator.ui.commands import USER_ERRORS, ChangeNotifier
from annotator.ui.dialogs.kb import AddToKBDialog, KnowledgeBaseDialog

if TYPE_CHECKING:
    from annotator.ui.window.hosts import SpanHost

log = logging.getLogger(__name__)

Entry = Athlete | Event


@dataclass
class KBOutcome:
    """Apart from the command, which QUndoStack deletes at once when it fails."""

    entry: Entry | None = None
    error: str | None = None


def describe(entry: Entry) -> str:
    return f"athlete “{entry.name}”" if isinstance(entry, Athlete) else f"event “{entry.name}”"


class _KBCommand(QUndoCommand):
    def __init__(self, kb: KnowledgeBaseService, notifier: ChangeNotifier, text: str) -> None:
        super().__init__(text)
        self._kb = kb
        self.notifier = notifier
        self.outcome = KBOutcome()

    def _fail(self, exc: Exception, doing: str) -> None:
        message = f"{doing}: {exc}"
        log.info("knowledge-base command refused: %s", message)
        self.outcome.error = message
        self.setObsolete(True)
        self.notifier.failed.emit(message)

    def _done(self, entry: Entry, exists: bool = True) -> None:
        self.outcome.entry = entry
        self.notifier.kbChanged.emit(entry, exists)
        self.notifier.committed.emit()


class AddKBEntryCommand(_KBCommand):
    """Adds the entry the first time; redo after undo restores it with the same id, so an
    edit further up the stack still finds it."""

    def __init__(self, kb: KnowledgeBaseService, notifier: ChangeNotifier, *, entry: Entry):
        super().__init__(kb, notifier, f"Add {describe(entry)} to the knowledge base")
        self._wanted = entry
        self._added: Entry | None = None

    def redo(self) -> None:
        try:
            if self._added is not None:
                restore = (self._kb.restore_athlete if isinstance(self._added, Athlete)
                           else self._kb.restore_event)  # fmt: skip
                self._added = restore(self._added)  # type: ignore[arg-type]
            elif isinstance(self._wanted, Athlete):
                self._added = self._kb.add_athlete(**_fields(self._wanted))
            else:
                self._added = self._kb.add_event(**_fields(self._wanted))
        except USER_ERRORS as exc:
            self._fail(exc, f"could not add the {type(self._wanted).__name__.lower()}")
            return
        self._done(self._added)

    def undo(self) -> None:
        assert self._added is not None and self._added.id is not None
        try:
            if isinstance(self._added, Athlete):
                removed: Entry = self._kb.delete_athlete(self._added.id)
            else:
                removed = self._kb.delete_event(self._added.id)
        except USER_ERRORS as exc:
            self._fail(exc, "could not undo adding it")
            return
        self._done(removed, exists=False)


class EditKBEntryCommand(_KBCommand):
    def __init__(
        self,
        kb: KnowledgeBaseService,
        notifier: ChangeNotifier,
        *,
        entry: Entry,
        changes: dict[str, Any],
    ) -> None:
        assert entry.id is not None
        names = ", ".join(changes)
        super().__init__(kb, notifier, f"Edit {names} of {describe(entry)}")
        self._athlete = isinstance(entry, Athlete)
        self.entry_id = entry.id
        self.after = dict(changes)
        self.before = {name: getattr(entry, name) for name in changes}

    def _apply(self, values: dict[str, Any], doing: str) -> None:
        update = self._kb.update_athlete if self._athlete else self._kb.update_event
        try:
            before, after = update(self.entry_id, **values)
        except USER_ERRORS as exc:
            self._fail(exc, doing)
            return
        if values is self.after and self.outcome.entry is None:
            self.before = {name: getattr(before, name) for name in self.after}
        self._done(after)

    def redo(self) -> None:
        self._apply(self.after, "could not change the knowledge base")

    def undo(self) -> None:
        self._apply(self.before, "could not undo the change")


def _fields(entry: Entry) -> dict[str, Any]:
    return {f.name: getattr(entry, f.name) for f in fields(entry) if f.name != "id"}


class KBEditing(QObject):
    """Ctrl+K and Edit ▸ Knowledge base: the dialogs, wired to the commands above."""

    def __init__(self, window: SpanHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self.kb_dialog: KnowledgeBaseDialog | None = None
        window.editor.notifier.kbChanged.connect(self._on_kb_changed)

    def add_to_kb(self) -> AddToKBDialog | None:
        """Ctrl+K: the selection, or the current span, as a new athlete or event."""
        window = self._window
        document = window.document
        if document is None:
            window.show_message("Open a document first")
            return None
        selected = window.view.selected_range()
        span = window.current_span()
        if selected is not None and selected[0] < selected[1]:
            start, end = snap_to_words(document.text, *selected)
            name, kind = document.text[start:end], "athlete"
        elif span is not None:
            name = span.correction if span.label == "error" and span.correction else span.text
            kind = "event" if span.label == "event" else "athlete"
        else:
            window.show_message("Select a name, or a span, to add it to the knowledge base")
            return None
        dialog = AddToKBDialog(name=name, kind=kind, save=self._save_entry, parent=window.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _save_entry(self, entry: Entry) -> str | None:
        window = self._window
        command = AddKBEntryCommand(window.app.kb, window.editor.notifier, entry=entry)
        outcome = command.outcome  # kept: a refused command is deleted inside push()
        window.editor.push(command)
        if outcome.error is not None:
            return outcome.error
        window.show_message(f"Added {describe(entry)} to the knowledge base; "
                            "Suggest (Ctrl+G) now looks for it")  # fmt: skip
        return None

    def _edit_entry(self, entry: Entry, changes: dict[str, Any]) -> tuple[Entry | None, str | None]:
        window = self._window
        command = EditKBEntryCommand(window.app.kb, window.editor.notifier, entry=entry,
                                     changes=changes)  # fmt: skip
        outcome = command.outcome
        window.editor.push(command)
        return outcome.entry, outcome.error

    def show_knowledge_base(self) -> KnowledgeBaseDialog:
        kb = self._window.app.kb.load()
        entries: list[Entry] = [*kb.athletes, *kb.events]
        dialog = self.kb_dialog
        if dialog is None:
            dialog = self.kb_dialog = KnowledgeBaseDialog(entries, edit=self._edit_entry,
                                                          parent=self._window.window())  # fmt: skip
        else:
            dialog.model.set_entries(entries)  # the database may have changed
        if dialog.isVisible():
            dialog.raise_()  # behind the window: bring it forward
        dialog.show()
        dialog.activateWindow()
        return dialog

    def _on_kb_changed(self, entry: Entry, exists: bool) -> None:
        if self.kb_dialog is not None:
            self.kb_dialog.model.upsert(entry, exists)
