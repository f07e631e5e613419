"""Undo commands against the real database: each redo/undo is checked in SQLite, and across
documents (the command carries its document id; nothing depends on what the window shows)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack
from sqlalchemy import select

from annotator.core.model import DocStatus, SpanStatus
from annotator.store.models import AnnotationRow
from annotator.ui.commands import (
    AddSpanCommand,
    ChangeNotifier,
    DeleteSpanCommand,
    EditSpanCommand,
    SetDocumentStatusCommand,
    relabel_changes,
)

pytestmark = pytest.mark.gui

TEXT = "Jakob Ingebrigsten won the 5000m in Paris on 10 August 2024."


def rows(app, document_id=None):
    with app.db.sessions() as session:
        stmt = select(AnnotationRow).order_by(AnnotationRow.id)
        if document_id is not None:
            stmt = stmt.where(AnnotationRow.document_id == document_id)
        return [
            (r.id, r.document_id, r.start, r.end, r.label, r.text, r.correction, r.note)
            for r in session.scalars(stmt)
        ]


def where(needle: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


class Recorder:
    """Everything the notifier said, in order."""

    def __init__(self, notifier: ChangeNotifier) -> None:
        self.events: list[tuple] = []
        notifier.spanChanged.connect(lambda s: self.events.append(("changed", s.document_id, s.id)))
        notifier.spanRemoved.connect(lambda d, s: self.events.append(("removed", d, s)))
        notifier.documentChanged.connect(lambda d: self.events.append(("document", d)))
        notifier.committed.connect(lambda: self.events.append(("committed",)))
        notifier.failed.connect(lambda m: self.events.append(("failed", m)))

    def take(self) -> list[tuple]:
        events, self.events = self.events, []
        return events


@pytest.fixture
def notifier(qapp):
    return ChangeNotifier()


@pytest.fixture
def stack(qapp):
    return QUndoStack()


def add(app, notifier, stack, doc, needle, label="athlete", text=TEXT):
    start, end = where(needle, text)
    command = AddSpanCommand(
        app.annotations,
        notifier,
        document_id=doc,
        start=start,
        end=end,
        label=label,
        text=needle,
        label_name=app.tagset[label].name,
    )
    outcome = command.outcome
    stack.push(command)
    assert outcome.ok, outcome.error
    return outcome.span


def test_add_span_creates_then_undo_deletes_and_redo_restores_the_same_id(
    app, make_document, notifier, stack
):
    doc = make_document(TEXT)
    seen = Recorder(notifier)
    span = add(app, notifier, stack, doc, "Ingebrigsten")
    assert rows(app) == [(span.id, doc, 6, 18, "athlete", "Ingebrigsten", None, None)]
    assert seen.take() == [("changed", doc, span.id), ("committed",)]
    assert stack.undoText().startswith("Tag “Ingebrigsten” as Athlete")

    stack.undo()
    assert rows(app) == []
    assert seen.take() == [("removed", doc, span.id), ("committed",)]

    stack.redo()
    assert rows(app) == [(span.id, doc, 6, 18, "athlete", "Ingebrigsten", None, None)]
    assert seen.take() == [("changed", doc, span.id), ("committed",)]


def test_delete_span_undo_restores_every_field(app, make_document, notifier, stack):
    doc = make_document(TEXT)
    start, end = where("Ingebrigsten")
    span = app.annotations.create(
        document_id=doc,
        start=start,
        end=end,
        label="error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
        note="World Athletics profile",
    )
    before = rows(app)
    seen = Recorder(notifier)
    stack.push(DeleteSpanCommand(app.annotations, notifier, span=span))
    assert rows(app) == []
    assert seen.take() == [("removed", doc, span.id), ("committed",)]
    stack.undo()
    assert rows(app) == before
    assert app.annotations.get(span.id).error_type == "misspelled_name"
    stack.redo()
    assert rows(app) == []


def test_edit_span_undo_writes_back_the_stored_values(app, make_document, notifier, stack):
    doc = make_document(TEXT)
    span = add(app, notifier, stack, doc, "Ingebrigsten", label="error")
    stack.push(
        EditSpanCommand(
            app.annotations,
            notifier,
            span=span,
            changes={"error_type": "misspelled_name", "correction": "Ingebrigtsen"},
        )
    )
    stored = app.annotations.get(span.id)
    assert (stored.error_type, stored.correction) == ("misspelled_name", "Ingebrigtsen")
    stack.undo()
    stored = app.annotations.get(span.id)
    assert (stored.error_type, stored.correction) == (None, None)
    stack.redo()
    assert app.annotations.get(span.id).correction == "Ingebrigtsen"


def test_consecutive_edits_of_one_text_field_merge_into_one_undo_step(
    app, make_document, notifier, stack
):
    doc = make_document(TEXT)
    span = add(app, notifier, stack, doc, "Ingebrigsten", label="error")
    for typed in ("Ingebrigt", "Ingebrigtsen"):
        current = app.annotations.get(span.id)
        stack.push(
            EditSpanCommand(app.annotations, notifier, span=current, changes={"correction": typed})
        )
    assert stack.count() == 2  # the add, and one merged edit
    assert app.annotations.get(span.id).correction == "Ingebrigtsen"
    stack.undo()
    assert app.annotations.get(span.id).correction is None
    # A note edit is a different field: its own step.
    stack.redo()
    current = app.annotations.get(span.id)
    stack.push(EditSpanCommand(app.annotations, notifier, span=current, changes={"note": "x"}))
    assert stack.count() == 3


def test_typing_a_field_back_to_its_original_value_leaves_nothing_to_undo(
    app, make_document, notifier, stack
):
    doc = make_document(TEXT)
    span = add(app, notifier, stack, doc, "Ingebrigsten", label="error")
    for typed in ("Ingebrigtsen", None):
        current = app.annotations.get(span.id)
        stack.push(
            EditSpanCommand(app.annotations, notifier, span=current, changes={"correction": typed})
        )
    assert stack.count() == 1
    assert app.annotations.get(span.id).correction is None


def test_set_document_status_and_undo(app, make_document, notifier, stack):
    doc = make_document(TEXT)
    seen = Recorder(notifier)
    stack.push(
        SetDocumentStatusCommand(app.documents, notifier, document_id=doc, status=DocStatus.DONE)
    )
    assert app.documents.info(doc).status == DocStatus.DONE
    assert seen.take() == [("document", doc), ("committed",)]
    stack.undo()
    assert app.documents.info(doc).status == DocStatus.NEW
    stack.redo()
    assert app.documents.info(doc).status == DocStatus.DONE


def test_undo_and_redo_reach_across_documents(app, make_document, notifier, stack):
    other_text = "Josh Kerr beat Ingebrigtsen in Budapest."
    first = make_document(TEXT, title="First")
    second = make_document(other_text, title="Second")
    a = add(app, notifier, stack, first, "Ingebrigsten")
    b = add(app, notifier, stack, second, "Kerr", text=other_text)
    seen = Recorder(notifier)
    stack.undo()
    stack.undo()
    assert rows(app) == []
    assert seen.take() == [
        ("removed", second, b.id),
        ("committed",),
        ("removed", first, a.id),
        ("committed",),
    ]
    stack.redo()
    assert [r[1] for r in rows(app)] == [first]
    assert seen.take()[0] == ("changed", first, a.id)


def test_a_refused_change_is_reported_and_dropped_from_the_stack(
    app, make_document, notifier, stack
):
    doc = make_document(TEXT)
    span = add(app, notifier, stack, doc, "Ingebrigsten")
    app.annotations.delete(span.id)  # deleted behind the window's back
    seen = Recorder(notifier)
    command = EditSpanCommand(app.annotations, notifier, span=span, changes={"label": "event"})
    outcome = command.outcome
    stack.push(command)
    assert not outcome.ok and "the span was deleted by tester" in outcome.error
    assert stack.count() == 1
    # The stored state first (the span is gone), the failure last, so nothing hides it.
    assert [e[0] for e in seen.take()] == ["removed", "failed"]
    # Undoing the add of a span that is already gone: reported, then dropped, never raised.
    stack.undo()
    assert [e[0] for e in seen.take()] == ["removed", "failed"]
    assert stack.count() == 0


def test_an_unknown_label_is_refused_without_writing(app, make_document, notifier, stack):
    doc = make_document(TEXT)
    start, end = where("Paris")
    command = AddSpanCommand(
        app.annotations, notifier, document_id=doc, start=start, end=end, label="venue"
    )
    outcome = command.outcome
    stack.push(command)
    assert "unknown label" in outcome.error
    assert rows(app) == [] and stack.count() == 0


def test_relabelling_drops_fields_the_new_label_does_not_have(app, make_document):
    doc = make_document(TEXT)
    start, end = where("Ingebrigsten")
    span = app.annotations.create(
        document_id=doc,
        start=start,
        end=end,
        label="error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
    )
    assert relabel_changes(app.tagset, span, "athlete") == {
        "label": "athlete",
        "error_type": None,
        "correction": None,
    }
    plain = span.with_changes(label="athlete", error_type=None, correction=None)
    assert relabel_changes(app.tagset, plain, "error") == {"label": "error"}
    assert SpanStatus.PENDING  # the enum the inspector's accept/reject use
