"""The document list: lazy paging, filters, and which selections count as the user's choice."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QLineEdit, QTableView

from annotator.core.model import DocStatus
from annotator.core.textload import LoadedArticle
from annotator.services.importing import import_articles
from annotator.ui.models import document_list_model
from annotator.ui.widgets.document_list import DocumentListModel, DocumentListPanel

pytestmark = pytest.mark.gui

DISPLAY = Qt.ItemDataRole.DisplayRole


def article(title: str, text: str | None = None, published: dt.date | None = None):
    text = text or f"{title}. The race report follows."
    return LoadedArticle(
        title=title,
        text=text,
        published=published,
        sha256=hashlib.sha256(f"{title}\0{text}".encode()).hexdigest(),
        source=f"/articles/{title.replace(' ', '_')}.txt",
        encoding="utf-8",
    )


def import_titles(app, titles: list[str]) -> list[int]:
    report = import_articles(app.db, [article(t) for t in titles])
    assert not report.errors and not report.duplicates
    return [doc_id for doc_id, _ in report.imported]


@pytest.fixture
def panel(app, qtbot):
    def build(*, show: bool = True) -> DocumentListPanel:
        widget = DocumentListPanel(app.documents)
        qtbot.addWidget(widget)
        widget.resize(500, 400)
        # The offscreen plugin warns when a shown top-level window's size constraints change;
        # settling the layout before show() sets them once, before the window exists.
        widget.layout().activate()
        if show:
            widget.show()
            qtbot.waitExposed(widget)
        return widget

    return build


def cell(model: DocumentListModel, row: int, column: int, role=DISPLAY):
    return model.data(model.index(row, column), role)


def test_rows_show_title_status_and_span_count(app, qtbot):
    text = "Faith Kipyegon won the 1500 m in Paris on 7 June."
    report = import_articles(
        app.db, [article("Kipyegon wins in Paris", text, published=dt.date(2024, 6, 8))]
    )
    doc_id = report.imported[0][0]
    app.annotations.create(document_id=doc_id, start=0, end=13, label="athlete")
    app.annotations.create(document_id=doc_id, start=22, end=28, label="event")
    app.documents.set_status(doc_id, DocStatus.IN_PROGRESS)

    model = DocumentListModel(app.documents)
    assert model.rowCount() == 1 and model.columnCount() == 4
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Title",
        "Status",
        "Spans",
        "Done",  # a curator's "2 of 3" (done); the panel hides it from annotators
    ]
    assert cell(model, 0, 0) == "Kipyegon wins in Paris"
    assert cell(model, 0, 1) == "In progress"
    assert cell(model, 0, 2) == 2
    alignment = Qt.AlignmentFlag(cell(model, 0, 2, Qt.ItemDataRole.TextAlignmentRole))
    assert alignment & Qt.AlignmentFlag.AlignRight
    tooltip = cell(model, 0, 0, Qt.ItemDataRole.ToolTipRole)
    assert "/articles/Kipyegon_wins_in_Paris.txt" in tooltip
    assert "2024-06-08" in tooltip
    assert model.id_at(0) == doc_id and model.row_of(doc_id) == 0
    assert model.id_at(1) is None and model.row_of(doc_id + 1) is None


def test_model_fetches_only_the_pages_asked_for(app, qtbot):
    ids = import_titles(app, [f"Diamond League meeting {n}" for n in range(1000)])
    model = DocumentListModel(app.documents)
    assert model.rowCount() == 1000 and model.ids == ids
    assert model.cached_pages == 0

    assert cell(model, 0, 0) == "Diamond League meeting 0"
    assert model.cached_pages == 1
    assert cell(model, 5, 1) == "New"  # same page: no new fetch
    assert model.cached_pages == 1
    assert cell(model, 999, 0) == "Diamond League meeting 999"
    assert model.cached_pages == 2


def test_page_cache_is_bounded(app, qtbot, monkeypatch):
    monkeypatch.setattr(document_list_model, "PAGE_SIZE", 10)
    import_titles(app, [f"Relay heat {n}" for n in range(1000)])
    model = DocumentListModel(app.documents)
    for row in range(model.rowCount()):
        assert cell(model, row, 0) == f"Relay heat {row}"
    assert model.cached_pages == document_list_model.MAX_CACHED_PAGES
    assert cell(model, 0, 0) == "Relay heat 0"  # evicted long ago, fetched again


def test_shown_panel_fetches_only_the_visible_page(app, panel):
    import_titles(app, [f"Marathon split {n}" for n in range(1000)])
    widget = panel()
    widget.grab()
    assert widget.model().cached_pages == 1
    assert widget.findChild(QTableView, "documentList") is widget.view()


def test_widgets_are_named_for_tests_and_screen_readers(app, panel):
    import_titles(app, ["One", "Two"])
    widget = panel()
    filter_box = widget.findChild(QLineEdit, "documentFilter")
    assert filter_box.accessibleName() == "Filter documents"
    assert filter_box.placeholderText() == "Filter titles…"
    assert filter_box.isClearButtonEnabled()
    combo = widget.findChild(QComboBox, "statusFilter")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All",
        "My queue",
        "New",
        "In progress",
        "Done",
    ]
    view = widget.view()
    assert view.objectName() == "documentList" and view.accessibleName() == "Documents"
    assert not view.verticalHeader().isVisible() and not view.showGrid()
    assert not view.isSortingEnabled()
    count = widget.findChild(QLabel, "documentCount")
    assert count.text() == "2 documents"


def test_filter_box_narrows_the_list_after_the_debounce(app, panel, qtbot):
    ids = import_titles(
        app, ["Kipyegon wins 1500 m", "Ingebrigtsen wins 5000 m", "KIPYEGON record"]
    )
    widget = panel()
    filter_box = widget.findChild(QLineEdit, "documentFilter")
    with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
        qtbot.keyClicks(filter_box, "kipYegon")
    assert widget.model().ids == [ids[0], ids[2]]
    count = widget.findChild(QLabel, "documentCount")
    assert count.text() == "2 of 3 documents"

    with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
        filter_box.clear()
    assert widget.model().ids == ids
    assert count.text() == "3 documents"


def test_filter_treats_like_wildcards_literally(app, panel, qtbot):
    ids = import_titles(app, ["100% effort in the 400 m", "1000 m race"])
    widget = panel()
    filter_box = widget.findChild(QLineEdit, "documentFilter")
    with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
        qtbot.keyClicks(filter_box, "100%")
    assert widget.model().ids == [ids[0]]


def test_status_filter(app, panel, qtbot):
    ids = import_titles(app, ["Heat one", "Heat two", "Final"])
    app.documents.set_status(ids[1], DocStatus.DONE)
    app.documents.set_status(ids[2], DocStatus.DONE)
    widget = panel()
    combo = widget.findChild(QComboBox, "statusFilter")
    with qtbot.waitSignal(widget.model().modelReset, timeout=1000):
        combo.setCurrentIndex(combo.findText("Done"))
    assert widget.model().ids == [ids[1], ids[2]]

    filter_box = widget.findChild(QLineEdit, "documentFilter")
    with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
        qtbot.keyClicks(filter_box, "heat")
    assert widget.model().ids == [ids[1]]

    with qtbot.waitSignal(widget.model().modelReset, timeout=1000):
        combo.setCurrentIndex(combo.findText("New"))
    assert widget.model().ids == [ids[0]]


def test_select_document_is_silent(app, panel, qtbot):
    ids = import_titles(app, [f"Race {n}" for n in range(5)])
    widget = panel()
    with qtbot.assertNotEmitted(widget.documentActivated):
        assert widget.select_document(ids[3])
        assert widget.current_document_id() == ids[3]
        assert not widget.select_document(ids[-1] + 100)
    assert widget.current_document_id() is None


def test_select_document_scrolls_to_the_row(app, panel, qtbot):
    ids = import_titles(app, [f"Meeting {n}" for n in range(1000)])
    widget = panel()
    with qtbot.assertNotEmitted(widget.documentActivated):
        assert widget.select_document(ids[900])
    view = widget.view()
    rect = view.visualRect(widget.model().index(900, 0))
    assert view.viewport().rect().contains(rect.center())
    widget.grab()
    assert widget.model().cached_pages <= 3  # the first page and the one around row 900


def test_clicking_a_row_activates_it(app, panel, qtbot):
    ids = import_titles(app, [f"Race {n}" for n in range(5)])
    widget = panel()
    view = widget.view()
    rect = view.visualRect(widget.model().index(2, 0))
    with qtbot.waitSignal(widget.documentActivated, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [ids[2]]
    assert widget.current_document_id() == ids[2]


def test_keyboard_moves_and_enter_activate(app, panel, qtbot):
    ids = import_titles(app, [f"Race {n}" for n in range(5)])
    widget = panel()
    view = widget.view()
    widget.select_document(ids[1])
    view.setFocus()
    with qtbot.waitSignal(widget.documentActivated, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert blocker.args == [ids[2]]
    with qtbot.waitSignal(widget.documentActivated, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Up)
    assert blocker.args == [ids[1]]
    with qtbot.waitSignal(widget.documentActivated, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [ids[1]]


def test_down_from_the_filter_enters_the_list(app, panel, qtbot):
    ids = import_titles(app, [f"Race {n}" for n in range(3)])
    widget = panel()
    widget.focus_filter()
    filter_box = widget.findChild(QLineEdit, "documentFilter")
    with qtbot.waitSignal(widget.documentActivated, timeout=1000) as blocker:
        qtbot.keyClick(filter_box, Qt.Key.Key_Down)
    assert blocker.args == [ids[0]]


def test_neighbour_follows_the_list_and_stops_at_the_ends(app, panel, qtbot):
    ids = import_titles(app, ["Heat A", "Final", "Heat B", "Heat C"])
    widget = panel()
    assert widget.neighbour(ids[0], 1) == ids[1]
    assert widget.neighbour(ids[1], -1) == ids[0]
    assert widget.neighbour(ids[0], -1) is None
    assert widget.neighbour(ids[-1], 1) is None
    assert widget.neighbour(ids[0], 3) == ids[3]
    assert widget.neighbour(None, 1) == ids[0]
    assert widget.neighbour(None, -1) == ids[-1]

    filter_box = widget.findChild(QLineEdit, "documentFilter")
    with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
        qtbot.keyClicks(filter_box, "heat")
    assert widget.neighbour(ids[0], 1) == ids[2]  # the final is filtered out
    assert widget.neighbour(ids[3], 1) is None


def test_neighbour_of_an_empty_list(app, panel):
    widget = panel()
    assert widget.neighbour(None, 1) is None
    assert widget.neighbour(None, -1) is None


def test_refresh_document_shows_the_new_status_and_span_count(app, panel, qtbot):
    ids = import_titles(app, ["Sprint final", "Hurdles final"])
    widget = panel()
    model = widget.model()
    assert cell(model, 1, 1) == "New" and cell(model, 1, 2) == 0

    app.documents.set_status(ids[1], DocStatus.DONE)
    app.annotations.create(document_id=ids[1], start=0, end=7, label="event")
    assert cell(model, 1, 1) == "New"  # still the cached row: refreshing is explicit
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as blocker:
        widget.refresh_document(ids[1])
    top_left, bottom_right = blocker.args[:2]
    assert (top_left.row(), bottom_right.row()) == (1, 1)
    assert cell(model, 1, 1) == "Done" and cell(model, 1, 2) == 1
    assert cell(model, 0, 0) == "Sprint final"


def test_refresh_of_a_deleted_document_shows_an_empty_row(app, panel, qtbot):
    from sqlalchemy import delete

    from annotator.store.models import DocumentRow

    ids = import_titles(app, ["Sprint final", "Hurdles final"])
    widget = panel()
    widget.grab()
    with app.db.sessions.begin() as session:
        session.execute(delete(DocumentRow).where(DocumentRow.id == ids[0]))
    widget.refresh_document(ids[0])
    assert cell(widget.model(), 0, 0) is None
    widget.reload()
    assert widget.model().ids == [ids[1]]


def test_reload_keeps_the_selection(app, panel, qtbot):
    ids = import_titles(app, [f"Race {n}" for n in range(5)])
    widget = panel()
    widget.select_document(ids[3])
    new = import_titles(app, ["Late entry"])
    with qtbot.assertNotEmitted(widget.documentActivated):
        widget.reload()
    assert widget.model().ids == ids + new
    assert widget.current_document_id() == ids[3]
    count = widget.findChild(QLabel, "documentCount")
    assert count.text() == "6 documents"


def test_filtering_keeps_the_selection_while_it_matches(app, panel, qtbot):
    ids = import_titles(app, ["Heat A", "Final", "Heat B"])
    widget = panel()
    widget.select_document(ids[2])
    filter_box = widget.findChild(QLineEdit, "documentFilter")
    with qtbot.assertNotEmitted(widget.documentActivated):
        with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
            qtbot.keyClicks(filter_box, "heat")
    assert widget.current_document_id() == ids[2]
    with qtbot.waitSignal(widget.model().modelReset, timeout=2000):
        filter_box.setText("final")
    assert widget.current_document_id() is None


# -- progressive loading: one page of ids first, the rest after the first paint ----------------


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(document_list_model, "PAGE_SIZE", 10)
    return 10


def test_progressive_model_has_one_page_then_all_the_rows(app, qtbot, small_pages):
    ids = import_titles(app, [f"Heat {n}" for n in range(35)])
    model = DocumentListModel(app.documents, progressive=True)
    assert model.loading and model.rowCount() == small_pages
    assert [model.id_at(r) for r in range(small_pages)] == ids[:small_pages]
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.rowsInserted, timeout=2000) as blocker:
            model.request_rest()
    assert blocker.args[1:] == [small_pages, 34]
    assert not model.loading and model.rowCount() == 35
    assert model.ids == ids and cell(model, 34, 0) == "Heat 34"


def test_a_first_page_that_is_the_whole_list_inserts_nothing(app, qtbot, small_pages):
    ids = import_titles(app, [f"Heat {n}" for n in range(small_pages)])
    model = DocumentListModel(app.documents, progressive=True)
    assert model.loading  # a full page: only asking for more can tell
    with qtbot.assertNotEmitted(model.rowsInserted):
        with qtbot.waitSignal(model.idsLoaded, timeout=2000):
            model.request_rest()
    assert model.ids == ids and not model.loading


def test_loading_the_rest_keeps_the_selection_and_scroll_position(app, qtbot, monkeypatch):
    monkeypatch.setattr(document_list_model, "PAGE_SIZE", 40)
    ids = import_titles(app, [f"Relay {n}" for n in range(100)])
    model = DocumentListModel(app.documents, progressive=True)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    view.selectRow(30)
    view.scrollTo(model.index(30, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    scrolled = view.verticalScrollBar().value()
    assert scrolled > 0
    with qtbot.waitSignal(model.rowsInserted, timeout=2000):
        model.request_rest()
    assert model.rowCount() == 100
    assert [i.row() for i in view.selectionModel().selectedRows()] == [30]
    assert view.verticalScrollBar().value() == scrolled
    assert view.verticalScrollBar().maximum() > scrolled
    assert model.id_at(30) == ids[30]


def test_shown_panel_loads_the_rest_after_its_first_paint(app, panel, qtbot, small_pages):
    ids = import_titles(app, [f"Marathon {n}" for n in range(35)])
    widget = panel(show=False)
    model = widget.model()
    count = widget.findChild(QLabel, "documentCount")
    assert model.rowCount() == small_pages and count.text() == "Listing documents…"
    with qtbot.assertNotEmitted(widget.documentActivated):
        assert widget.select_document(ids[3])
    assert model.loading  # selecting a listed document needs nothing more
    with qtbot.waitSignal(model.rowsInserted, timeout=2000):
        widget.show()
    assert model.rowCount() == 35 and count.text() == "35 documents"
    assert widget.current_document_id() == ids[3]
    assert widget.neighbour(ids[small_pages - 1], 1) == ids[small_pages]
    assert widget.neighbour(ids[small_pages], -1) == ids[small_pages - 1]
    assert widget.neighbour(None, -1) == ids[-1]


def test_answers_about_rows_not_yet_fetched_fetch_them(app, panel, qtbot, small_pages):
    ids = import_titles(app, [f"Mile {n}" for n in range(35)])
    widget = panel(show=False)
    assert widget.neighbour(ids[small_pages - 1], 1) == ids[small_pages]
    assert not widget.model().loading

    widget.reload()
    assert widget.model().loading
    assert widget.neighbour(None, -1) == ids[-1]  # the last row, not the first page's last

    widget.reload()
    assert widget.select_document(ids[30])
    assert widget.current_document_id() == ids[30]
    count = widget.findChild(QLabel, "documentCount")
    assert count.text() == "35 documents"


def test_a_filter_applied_before_the_rest_arrives_gives_only_its_rows(
    app, panel, qtbot, qapp, small_pages
):
    titles = [f"Relay leg {n}" if n % 2 else f"Sprint heat {n}" for n in range(60)]
    ids = import_titles(app, titles)
    relay = [doc_id for doc_id, title in zip(ids, titles, strict=True) if "Relay" in title]
    widget = panel(show=False)
    model = widget.model()
    model.request_rest()  # what the first paint does: the unfiltered rest is now on its way
    filter_box = widget.findChild(QLineEdit, "documentFilter")
    qtbot.keyClicks(filter_box, "relay")
    inserted = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        qtbot.keyClick(filter_box, Qt.Key.Key_Return)  # applies the filter at once
    assert model.loading and model.rowCount() == small_pages
    qapp.processEvents()  # runs the load asked for before the filter: it must do nothing
    assert model.loading and model.rowCount() == small_pages and not inserted
    with qtbot.waitSignal(model.idsLoaded, timeout=2000):
        widget.show()  # its paint asks for the rest of the filtered ids
    qtbot.waitUntil(lambda: not model.loading)
    assert model.ids == relay and inserted == [(small_pages, len(relay) - 1)]
    assert widget.findChild(QLabel, "documentCount").text() == "30 of 60 documents"


def test_refresh_soon_batches_changes_into_one_later_refresh(app, panel, qtbot):
    ids = import_titles(app, ["Sprint final", "Hurdles final"])
    widget = panel()
    model = widget.model()
    assert cell(model, 0, 2) == 0
    app.annotations.create(document_id=ids[0], start=0, end=6, label="event")
    app.annotations.create(document_id=ids[1], start=0, end=7, label="event")
    widget.refresh_document_soon(ids[0])
    widget.refresh_document_soon(ids[1])
    assert cell(model, 0, 2) == 0  # nothing re-queried during the key press
    qtbot.waitUntil(lambda: cell(model, 0, 2) == 1 and cell(model, 1, 2) == 1, timeout=2000)
