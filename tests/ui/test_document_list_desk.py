"""The document list and the Team menu on a desk: alice's queue first and marked, a "My queue"
filter, the curator's "2 of 3 done" column, assigning from the window (dialog and right-click
menu), refusals for annotators, and blind mode hiding a colleague's layer.

alice works in the window; bob and carol are other clients on the same database.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMessageBox
from window_helpers import show_window

from annotator.core.model import DocStatus
from annotator.services.app import open_app
from annotator.services.desk import LayerMode, Role
from annotator.ui.dialogs.team import AssignDialog, PeopleDialog
from annotator.ui.models.document_list_model import DESK, STATUS, TITLE
from annotator.ui.widgets.document_list import DocumentListPanel
from annotator.ui.window.team_menu import REFUSED_TITLE

pytestmark = [
    pytest.mark.gui,
    # Dialogs and message boxes fix their size when shown, which the offscreen plugin
    # reports as a warning; nothing a user could see.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TEXT = "Josh Kerr beat Jakob Ingebrigsten in Tokyo on 18 September 2025."


@pytest.fixture
def carol(db_url, alice):
    opened = open_app(db_url, annotator="carol")
    yield opened
    opened.close()


@pytest.fixture
def docs(add_article):
    return [add_article(f"Heat {n}: {TEXT}", title=f"Heat {n}") for n in range(4)]


def make_panel(qtbot, app) -> DocumentListPanel:
    panel = DocumentListPanel(app.documents)
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.layout().activate()
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def cell(panel: DocumentListPanel, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    model = panel.model()
    return model.data(model.index(row, column), role)


@pytest.fixture
def window(qtbot, alice, docs):
    win = show_window(qtbot, alice)
    yield win
    win.close()


# -- the list ------------------------------------------------------------------------------------


def test_the_queue_comes_first_and_is_marked(qtbot, alice, bob, carol, docs):
    carol.desk.set_role("carol", Role.CURATOR)
    carol.desk.set_assigned(docs[2], "alice", True)
    carol.desk.set_assigned(docs[3], "alice", True)
    carol.desk.set_assigned(docs[0], "bob", True)  # bob's, not alice's
    panel = make_panel(qtbot, alice)
    assert panel.model().ids == [docs[2], docs[3], docs[0], docs[1]]
    for row in (0, 1):
        assert cell(panel, row, TITLE, Qt.ItemDataRole.FontRole).bold()
        assert not cell(panel, row, TITLE, Qt.ItemDataRole.DecorationRole).isNull()
        assert cell(panel, row, TITLE, Qt.ItemDataRole.AccessibleTextRole).endswith(
            "(in your queue)"
        )
        assert "In your queue" in cell(panel, row, TITLE, Qt.ItemDataRole.ToolTipRole)
    for row in (2, 3):
        for role in (
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            assert cell(panel, row, TITLE, role) is None
    assert cell(panel, 0, TITLE) == "Heat 2"  # the title itself carries no mark
    # Rows are found where they are, in either run of the list.
    assert [panel.model().row_of(d) for d in docs] == [2, 3, 0, 1]

    # Done by her: out of the queue, back in id order after a reload.
    alice.desk.set_status(docs[2], DocStatus.DONE)
    panel.reload()
    assert panel.model().ids == [docs[3], docs[0], docs[1], docs[2]]
    assert cell(panel, 3, STATUS) == "Done"


def test_my_queue_filter(qtbot, alice, carol, docs):
    carol.desk.assign(["alice", "bob"], 1)  # alice gets 1 and 3 (ids ascending, turns)
    queue = sorted(d for d, names in carol.desk.assignments().items() if "alice" in names)
    assert len(queue) == 2
    panel = make_panel(qtbot, alice)
    combo = panel.findChild(QComboBox, "statusFilter")
    with qtbot.waitSignal(panel.model().modelReset, timeout=1000):
        combo.setCurrentIndex(combo.findText("My queue"))
    assert panel.model().ids == queue
    assert panel.findChild(QLabel, "documentCount").text() == "2 of 4 documents"
    alice.desk.set_status(queue[0], DocStatus.DONE)
    panel.reload()
    assert panel.model().ids == queue[1:]
    with qtbot.waitSignal(panel.model().modelReset, timeout=1000):
        combo.setCurrentIndex(combo.findText("All"))
    assert len(panel.model().ids) == 4


def test_a_curator_sees_how_many_are_done_an_annotator_does_not(qtbot, alice, bob, carol, docs):
    carol.desk.set_role("carol", Role.CURATOR)
    carol.desk.assign(["alice", "bob", "carol"], 3, [docs[0]])
    alice.desk.set_status(docs[0], DocStatus.DONE)
    bob.desk.set_status(docs[0], DocStatus.DONE)

    mine = make_panel(qtbot, carol)
    assert not mine.view().isColumnHidden(DESK)
    assert mine.model().headerData(DESK, Qt.Orientation.Horizontal) == "Done"
    row = mine.model().row_of(docs[0])
    assert cell(mine, row, DESK) == "2 of 3"
    assert cell(mine, row, DESK, Qt.ItemDataRole.AccessibleTextRole) == "2 of 3 done"
    assert cell(mine, row, DESK, Qt.ItemDataRole.ToolTipRole) == (
        "2 of the 3 people on this document are done"
    )
    assert cell(mine, row, STATUS) == "New"  # her own status, not the desk's
    assert cell(mine, mine.model().row_of(docs[1]), DESK) == ""  # nobody on it

    theirs = make_panel(qtbot, alice)
    assert theirs.view().isColumnHidden(DESK)
    assert cell(theirs, theirs.model().row_of(docs[0]), STATUS) == "Done"
    # Made a curator, alice sees the column at the next reload (live refresh does one).
    carol.desk.set_role("alice", Role.CURATOR)
    theirs.reload()
    assert not theirs.view().isColumnHidden(DESK)


# -- the Team menu ---------------------------------------------------------------------------


def team_menu_texts(window) -> list[str]:
    bar = window.menuBar()
    team = next(a.menu() for a in bar.actions() if a.text() == "&Team")
    return [a.text() for a in team.actions() if not a.isSeparator()]


def test_the_assign_dialog_driven_from_the_keyboard(qtbot, alice, bob, carol, docs):
    carol.desk.set_role("carol", Role.CURATOR)
    window = show_window(qtbot, carol)
    assert team_menu_texts(window) == [
        "&Assign documents…",
        "&Blind mode",
        "&People and roles…",
        "&Curate…",
    ]
    window.actions["assign_documents"].trigger()
    dialog = window.team.dialog
    assert isinstance(dialog, AssignDialog)
    qtbot.waitExposed(dialog)
    people = dialog.people
    assert [people.item(r).text() for r in range(people.count())] == [
        "alice",
        "bob",
        "carol (curator)",
    ]
    assert dialog.checked_names() == ["alice", "bob"]  # annotators, to start with

    # Space ticks carol and unticks bob; a typed name and Enter adds dave, ticked.
    people.setFocus()
    qtbot.waitUntil(people.hasFocus)
    qtbot.keyClick(people, Qt.Key.Key_Down)  # bob
    qtbot.keyClick(people, Qt.Key.Key_Space)
    qtbot.keyClick(people, Qt.Key.Key_Down)  # carol
    qtbot.keyClick(people, Qt.Key.Key_Space)
    dialog.new_names.setFocus()
    qtbot.keyClicks(dialog.new_names, "dave")
    qtbot.keyClick(dialog.new_names, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter added the name; it did not assign yet
    assert dialog.checked_names() == ["alice", "carol", "dave"]
    dialog.per_document.setFocus()
    dialog.per_document.selectAll()
    qtbot.keyClicks(dialog.per_document, "4")
    qtbot.keyClick(dialog.per_document, Qt.Key.Key_Return)
    # Four people per document from three ticked: the dialog says so and stays open.
    assert dialog.isVisible() and "needs at least 4" in dialog.error.text()
    assert carol.desk.assignments() == {}
    dialog.per_document.selectAll()
    qtbot.keyClicks(dialog.per_document, "2")
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        qtbot.keyClick(dialog.per_document, Qt.Key.Key_Return)

    # Documents in id order, each to the least loaded of alice, carol and dave.
    assert carol.desk.assignments() == {
        docs[0]: {"alice", "carol"},
        docs[1]: {"dave", "alice"},
        docs[2]: {"carol", "dave"},
        docs[3]: {"alice", "carol"},
    }
    box = window.team.last_message
    assert isinstance(box, QMessageBox)
    assert box.text() == "4 documents assigned: alice 3, carol 3, dave 2"
    assert window.statusBar().currentMessage() == box.text()
    # carol's own queue now comes first in her list: docs 0, 2 and 3.
    assert window.documents_panel.model().ids[:3] == [docs[0], docs[2], docs[3]]
    window.close()


def test_assigning_only_the_selected_documents(qtbot, alice, bob, carol, docs):
    carol.desk.set_role("carol", Role.CURATOR)
    window = show_window(qtbot, carol)
    panel = window.documents_panel
    view = panel.view()
    window.open_document(docs[1])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.selected_document_ids() == [docs[1], docs[2]]
    assert window.current_document_id() == docs[1]  # extending did not switch the article
    window.actions["assign_documents"].trigger()
    dialog = window.team.dialog
    assert dialog.selected_documents.isChecked()
    assert dialog.selected_documents.text() == "The 2 &selected documents"
    dialog.per_document.setValue(1)
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        qtbot.keyClick(dialog.per_document, Qt.Key.Key_Return)
    assert carol.desk.assignments() == {docs[1]: {"alice"}, docs[2]: {"bob"}}
    assert panel.selected_document_ids() == [docs[1], docs[2]]  # kept over the reload
    window.close()


# A popup menu raises itself and grabs the keyboard, which the offscreen plugin cannot do.
@pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard"
)
def test_the_rows_menu_assigns_each_selected_document(qtbot, alice, bob, carol, docs):
    carol.desk.set_role("carol", Role.CURATOR)
    carol.desk.set_assigned(docs[0], "bob", True)
    window = show_window(qtbot, carol)
    panel = window.documents_panel
    view = panel.view()
    panel.select_document(docs[0])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    selected = panel.selected_document_ids()
    assert selected == [docs[0], docs[1]]
    rect = view.visualRect(panel.model().index(panel.model().row_of(docs[1]), TITLE))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, rect.center(), view.viewport().mapToGlobal(rect.center())
    )
    QApplication.sendEvent(view.viewport(), event)
    menu = window.team.rows_menu_widget
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assign_to = next(a.menu() for a in menu.actions() if a.text() == "Assign &to")
    entries = {a.text(): a for a in assign_to.actions()}
    assert list(entries) == ["alice", "bob", "carol"]
    assert not entries["bob"].isChecked()  # bob has only one of the two
    entries["bob"].trigger()
    menu.close()
    assert carol.desk.assignments() == {docs[0]: {"bob"}, docs[1]: {"bob"}}
    assert window.statusBar().currentMessage() == "Assigned 2 documents to bob"
    window.close()


@pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support propagateSizeHints",
)
def test_an_annotator_is_refused_clearly(qtbot, alice, carol, window, docs):
    carol.desk.set_role("carol", Role.CURATOR)
    window.actions["assign_documents"].trigger()
    assert window.team.dialog is None  # nothing to fill in for nothing
    box = window.last_message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == REFUSED_TITLE
    assert box.text().startswith("Only a curator may assign documents (alice is an annotator).")
    assert "Curators on this desk: carol." in box.text()
    assert window.statusBar().currentMessage().startswith("Only a curator may assign")
    box.close()

    # The service's own refusal (a check mark that cannot stick) reads the same way.
    blind = window.actions["blind_mode"]
    assert blind.isEnabled() and not blind.isChecked()
    blind.trigger()
    assert not blind.isChecked() and alice.desk.mode() is LayerMode.SHARED
    assert window.last_message_box.windowTitle() == REFUSED_TITLE
    assert "only a curator may change the layer mode" in window.last_message_box.text().lower()
    window.last_message_box.close()

    window.actions["people_roles"].trigger()
    assert window.team.dialog is None
    assert window.last_message_box.text().startswith("Only a curator may change roles")
    window.last_message_box.close()

    # The rows' menu has no "Assign to" for an annotator.
    view = window.documents_panel.view()
    rect = view.visualRect(window.documents_panel.model().index(0, TITLE))
    QApplication.sendEvent(
        view.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse,
            rect.center(),
            view.viewport().mapToGlobal(rect.center()),
        ),
    )
    menu = window.team.rows_menu_widget
    assert menu is not None
    assert [a.text() for a in menu.actions()] == [
        "Mark as",
        "Suggest in this document",
        "Export this document…",
    ]
    menu.close()


@pytest.mark.qt_log_ignore(
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
    "This plugin does not support propagateSizeHints",
)
def test_the_rows_menu_marks_the_chosen_documents_and_exports_just_them(qtbot, alice, window, docs):
    panel = window.documents_panel
    view = panel.view()
    panel.select_document(docs[0])
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    chosen = panel.selected_document_ids()
    assert len(chosen) == 2
    rect = view.visualRect(panel.model().index(panel.model().row_of(chosen[1]), TITLE))

    def open_menu():
        QApplication.sendEvent(
            view.viewport(),
            QContextMenuEvent(
                QContextMenuEvent.Reason.Mouse,
                rect.center(),
                view.viewport().mapToGlobal(rect.center()),
            ),
        )
        return window.team.rows_menu_widget

    menu = open_menu()
    mark = next(a.menu() for a in menu.actions() if a.text() == "Mark as")
    next(a for a in mark.actions() if a.text() == "Done").trigger()
    menu.close()
    assert [alice.desk.status(doc) for doc in chosen] == [DocStatus.DONE, DocStatus.DONE]
    assert window.statusBar().currentMessage() == "Marked 2 documents as Done"
    window.undo_stack.undo()  # each document is its own undo step
    assert [alice.desk.status(doc) for doc in chosen] == [DocStatus.DONE, DocStatus.NEW]

    # Export these documents: the dialog offers just the chosen ones, ticked.
    offered = {}

    def read_and_cancel():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "exportDialog":
            QTimer.singleShot(20, read_and_cancel)
            return
        offered["documents"] = dialog.options().documents
        offered["text"] = dialog.document_check.text()
        dialog.reject()  # no file dialog

    QTimer.singleShot(0, read_and_cancel)
    panel.select_document(chosen[0])  # undo opened its document: choose both again
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.selected_document_ids() == chosen
    menu = open_menu()
    next(a for a in menu.actions() if a.text() == "Export these documents…").trigger()
    assert offered == {"documents": chosen, "text": "Only the 2 chosen documents"}


def test_people_and_roles(qtbot, alice, bob, window, docs):
    # Nobody is a curator yet, so alice may make bob and herself curators in one go: she
    # is promoted first, or bob's promotion would leave her without the right.
    window.actions["people_roles"].trigger()
    dialog = window.team.dialog
    assert isinstance(dialog, PeopleDialog)
    assert list(dialog.combos) == ["alice", "bob"]
    for name in ("alice", "bob"):
        combo = dialog.combos[name]
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)  # Annotator -> Curator
        assert combo.currentData() == "curator"
    with qtbot.waitSignal(dialog.finished, timeout=2000):
        dialog.accept()
    assert alice.desk.role("alice") is Role.CURATOR and alice.desk.role("bob") is Role.CURATOR
    assert not window.documents_panel.view().isColumnHidden(DESK)


def spans_shown(window) -> list[str]:
    return sorted(f"{s.layer}:{s.text}" for s in window.table.spans())


def test_blind_mode_hides_a_colleagues_layer(qtbot, alice, bob, carol, window, docs):
    doc = window.current_document_id()
    text = window.document.text
    start = text.index("Jakob Ingebrigsten")
    bob.annotations.create(document_id=doc, start=start, end=start + 18, label="athlete")
    start = text.index("Josh Kerr")
    alice.annotations.create(document_id=doc, start=start, end=start + 9, label="athlete")
    window.open_document(doc)
    assert spans_shown(window) == ["alice:Josh Kerr", "bob:Jakob Ingebrigsten"]

    blind = window.actions["blind_mode"]
    blind.trigger()
    assert blind.isChecked() and alice.desk.mode() is LayerMode.BLIND
    assert spans_shown(window) == ["alice:Josh Kerr"]
    assert window.current_document_id() == doc
    assert window.statusBar().currentMessage().startswith("Blind mode")
    blind.trigger()
    assert spans_shown(window) == ["alice:Josh Kerr", "bob:Jakob Ingebrigsten"]

    # Another client's change of mode reaches the window by itself (live refresh).
    carol.desk.set_mode(LayerMode.BLIND)
    qtbot.waitUntil(lambda: spans_shown(window) == ["alice:Josh Kerr"], timeout=3000)
    window.team.sync()  # what opening the Team menu does
    assert blind.isChecked()


def test_a_colleagues_assignment_reorders_the_list(qtbot, alice, carol, window, docs):
    assert window.documents_panel.model().ids == docs
    carol.desk.set_role("carol", Role.CURATOR)
    carol.desk.set_assigned(docs[3], "alice", True)
    model = window.documents_panel.model()
    qtbot.waitUntil(lambda: model.ids[0] == docs[3], timeout=3000)
    assert cell(window.documents_panel, 0, TITLE, Qt.ItemDataRole.FontRole).bold()
    assert window.current_document_id() == docs[0]  # the open article stays
    assert window.documents_panel.current_document_id() == docs[0]
