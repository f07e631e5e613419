"""Learning from the desk: hand-tagged strings proposed in other documents, rules ranked by
how often this corpus's users accept them. Real databases (SQLite and PostgreSQL), the
bundled KB, the real suggestion run."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from annotator.core.model import SpanStatus
from annotator.core.suggest import learned
from annotator.services.learning import learned_strings, load_learning
from annotator.services.suggesting import suggest_documents
from annotator.store.models import AnnotationRow

TAGGED = (
    "The Harbourside Twilight Meet drew a big crowd. Tomasz Wrenfield-Okafor ran the anchor leg."
)
OTHER = (
    "Tomasz Wrenfield-Okafor returns to the Harbourside Twilight Meet next week; "
    "the harbourside twilight meet is a fixture. Wrenfield-Okafor is the favourite."
)


def run(app, **kw):
    return suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, jobs=1, **kw)


def spans(app, doc, rule=None):
    with app.db.sessions() as session:
        stmt = select(AnnotationRow).where(AnnotationRow.document_id == doc)
        if rule is not None:
            stmt = stmt.where(AnnotationRow.rule == rule)
        return list(session.scalars(stmt.order_by(AnnotationRow.start)))


def tag(app, doc, text, surface, label):
    start = text.index(surface)
    return app.annotations.create(
        document_id=doc, start=start, end=start + len(surface), label=label
    )


def test_a_string_tagged_by_hand_is_proposed_in_other_documents(app, make_document):
    first = make_document(TAGGED, title="tagged")
    other = make_document(OTHER, title="other")
    tag(app, first, TAGGED, "Harbourside Twilight Meet", "event")
    tag(app, first, TAGGED, "Tomasz Wrenfield-Okafor", "athlete")
    with app.db.engine.connect() as conn:
        assert sorted((s.label, s.text, s.accepted) for s in learned_strings(conn)) == [
            ("athlete", "Tomasz Wrenfield-Okafor", 1),
            ("event", "Harbourside Twilight Meet", 1),
        ]
    run(app, document_ids=[other])
    got = [(r.label, r.text, r.status, r.confidence) for r in spans(app, other, learned.RULE)]
    # Events ignore case, names do not: "Wrenfield-Okafor" alone was never tagged.
    assert got == [
        ("athlete", "Tomasz Wrenfield-Okafor", "pending", 0.5),
        ("event", "Harbourside Twilight Meet", "pending", 0.5),
        ("event", "harbourside twilight meet", "pending", 0.5),
    ]
    note = spans(app, other, learned.RULE)[0].note
    assert note == "tagged by hand in 1 document"
    for row in spans(app, other, learned.RULE):
        assert OTHER[row.start : row.end] == row.text


def test_rejections_lower_a_learned_string_until_it_is_no_longer_proposed(app, make_document):
    a = make_document(TAGGED, title="a")
    tag(app, a, TAGGED, "Harbourside Twilight Meet", "event")
    docs = [
        make_document(f"Day {i}: the Harbourside Twilight Meet again.", title=f"d{i}")
        for i in range(3)
    ]
    run(app, document_ids=docs[:2])
    learned_rows = [r for d in docs[:2] for r in spans(app, d, learned.RULE)]
    assert len(learned_rows) == 2
    app.annotations.set_statuses([r.id for r in learned_rows], SpanStatus.REJECTED)
    # One document tagged by hand, two rejections: 1 / (1 + 2 + 1) is below the floor.
    run(app, document_ids=[docs[2]])
    assert spans(app, docs[2], learned.RULE) == []


def test_a_rule_users_mostly_reject_is_ranked_down_then_dropped(app, make_document):
    text = "Josh Kerr ran well in the final."
    docs = [make_document(f"{text} Race {i}.", title=f"r{i}") for i in range(14)]
    run(app, document_ids=docs[:12])
    kerr = [r for d in docs[:12] for r in spans(app, d) if r.text == "Josh Kerr"]
    assert len(kerr) == 12 and {r.rule for r in kerr} == {"kb-exact"}
    # 4 of 12 accepted: a third, under half: confidence scaled by (1/3) / (1/2).
    app.annotations.set_statuses([r.id for r in kerr[:4]], SpanStatus.ACCEPTED)
    app.annotations.set_statuses([r.id for r in kerr[4:]], SpanStatus.REJECTED)
    assert load_learning(app.db).factors == {"kb-exact": pytest.approx(2 / 3)}
    run(app, document_ids=[docs[12]])
    [row] = [r for r in spans(app, docs[12]) if r.text == "Josh Kerr"]
    assert row.confidence == round(0.95 * 2 / 3, 2)
    # 1 of 12 accepted, under a fifth: kb-exact is not proposed in this corpus any more.
    app.annotations.set_statuses([r.id for r in kerr[1:4]], SpanStatus.REJECTED)
    run(app, document_ids=[docs[13]])
    assert [r for r in spans(app, docs[13]) if r.rule == "kb-exact"] == []
    assert [r for r in spans(app, docs[13]) if r.text == "Josh Kerr"] == []
