"""corpus_stats: document counts by status and span counts by label and status."""

from __future__ import annotations

from sqlalchemy import insert

from annotator.core.model import DocStatus
from annotator.services.stats import corpus_stats
from annotator.store.models import AnnotationRow


def test_an_empty_database_lists_every_status_with_zero(app):
    stats = corpus_stats(app.db)
    assert stats.documents_by_status == {"new": 0, "in_progress": 0, "done": 0}
    assert list(stats.documents_by_status) == ["new", "in_progress", "done"]
    assert stats.spans_by_label_status == {}
    assert (stats.documents, stats.spans) == (0, 0)


def test_counts_documents_by_status_and_spans_by_label_and_status(app, make_document):
    docs = [make_document(f"Kerr beat Laros in Tokyo, race {n}.", title=f"t{n}") for n in range(5)]
    app.documents.set_status(docs[0], DocStatus.DONE)
    app.documents.set_status(docs[1], DocStatus.DONE)
    app.documents.set_status(docs[2], DocStatus.IN_PROGRESS)
    rows = [
        ("athlete", "accepted"),
        ("athlete", "accepted"),
        ("athlete", "pending"),
        ("athlete", "rejected"),
        ("error", "accepted"),
        ("date", "pending"),
        ("date", "pending"),
    ]
    with app.db.engine.begin() as conn:
        conn.execute(
            insert(AnnotationRow),
            [
                {"document_id": docs[n % 2], "start": 0, "end": 4, "label": label,
                 "text": "Kerr", "status": status, "layer": f"layer{n}",
                 "origin": "manual" if status == "accepted" else "suggested"}
                for n, (label, status) in enumerate(rows)
            ],
        )  # fmt: skip
    stats = corpus_stats(app.db)
    assert stats.documents_by_status == {"new": 2, "in_progress": 1, "done": 2}
    assert stats.spans_by_label_status == {
        ("athlete", "accepted"): 2,
        ("athlete", "pending"): 1,
        ("athlete", "rejected"): 1,
        ("date", "pending"): 2,
        ("error", "accepted"): 1,
    }
    assert (stats.documents, stats.spans) == (5, 7)
