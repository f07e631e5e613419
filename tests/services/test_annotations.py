import pytest
from sqlalchemy import select

from annotator.core.model import DocStatus, SpanError, SpanStatus
from annotator.services.annotations import NotFound
from annotator.store.models import AnnotationRow

TEXT = "🏃‍♀️ Narve Gilje Nordås beat Jakob Ingebrigsten in 𝒜thens on 6 August 2024."


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _stored(app, span_id):
    with app.db.sessions() as session:
        return session.get(AnnotationRow, span_id)


def test_creating_an_error_span_stores_every_field_with_code_point_offsets(app, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Ingebrigsten")
    span = app.annotations.create(
        document_id=doc,
        start=start,
        end=end,
        label="error",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
        note="KB: Jakob Ingebrigtsen",
    )
    row = _stored(app, span.id)
    assert (row.start, row.end, row.text) == (start, end, "Ingebrigsten")
    assert TEXT[row.start : row.end] == row.text
    assert (row.error_type, row.correction, row.note) == (
        "misspelled_name",
        "Ingebrigtsen",
        "KB: Jakob Ingebrigtsen",
    )
    assert (row.origin, row.status, row.annotator) == ("manual", "accepted", "tester")


def test_the_first_span_moves_a_new_document_to_in_progress(app, make_document):
    doc = make_document(TEXT)
    assert app.documents.info(doc).status is DocStatus.NEW
    app.annotations.create(document_id=doc, start=0, end=1, label="athlete")
    assert app.documents.info(doc).status is DocStatus.IN_PROGRESS
    assert app.documents.info(doc).span_count == 1


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (7, 3), (0, len(TEXT) + 1)])
def test_a_span_outside_the_text_is_refused(app, make_document, start, end):
    doc = make_document(TEXT)
    with pytest.raises(SpanError):
        app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    assert app.annotations.spans(doc) == []


def test_unknown_labels_and_error_types_are_refused(app, make_document):
    doc = make_document(TEXT)
    with pytest.raises(ValueError, match="unknown label"):
        app.annotations.create(document_id=doc, start=0, end=3, label="coach")
    with pytest.raises(ValueError, match="not allowed"):
        app.annotations.create(document_id=doc, start=0, end=3, label="error", error_type="typo")
    with pytest.raises(ValueError, match="not allowed"):
        app.annotations.create(
            document_id=doc, start=0, end=3, label="athlete", error_type="wrong_date"
        )


def test_update_returns_before_and_after_and_commits(app, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "Ingebrigsten")
    span = app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    before, after = app.annotations.update(span.id, label="error", correction="Ingebrigtsen")
    assert before.label == "athlete" and before.correction is None
    assert after.label == "error" and after.correction == "Ingebrigtsen"
    assert _stored(app, span.id).correction == "Ingebrigtsen"
    with pytest.raises(ValueError, match="cannot edit"):
        app.annotations.update(span.id, start=0)


def test_delete_then_restore_brings_back_the_same_span(app, make_document):
    doc = make_document(TEXT)
    start, end = _span(TEXT, "6 August 2024")
    span = app.annotations.create(
        document_id=doc, start=start, end=end, label="date", value="2024-08-06"
    )
    removed = app.annotations.delete(span.id)
    assert _stored(app, span.id) is None
    restored = app.annotations.restore(removed)
    assert restored == span
    with pytest.raises(SpanError, match="already exists"):
        app.annotations.restore(removed)


def test_operations_on_a_vanished_span_raise_not_found(app, make_document):
    doc = make_document(TEXT)
    span = app.annotations.create(document_id=doc, start=0, end=1, label="athlete")
    app.annotations.delete(span.id)
    with pytest.raises(NotFound):
        app.annotations.delete(span.id)
    with pytest.raises(NotFound):
        app.annotations.update(span.id, note="x")


def test_rejected_spans_are_hidden_from_the_view_but_kept(app, make_document):
    doc = make_document(TEXT)
    span = app.annotations.create(document_id=doc, start=0, end=1, label="athlete")
    app.annotations.update(span.id, status=SpanStatus.REJECTED)
    assert app.annotations.spans(doc) == []
    assert [s.id for s in app.annotations.spans(doc, include_rejected=True)] == [span.id]
    assert app.documents.info(doc).span_count == 0


