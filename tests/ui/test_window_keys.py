"""Keys that must do what a user expects: Enter in the document filter opens the only match,
Esc clears it; Ctrl+M moves a document's status forward and asks before reopening a done one.
Real windows on a real SQLite file, real key presses."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from window_helpers import answer_next_message_box, show_window

from annotator.core.model import DocStatus

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def window(qtbot, app, make_document):
    for title in (
        "Kipyegon wins the 1500 m",
        "Ingebrigtsen wins the 5000 m",
        "Kerr beats Ingebrigtsen",
    ):
        make_document(f"{title}. The race report.", title=title)
    win = show_window(qtbot, app)
    yield win
    win.close()


def _filter(window) -> QLineEdit:
    return window.documents_panel.findChild(QLineEdit, "documentFilter")


def test_enter_in_the_filter_opens_the_only_match_and_esc_clears_it(qtbot, window):
    box = _filter(window)
    first = window.current_document_id()
    window.focus_document_filter()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "ingebrigtsen")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    # Two match: Enter filters, opens nothing.
    assert window.documents_panel.model().rowCount() == 2
    assert window.current_document_id() == first
    qtbot.keyClicks(box, " wins")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.documents_panel.model().rowCount() == 1
    qtbot.waitUntil(
        lambda: (
            window.document is not None and window.document.title == "Ingebrigtsen wins the 5000 m"
        )
    )
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == "" and box.hasFocus()
    assert window.documents_panel.model().rowCount() == 3


def test_ctrl_m_moves_forward_and_asks_before_reopening_a_done_document(qtbot, app, window):
    doc = window.current_document_id()
    view = window.view
    for expected in (DocStatus.IN_PROGRESS, DocStatus.DONE):
        qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
        assert app.documents.info(doc).status is expected
    seen: list[str] = []
    answer_next_message_box(QMessageBox.StandardButton.No, seen)
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert seen and "is done. Mark it New again?" in seen[0]
    assert app.documents.info(doc).status is DocStatus.DONE
    window.activateWindow()  # the offscreen platform does not hand activation back itself
    qtbot.waitUntil(window.isActiveWindow)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    answer_next_message_box(QMessageBox.StandardButton.Yes, seen)
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 2
    assert app.documents.info(doc).status is DocStatus.NEW


def test_toolbar_and_menu_tooltips_name_the_keys(window):
    by_name = window.actions.by_name
    assert by_name["next_document"].toolTip().startswith("Next document (D, PgDown)")
    accept = by_name["accept_suggestion"]
    assert accept.toolTip().startswith("Accept suggestion (A)")
    # The toolbar's button says the same.
    from PySide6.QtGui import QAction

    (button,) = window.findChildren(QAction, "toolbar_accept_suggestion")
    assert button.toolTip() == accept.toolTip()
