"""Withdrawing and reinstating a suggestion run (the window's undo and redo of Suggest), on
both backends: only untouched suggestions go, they come back exactly, and a run made in
between wins over a reinstated duplicate."""

from __future__ import annotations

from annotator.core.model import SpanStatus
from annotator.services.suggesting import suggest_documents
from annotator.services.suggestion_undo import SuggestionUndo

TEXT = ("Cole Hocker took gold in Paris. Josh Kerr secured silver while Jakob Ingebrigtsen "
        "was fourth and Yared Nuguse took bronze on August 6, 2024.")  # fmt: skip


def _run(app):
    return suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False,
                             actor=app.user, keep_stored=True)  # fmt: skip


def _pending(app, doc):
    spans = app.annotations.spans(doc)
    return sorted((s.id, s.start, s.end, s.label, s.version, s.rule, s.confidence)
                  for s in spans if s.status is SpanStatus.PENDING)  # fmt: skip


def test_withdraw_leaves_reviewed_spans_and_reinstate_restores_exactly(app, make_document):
    doc = make_document(TEXT)
    report = _run(app)
    assert len(report.stored) == report.added > 1
    before = _pending(app, doc)
    reviewed = before[0][0]
    app.annotations.set_statuses([reviewed], SpanStatus.ACCEPTED)
    undo = SuggestionUndo(app.db, app.user)

    withdrawn = undo.withdraw(report.stored)
    assert withdrawn.kept == 1
    assert [s.id for s in app.annotations.spans(doc)] == [reviewed]
    log = app.changes.entries(document_ids=[doc])
    assert [c.action for c in log[-(len(before) - 1) :]] == ["delete"] * (len(before) - 1)

    back = undo.reinstate(withdrawn.spans)
    assert len(back) == len(before) - 1
    assert _pending(app, doc) == [row for row in before if row[0] != reviewed]
    assert app.changes.entries(document_ids=[doc])[-1].action == "restore"


def test_a_run_in_between_wins_over_the_reinstated_duplicates(app, make_document):
    doc = make_document(TEXT)
    undo = SuggestionUndo(app.db, app.user)
    withdrawn = undo.withdraw(_run(app).stored)
    again = _run(app)
    assert again.added == len(withdrawn.spans)
    assert undo.reinstate(withdrawn.spans) == []
    assert sorted(s.id for s in app.annotations.spans(doc)) == sorted(r.id for r in again.stored)