def test_set_status_returns_the_previous_status(app, make_document):
    doc = make_document(TEXT)
    assert app.documents.set_status(doc, DocStatus.DONE) is DocStatus.NEW
    assert app.documents.info(doc).status is DocStatus.DONE


def test_spans_come_back_sorted_and_survive_a_reopen(app, make_document, db_path):
    from annotator.services.app import open_app

    doc = make_document(TEXT)
    for needle in ("Ingebrigsten", "Narve Gilje Nordås", "6 August 2024"):
        start, end = _span(TEXT, needle)
        app.annotations.create(document_id=doc, start=start, end=end, label="athlete")
    app.close()
    reopened = open_app(db_path)
    try:
        spans = reopened.annotations.spans(doc)
        assert [s.text for s in spans] == ["Narve Gilje Nordås", "Ingebrigsten", "6 August 2024"]
        assert all(TEXT[s.start : s.end] == s.text for s in spans)
    finally:
        reopened.close()


def test_document_filter_is_a_case_insensitive_substring(app, make_document):
    a = make_document("one", title="Kerr wins in Eugene")
    b = make_document("two", title="Hassan 100% ready")
    make_document("three", title="Nordås in Oslo")
    assert app.documents.ids(title_filter="kerr") == [a]
    assert app.documents.ids(title_filter="100%") == [b]
    assert app.documents.ids(title_filter="_") == []
    assert len(app.documents.ids()) == 3
    assert app.documents.ids(status=DocStatus.DONE) == []


def test_a_document_delete_cascades_to_its_spans(app, make_document):
    from annotator.store.models import DocumentRow

    doc = make_document(TEXT)
    app.annotations.create(document_id=doc, start=0, end=1, label="athlete")
    with app.db.sessions.begin() as session:
        session.delete(session.get(DocumentRow, doc))
    with app.db.sessions() as session:
        assert session.scalars(select(AnnotationRow)).all() == []


def test_the_schema_head_constant_matches_the_newest_migration():
    from annotator.store.database import SCHEMA_HEAD, head_revision

    assert head_revision() == SCHEMA_HEAD


def test_move_changes_the_edges_and_text_in_code_points_and_logs_an_edit(app, make_document):
    from annotator.core.errors import DatabaseError, StaleChange

    doc = make_document(TEXT)
    start, end = _span(TEXT, "𝒜thens")
    span = app.annotations.create(
        document_id=doc, start=start + 1, end=end, label="error", correction="Athens"
    )
    before, after = app.annotations.move(span.id, start, end, expected_version=span.version)
    assert (before.start, before.text) == (start + 1, "thens")
    assert (after.start, after.end, after.text) == (start, end, "𝒜thens")
    assert TEXT[after.start : after.end] == after.text
    assert (after.version, after.correction) == (span.version + 1, "Athens")
    row = _stored(app, span.id)
    assert (row.start, row.end, row.text) == (start, end, "𝒜thens")
    last = app.changes.entries(span_id=span.id)[-1]
    assert (last.action, last.actor) == ("edit", "tester")
    assert (last.before["start"], last.after["start"]) == (start + 1, start)
    # A move based on the version before is refused and changes nothing.
    with pytest.raises(StaleChange):
        app.annotations.move(span.id, start, end - 1, expected_version=span.version)
    assert (_stored(app, span.id).end, _stored(app, span.id).version) == (end, after.version)
    # Outside the text or empty: refused.
    with pytest.raises(SpanError):
        app.annotations.move(span.id, start, len(TEXT) + 1)
    with pytest.raises(SpanError):
        app.annotations.move(span.id, start, start)
    # Onto the range of another span of the same label in the same layer: refused.
    other = app.annotations.create(document_id=doc, start=start, end=end - 1, label="error")
    with pytest.raises(DatabaseError, match="already tagged"):
        app.annotations.move(other.id, start, end, expected_version=other.version)
    assert _stored(app, other.id).end == end - 1
    # The same range under another label is fine (labels may overlap).
    athlete = app.annotations.create(document_id=doc, start=0, end=1, label="athlete")
    moved = app.annotations.move(athlete.id, start, end)[1]
    assert moved.text == "𝒜thens"
