"""How often users accept a rule, shown beside the rule in the inspector and the annotation
table's tooltip of the real window, refreshed after the desk decides. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import show_window, stored_spans

from annotator.core.model import SpanStatus
from annotator.services.suggesting import suggest_documents
from annotator.ui.models.annotation_table_model import RULE

pytestmark = [pytest.mark.gui]

TEXT = "Josh Kerr beat Cole Hocker in the 1500m final. Kerr then thanked Hocker."


def test_the_rules_acceptance_rate_is_shown_beside_it(qtbot, app, make_document):
    docs = [make_document(f"{TEXT} Day {i}.", title=f"d{i}") for i in range(5)]
    suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False, jobs=1)
    exact = [r for d in docs for r in stored_spans(app, d) if r.rule == "kb-exact"]
    assert len(exact) == 10  # two full names in each of five documents
    app.annotations.set_statuses([r.id for r in exact[:6]], SpanStatus.ACCEPTED)
    app.annotations.set_statuses([r.id for r in exact[6:8]], SpanStatus.REJECTED)

    window = show_window(qtbot, app)
    try:
        window.open_document(docs[4])
        pending = next(
            r for r in stored_spans(app, docs[4]) if r.rule == "kb-exact" and r.status == "pending"
        )
        window.select_span(pending.id)
        shown = window.inspector.origin_label.text()
        assert f"Suggested by kb-exact · {pending.confidence:.2f} · accepted 75% of 8" in shown
        model = window.table.model()
        tip = model.index(model.row_of(pending.id), RULE).data(Qt.ItemDataRole.ToolTipRole)
        assert "kb-exact: users accepted 75% of 8 of its suggestions" in tip

        # A rule nobody has decided on yet shows no rate.
        other = next(
            r
            for r in stored_spans(app, docs[4])
            if r.origin == "suggested" and r.rule != "kb-exact"
        )
        window.select_span(other.id)
        assert "accepted" not in window.inspector.origin_label.text().split("\n")[-1]

        # More decisions are read when another document is opened.
        app.annotations.set_statuses([r.id for r in exact[8:]], SpanStatus.REJECTED)
        window.open_document(docs[0])
        window.select_span(exact[0].id)
        assert "accepted 60% of 10" in window.inspector.origin_label.text()
    finally:
        window.close()
