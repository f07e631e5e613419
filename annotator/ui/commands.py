"""The one way the window changes data: undoable commands that call a service.

Each service call commits at once, so "undo" is another committed call (delete what was
created, restore what was deleted, write back the old field values). Commands carry their
document id and report what changed through a ``ChangeNotifier``; the window listens and
refreshes its views, switching to the command's document when it is not the one on screen, so
undo and redo work across document switches.

A service may refuse (the span was deleted elsewhere, a label the tagset no longer has, the
disk is full): the command then reports the reason, marks itself obsolete so the QUndoStack
drops it (no undo entry for a change that was not made), and never lets the exception escape
into Qt's C++ frames.

Every command remembers the span as it left it. Its next undo or redo first asks the service
whether the span still reads exactly so (``AnnotationService.expect``) and then writes against
the version found: if a colleague changed or deleted the span in between, the service refuses
("changed by maria at 14:03") and the command shows the span as it is now instead of
overwriting their work. Content, not the version number, is compared, because this window's
own later steps and their undos move the version on without changing what the step left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from annotator.core.errors import DatabaseError, StaleChange
from annotator.core.model import EDITABLE_FIELDS, DocStatus, Span, SpanError
from annotator.core.tagset import Tagset
from annotator.services.annotations import AnnotationService, NotFound
from annotator.services.documents import DocumentService

log = logging.getLogger(__name__)

#: What a service may raise for reasons the user can understand (the span is gone, the
#: database is locked by another program or the disk is full); anything else is a bug.
USER_ERRORS = (NotFound, ValueError, SpanError, DatabaseError)

#: Fields typed as text: consecutive edits of one of them on the same span merge into one undo
#: step, so refining a correction does not need five Ctrl+Z.
MERGEABLE_FIELDS = ("correction", "note", "value")
_MERGE_ID_BASE = 0x5A00


class ChangeNotifier(QObject):
    """What the commands tell the window. Emitted after the service has committed."""

    spanChanged = Signal(object)  # Span as stored now (created, edited or restored)
    spanRemoved = Signal(int, int)  # document id, span id
    documentChanged = Signal(int)  # document id whose status changed
    #: Many documents' spans or rows changed at once (a suggestion run or its undo, an
    #: import): their ids, or None for "any of them". The window reloads rather than
    #: following span by span.
    documentsChanged = Signal(object)
    kbChanged = Signal(object, bool)  # Athlete or Event; False: it was removed (undo of add)
    committed = Signal()  # any successful write
    #: A change refused because a colleague changed (or deleted) the span first: span id and
    #: the span as stored now (None: deleted). Emitted after spanChanged/spanRemoved, before
    #: ``failed``, so a field the user was typing in can show the colleague's value.
    refused = Signal(int, object)
    failed = Signal(str)  # a service refused; the reason is for the user. Always the last
    notice = Signal(str)  # done, with something the user should know (what an undo left)


@dataclass
class Outcome:
    """Kept apart from the command because QUndoStack deletes an obsolete command at once, and
    the caller still needs to know what happened."""

    span: Span | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


class ServiceCommand(QUndoCommand):
    def __init__(self, notifier: ChangeNotifier, document_id: int, text: str) -> None:
        super().__init__(text)
        self.notifier = notifier
        self.document_id = document_id
        self.outcome = Outcome()

    def _fail(self, exc: Exception, doing: str) -> None:
        if isinstance(exc, USER_ERRORS):
            message = f"{doing}: {exc}"
            log.info("command refused: %s", message)
        else:
            message = f"{doing}: an internal error ({type(exc).__name__}); see the log"
            log.error("command failed: %s", doing, exc_info=exc)
        self.outcome.error = message
        self.setObsolete(True)
        if isinstance(exc, StaleChange):
            # Show what is stored now, so the user sees the colleague's change.
            current = exc.current if isinstance(exc.current, Span) else None
            if current is not None:
                self.notifier.spanChanged.emit(current)
            else:
                self.notifier.spanRemoved.emit(self.document_id, exc.span_id)
            self.notifier.refused.emit(exc.span_id, current)
        # Last: showing the stored span may switch documents (with a message of its own) or
        # save text pending in the inspector, and neither may hide that this change failed.
        self.notifier.failed.emit(message)


class AddSpanCommand(ServiceCommand):
    """Creates a span the first time; redo after undo restores the same id, so later commands
    that refer to the span (edits, deletes) stay valid."""

    def __init__(
        self,
        annotations: AnnotationService,
        notifier: ChangeNotifier,
        *,
        document_id: int,
        start: int,
        end: int,
        label: str,
        text: str = "",
        label_name: str | None = None,
    ) -> None:
        super().__init__(notifier, document_id, f"Tag {_quote(text)} as {label_name or label}")
        self._annotations = annotations
        self._fields: dict[str, Any] = {"start": start, "end": end, "label": label}
        self._created: Span | None = None

    @property
    def span(self) -> Span | None:
        return self._created

    def redo(self) -> None:
        try:
            if self._created is None:
                span = self._annotations.create(document_id=self.document_id, **self._fields)
            else:
                span = self._annotations.restore(self._created)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not add the span")
            return
        self._created = span
        self.outcome.span = span
        self.notifier.spanChanged.emit(span)
        self.notifier.committed.emit()

    def undo(self) -> None:
        assert self._created is not None and self._created.id is not None
        try:
            expected = self._annotations.expect([self._created])
            self._created = self._annotations.delete(
                self._created.id, expected_version=expected[self._created.id]
            )
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not undo adding the span")
            return
        self.notifier.spanRemoved.emit(self.document_id, self._created.id)
        self.notifier.committed.emit()


class DeleteSpanCommand(ServiceCommand):
    def __init__(
        self,
        annotations: AnnotationService,
        notifier: ChangeNotifier,
        *,
        span: Span,
    ) -> None:
        assert span.id is not None and span.document_id is not None
        super().__init__(notifier, span.document_id, f"Delete {_quote(span.text)}")
        self._annotations = annotations
        self.span_id = span.id
        #: The version the user saw when deleting; after an undo, the span as restored.
        self._version = span.version
        self._restored: Span | None = None
        self._deleted: Span | None = None

    def redo(self) -> None:
        try:
            version = self._version
            if self._restored is not None:
                version = self._annotations.expect([self._restored])[self.span_id]
            self._deleted = self._annotations.delete(self.span_id, expected_version=version)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not delete the span")
            return
        self.outcome.span = self._deleted
        self.notifier.spanRemoved.emit(self.document_id, self.span_id)
        self.notifier.committed.emit()

    def undo(self) -> None:
        assert self._deleted is not None
        try:
            span = self._annotations.restore(self._deleted)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not restore the span")
            return
        self._restored = span
        self.notifier.spanChanged.emit(span)
        self.notifier.committed.emit()


class EditSpanCommand(ServiceCommand):
    """Field changes on one span. The values before are read back from the service's answer,
    not from the widget, so undo writes what the database really held."""

    def __init__(
        self,
        annotations: AnnotationService,
        notifier: ChangeNotifier,
        *,
        span: Span,
        changes: dict[str, object],
        description: str | None = None,
    ) -> None:
        assert span.id is not None and span.document_id is not None
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
        names = ", ".join(name.replace("_", " ") for name in changes)
        super().__init__(
            notifier, span.document_id, description or f"Edit {names} of {_quote(span.text)}"
        )
        self._annotations = annotations
        self.span_id = span.id
        #: The version the user saw when making the change (the first redo writes against it).
        self.version = span.version
        #: The span as this command last left it (None before the first redo).
        self.left: Span | None = None
        self.after: dict[str, object] = dict(changes)
        self.before: dict[str, object] = {name: getattr(span, name) for name in changes}

    def id(self) -> int:
        if len(self.after) == 1:
            (name,) = self.after
            if name in MERGEABLE_FIELDS:
                return _MERGE_ID_BASE + MERGEABLE_FIELDS.index(name)
        return -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditSpanCommand) or other.span_id != self.span_id:
            return False
        if set(other.after) != set(self.after) or other.outcome.error is not None:
            return False
        self.after = dict(other.after)
        self.outcome = other.outcome
        self.left = other.left
        if self.after == self.before:
            # Typed back to the original: nothing left to undo.
            self.setObsolete(True)
        return True

    def _apply(self, values: dict[str, object], doing: str) -> None:
        try:
            version = self.version
            if self.left is not None:
                version = self._annotations.expect([self.left])[self.span_id]
            before, after = self._annotations.update(
                self.span_id, expected_version=version, **values
            )
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, doing)
            return
        if values is self.after and self.outcome.span is None:
            self.before = {name: getattr(before, name) for name in self.after}
        self.left = after
        self.outcome.span = after
        self.notifier.spanChanged.emit(after)
        self.notifier.committed.emit()

    def redo(self) -> None:
        self._apply(self.after, "could not change the span")

    def undo(self) -> None:
        self._apply(self.before, "could not undo the change")


class SetDocumentStatusCommand(ServiceCommand):
    def __init__(
        self,
        documents: DocumentService,
        notifier: ChangeNotifier,
        *,
        document_id: int,
        status: DocStatus,
    ) -> None:
        super().__init__(notifier, document_id, f"Mark document as {status.display}")
        self._documents = documents
        self.status = status
        self.before: DocStatus | None = None

    def redo(self) -> None:
        try:
            # A redo after undo expects the status the undo left.
            self.before = self._documents.set_status(self.document_id, self.status,
                                                     expected=self.before)  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not change the document status")
            return
        self.notifier.documentChanged.emit(self.document_id)
        self.notifier.committed.emit()

    def undo(self) -> None:
        assert self.before is not None
        try:
            self._documents.set_status(self.document_id, self.before, expected=self.status)
        except Exception as exc:  # noqa: BLE001 - never into Qt's frames
            self._fail(exc, "could not undo the status change")
            return
        self.notifier.documentChanged.emit(self.document_id)
        self.notifier.committed.emit()


def relabel_changes(tagset: Tagset, span: Span, label: str) -> dict[str, object]:
    """The changes that move ``span`` to ``label``: fields the new label does not allow are
    cleared too (the service refuses an error type on an athlete, and a correction on a date
    would end up in the dataset). Undo brings them back."""
    changes: dict[str, object] = {"label": label}
    new = tagset.get(label)
    allowed_types = new.error_types if new else ()
    if span.error_type is not None and span.error_type not in allowed_types:
        changes["error_type"] = None
    attrs = new.text_attributes if new else ()
    for name in ("correction", "note"):
        if getattr(span, name) and name not in attrs:
            changes[name] = None
    return changes
