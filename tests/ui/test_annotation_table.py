"""The annotation table in the real window: sorting on every column, the filter row, the
status/position/confidence/rule columns filled from real suggestions, scrolling to the top for
a new document, selection kept in step with the article through the proxy, and the review
progress counters in the status bar. Checked in SQLite."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from window_helpers import show_window, stored_spans

from annotator.core.model import SpanStatus
from annotator.services.suggesting import suggest_documents
from annotator.ui.models.annotation_table_model import (
    BY,
    CONFIDENCE,
    CORRECTION,
    HEADERS,
    LABEL,
    NOTE,
    POSITION,
    RULE,
    STATUS,
    TEXT,
)

pytestmark = [pytest.mark.gui]

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th. "
    "Kerr said Cole Hocker and Yared Nuguse would be the men to beat in Tokyo."
)
PARIS = ("Cole Hocker took gold in Paris. Josh Kerr secured silver while Jakob Ingebrigtsen "
         "was fourth and Yared Nuguse took bronze.")  # fmt: skip
#: Long enough that its spans fill more than one screen of the table.
LONG = " ".join(f"Heat {n}: Josh Kerr beat Cole Hocker and Yared Nuguse." for n in range(40))


@pytest.fixture
def docs(app, make_document):
    ids = [
        make_document(KERR, title="A Kerr"),
        make_document(PARIS, title="B Paris"),
        make_document(LONG, title="C Heats"),
        make_document(LONG + " Again.", title="D Heats"),
    ]
    report = suggest_documents(app.db, app.kb, tagset=app.tagset, use_spacy=False)
    assert report.added > 0
    # A manual span with a correction and a note, so those columns have something to sort.
    start = KERR.index("Ingebrigsten")
    span = app.annotations.create(
        document_id=ids[0], start=start, end=start + 12, label="error", error_type="misspelled_name"
    )
    app.annotations.update(span.id, correction="Ingebrigtsen", note="KB spelling")
    return ids


@pytest.fixture
def window(qtbot, app, docs):
    win = show_window(qtbot, app)
    win.open_document(docs[0])
    yield win
    win.close()


def column(window, col: int) -> list[str]:
    proxy = window.table.proxy
    return [proxy.index(row, col).data() for row in range(proxy.rowCount())]


def sort_key(col: int, text: str) -> object:
    if col == POSITION:
        start, end = text.split("–")
        return (int(start), int(end))
    if col == CONFIDENCE:
        return float(text) if text else -1.0
    return text.casefold()


def test_new_columns_show_status_position_confidence_and_rule(qtbot, app, window, docs):
    assert window.table.proxy.columnCount() == len(HEADERS) == 9
    headers = [window.table.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(9)]
    assert headers == [
        "Label",
        "By",
        "Text",
        "Status",
        "Position",
        "Confidence",
        "Rule",
        "Correction",
        "Note",
    ]
    rows = {r.id: r for r in stored_spans(app, docs[0])}
    suggested = [r for r in rows.values() if r.origin == "suggested"]
    assert suggested and all(r.rule and r.confidence is not None for r in suggested)
    model = window.table.model()
    for span_id, row in rows.items():
        source_row = model.row_of(span_id)
        cell = lambda col, r=source_row: model.index(r, col).data()  # noqa: E731
        assert cell(POSITION) == f"{row.start}–{row.end}"
        assert cell(STATUS) == row.status.capitalize()
        assert cell(RULE) == (row.rule or "")
        assert cell(CONFIDENCE) == ("" if row.confidence is None else f"{row.confidence:.2f}")
    manual = next(r for r in rows.values() if r.origin == "manual")
    assert model.index(model.row_of(manual.id), CORRECTION).data() == "Ingebrigtsen"
    assert model.index(model.row_of(manual.id), NOTE).data() == "KB spelling"

    # The inspector names the rule and its confidence for a suggestion, nothing for a tag.
    pick = suggested[0]
    window.select_span(pick.id)
    shown = window.inspector.origin_label.text()
    assert f"Suggested by {pick.rule} · {pick.confidence:.2f}" in shown
    window.select_span(manual.id)
    assert "Suggested by" not in window.inspector.origin_label.text()


@pytest.mark.parametrize(
    "col", [LABEL, BY, TEXT, STATUS, POSITION, CONFIDENCE, RULE, CORRECTION, NOTE]
)
def test_every_column_sorts_both_ways(qtbot, window, col):
    table = window.table
    total = table.proxy.rowCount()
    assert total > 3
    table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    keys = [sort_key(col, text) for text in column(window, col)]
    assert keys == sorted(keys)
    table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    keys = [sort_key(col, text) for text in column(window, col)]
    assert keys == sorted(keys, reverse=True)
    assert table.proxy.rowCount() == total
    assert table.horizontalHeader().sortIndicatorSection() == col


def test_position_sorts_numerically_and_is_the_default(qtbot, window):
    starts = [int(text.split("–")[0]) for text in column(window, POSITION)]
    assert starts == sorted(starts)
    assert starts[0] < 100 <= starts[-1]  # "100" must not sort before "15"
    assert window.table.horizontalHeader().sortIndicatorSection() == POSITION


def test_a_header_click_sorts(qtbot, window):
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(CONFIDENCE) + header.sectionSize(CONFIDENCE) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    assert header.sortIndicatorSection() == CONFIDENCE
    keys = [sort_key(CONFIDENCE, t) for t in column(window, CONFIDENCE)]
    assert keys in (sorted(keys), sorted(keys, reverse=True))


def test_the_filter_row_filters_by_label_status_and_text(qtbot, app, window, docs):
    bar = window.annotations_dock.widget().filters
    table = window.table
    everything = table.proxy.rowCount()
    spans = window.table.spans()

    bar.label_combo.setCurrentIndex(bar.label_combo.findData("athlete"))
    athletes = [s.id for s in spans if s.label == "athlete"]
    assert athletes and sorted(table.visible_span_ids()) == sorted(athletes)
    assert bar.count_label.text() == f"{len(athletes)} of {everything}"

    bar.label_combo.setCurrentIndex(0)
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(SpanStatus.ACCEPTED))
    assert [table.span(i).status for i in table.visible_span_ids()] == [SpanStatus.ACCEPTED]

    bar.status_combo.setCurrentIndex(bar.status_combo.findData(SpanStatus.PENDING))
    pending = [s.id for s in spans if s.status == SpanStatus.PENDING]
    assert sorted(table.visible_span_ids()) == sorted(pending)

    # Text matches the span, its correction or its note, ignoring case, typed as a user does.
    bar.status_combo.setCurrentIndex(0)
    bar.text_edit.setFocus()
    qtbot.keyClicks(bar.text_edit, "KERR")
    kerr = [s.id for s in spans if "kerr" in s.text.lower()]
    assert kerr and sorted(table.visible_span_ids()) == sorted(kerr)
    bar.text_edit.clear()
    qtbot.keyClicks(bar.text_edit, "kb spell")
    assert [table.span(i).text for i in table.visible_span_ids()] == ["Ingebrigsten"]

    # Escape clears the text; Tab goes on from the filter row to the table.
    qtbot.keyClick(bar.text_edit, Qt.Key.Key_Escape)
    assert bar.text_edit.text() == "" and table.proxy.rowCount() == everything
    qtbot.keyClick(bar.text_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(table.hasFocus)


def test_the_filter_holds_while_spans_change(qtbot, app, window, docs):
    bar = window.annotations_dock.widget().filters
    bar.status_combo.setCurrentIndex(bar.status_combo.findData(SpanStatus.PENDING))
    pending = window.table.visible_span_ids()
    window.select_span(pending[0])
    qtbot.mouseClick(window.inspector.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pending[0] not in window.table.visible_span_ids())
    assert app.annotations.get(pending[0]).status == SpanStatus.ACCEPTED
    assert sorted(window.table.visible_span_ids()) == sorted(pending[1:])


def test_selection_follows_the_article_with_sorting_and_filtering_on(qtbot, window):
    table = window.table
    table.sortByColumn(TEXT, Qt.SortOrder.DescendingOrder)
    ids = table.visible_span_ids()
    last = ids[-1]
    window.select_span(last)
    assert table.current_span_id() == last
    selected = table.selectionModel().selectedRows()
    assert [i.row() for i in selected] == [len(ids) - 1]
    assert selected[0].siblingAtColumn(TEXT).data() == " ".join(table.span(last).text.split())

    # A click on a row makes its span current in the article view and the inspector.
    first = ids[0]
    rect = table.visualRect(table.proxy.index(0, TEXT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.view.current_span_id() == first
    assert window.inspector.current_span_id() == first
    assert table.current_span_id() == first

    # A current span the filter hides is not selected in the table (no neighbour either);
    # the article keeps it.
    bar = window.annotations_dock.widget().filters
    other_label = next(
        k
        for k in ("athlete", "event", "date", "error")
        if k != table.span(first).label and any(s.label == k for s in table.spans())
    )
    bar.label_combo.setCurrentIndex(bar.label_combo.findData(other_label))
    assert table.proxy.rowCount() > 0
    assert table.current_span_id() is None and table.selectionModel().selectedRows() == []
    assert window.view.current_span_id() == first
    bar.label_combo.setCurrentIndex(0)
    table.set_filter(text="no span has this text")
    window.select_span(first)
    assert table.current_span_id() is None and window.view.current_span_id() == first
    table.set_filter()
    window.select_span(first)
    assert table.current_span_id() == first


def test_a_new_document_opens_at_the_top_of_the_table(qtbot, window, docs):
    table = window.table
    window.open_document(docs[2])
    bar = table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    window.select_span(table.visible_span_ids()[-1])
    assert bar.value() > 0
    window.open_document(docs[3])
    assert bar.value() == 0
    assert table.rowAt(0) == 0


def test_pending_counters_follow_accepting(qtbot, app, window, docs):
    label = window.findChild(QLabel, "pendingLabel")
    here = window.table.pending_count()
    corpus = app.documents.pending_count()
    assert here > 0 and corpus > here
    qtbot.waitUntil(lambda: label.text() == f"Pending: {here} here · {corpus} in corpus")

    pending = next(s for s in window.table.spans() if s.status == SpanStatus.PENDING)
    window.select_span(pending.id)
    with qtbot.waitSignal(
        window.review.counted,
        timeout=5000,
        check_params_cb=lambda h, c: (h, c) == (here - 1, corpus - 1),
    ):
        qtbot.mouseClick(window.inspector.accept_button, Qt.MouseButton.LeftButton)
    assert label.text() == f"Pending: {here - 1} here · {corpus - 1} in corpus"

    # Another document's suggestions count in the corpus, not here.
    window.open_document(docs[1])
    paris = window.table.pending_count()
    qtbot.waitUntil(lambda: label.text() == f"Pending: {paris} here · {corpus - 1} in corpus")


def test_a_colleagues_accept_elsewhere_updates_the_corpus_count(qtbot, app, window, docs):
    """Changes from outside the window (live refresh) reach the corpus count too."""
    corpus = app.documents.pending_count()
    other = next(r for r in stored_spans(app, docs[1]) if r.status == "pending")
    with qtbot.waitSignal(
        window.review.counted, timeout=10_000, check_params_cb=lambda _h, c: c == corpus - 1
    ):
        app.annotations.update(other.id, status=SpanStatus.ACCEPTED)
