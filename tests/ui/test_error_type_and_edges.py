"""Working fast (issue 10): the error type as the key after 4, and a span's edges moved
from the keyboard or by dragging an end, each one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from window_helpers import press, select_text, settle, show_window, stored_spans

pytestmark = pytest.mark.gui

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
EMOJI = "Faith Kipyegon🏃‍♀️ won in 𝒜thens, ahead of Gudaf Tsegay."

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def docs(make_document):
    return [make_document(KERR, title="A Kerr"), make_document(EMOJI, title="B emoji")]


@pytest.fixture
def window(qtbot, app, docs):
    win = show_window(qtbot, app)
    yield win
    win.close()


def _chooser(qtbot, window):
    chooser = window.error_types
    qtbot.waitUntil(chooser.isVisible)
    qtbot.waitUntil(chooser.list.hasFocus)
    return chooser


def test_4_then_m_sets_the_type_and_the_correction_enter_returns_to_the_article(
    qtbot, app, window, docs
):
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "4")
    chooser = _chooser(qtbot, window)
    assert chooser.keys() == {
        "m": "misspelled_name",
        "s": "misspelling",
        "d": "wrong_date",
        "n": "wrong_number",
        "f": "wrong_fact",
        "o": "other",
    }
    (row,) = stored_spans(app, docs[0])
    assert (row.label, row.error_type) == ("error", None)
    qtbot.keyClick(QApplication.focusWidget(), "m")
    correction = window.inspector.correction_edit
    qtbot.waitUntil(correction.hasFocus)
    assert not chooser.isVisible()
    (row,) = stored_spans(app, docs[0])
    assert (row.text, row.error_type) == ("Ingebrigsten", "misspelled_name")
    assert window.inspector.error_type_combo.currentData() == "misspelled_name"
    qtbot.keyClicks(correction, "Ingebrigtsen")
    press(qtbot, correction, Qt.Key.Key_Return)
    qtbot.waitUntil(window.view.hasFocus)
    (row,) = stored_spans(app, docs[0])
    assert (row.error_type, row.correction) == ("misspelled_name", "Ingebrigtsen")

    # Undo takes back the correction, then the type, then the span: one step each.
    window.undo_stack.undo()
    assert stored_spans(app, docs[0])[0].correction is None
    window.undo_stack.undo()
    assert stored_spans(app, docs[0])[0].error_type is None
    window.undo_stack.undo()
    assert stored_spans(app, docs[0]) == []


def test_esc_in_the_chooser_leaves_no_type_and_returns_to_the_article(qtbot, app, window, docs):
    select_text(window, "Tokyo")
    press(qtbot, window.view, "4")
    chooser = _chooser(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)
    assert not chooser.isVisible()
    (row,) = stored_spans(app, docs[0])
    assert (row.label, row.error_type) == ("error", None)
    assert window.undo_stack.count() == 1
    # Enter on the highlighted row chooses too (keyboard users who prefer arrows).
    select_text(window, "Kerr")
    press(qtbot, window.view, "4")
    chooser = _chooser(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(window.inspector.correction_edit.hasFocus)
    kerr = next(r for r in stored_spans(app, docs[0]) if r.text == "Kerr")
    assert kerr.error_type == "misspelling"


def test_d_in_the_chooser_is_wrong_date_not_the_next_document(qtbot, app, window, docs):
    select_text(window, "September 13th")
    press(qtbot, window.view, "4")
    qtbot.keyClick(_chooser(qtbot, window).list, "d")
    qtbot.waitUntil(window.inspector.correction_edit.hasFocus)
    assert window.current_document_id() == docs[0]
    (row,) = stored_spans(app, docs[0])
    assert (row.text, row.error_type) == ("September 13th", "wrong_date")


def _open_emoji(qtbot, window, docs):
    window.open_document(docs[1])
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)


def test_shift_arrows_move_the_end_by_one_code_point_across_an_emoji(qtbot, app, window, docs):
    _open_emoji(qtbot, window, docs)
    select_text(window, "Faith Kipyegon")
    press(qtbot, window.view, "1")
    (row,) = stored_spans(app, docs[1])
    start, end = row.start, row.end
    press(qtbot, window.view, Qt.Key.Key_Right, SHIFT)  # takes the runner (a surrogate pair)
    (row,) = stored_spans(app, docs[1])
    assert (row.start, row.end) == (start, end + 1)
    assert EMOJI[row.start : row.end] == row.text == "Faith Kipyegon🏃"
    shown = window.view.shown_span(row.id)
    assert (shown.start, shown.end, shown.text) == (row.start, row.end, row.text)
    assert window.view.selected_range() is None  # keys moved the span, selected nothing
    press(qtbot, window.view, Qt.Key.Key_Right, SHIFT)
    press(qtbot, window.view, Qt.Key.Key_Left, SHIFT)
    press(qtbot, window.view, Qt.Key.Key_Left, SHIFT)
    press(qtbot, window.view, Qt.Key.Key_Left, SHIFT)
    (row,) = stored_spans(app, docs[1])
    assert row.text == "Faith Kipyego"
    # Consecutive moves of one span are one undo step.
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    (row,) = stored_spans(app, docs[1])
    assert (row.start, row.end, row.text) == (start, end, "Faith Kipyegon")
    assert window.view.shown_span(row.id).text == "Faith Kipyegon"
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(app, docs[1]) == []


def test_alt_shift_arrows_move_the_start_and_ctrl_z_restores(qtbot, app, window, docs):
    _open_emoji(qtbot, window, docs)
    select_text(window, "𝒜thens", part="thens")
    press(qtbot, window.view, "4", Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(_chooser(qtbot, window), Qt.Key.Key_Escape)
    qtbot.waitUntil(window.view.hasFocus)
    (row,) = stored_spans(app, docs[1])
    assert row.text == "thens"
    press(qtbot, window.view, Qt.Key.Key_Left, ALT_SHIFT)
    (row,) = stored_spans(app, docs[1])
    assert row.text == "𝒜thens" == EMOJI[row.start : row.end]
    press(qtbot, window.view, Qt.Key.Key_Right, ALT_SHIFT)
    press(qtbot, window.view, Qt.Key.Key_Right, ALT_SHIFT)
    (row,) = stored_spans(app, docs[1])
    assert row.text == "hens"
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    (row,) = stored_spans(app, docs[1])
    assert row.text == "thens"
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    (row,) = stored_spans(app, docs[1])
    assert row.text == "hens"


def test_shift_arrows_never_empty_a_span_and_select_text_away_from_spans(qtbot, app, window, docs):
    select_text(window, "Kerr")
    press(qtbot, window.view, "1")
    for _ in range(4):
        press(qtbot, window.view, Qt.Key.Key_Left, SHIFT)
    (row,) = stored_spans(app, docs[0])
    assert row.text == "K"
    assert "cannot become empty" in window.statusBar().currentMessage()
    # The caret away from any span: Shift+Right selects, as in any text.
    cursor = window.view.textCursor()
    cursor.setPosition(0)
    window.view.setTextCursor(cursor)
    press(qtbot, window.view, Qt.Key.Key_Right, SHIFT)
    assert window.view.selected_range() == (0, 1)
    assert stored_spans(app, docs[0])[0].text == "K"


def _edge_point(view, cp: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offset_map().to_utf16(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.x(), rect.center().y())


def test_dragging_an_end_of_the_current_span_moves_it(qtbot, app, window, docs):
    select_text(window, "Josh Kerr", part="Josh")
    press(qtbot, window.view, "1")
    (row,) = stored_spans(app, docs[0])
    view, viewport = window.view, window.view.viewport()
    target = KERR.index("Kerr") + len("Kerr")
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(viewport, left, pos=_edge_point(view, row.end))
    qtbot.mouseMove(viewport, _edge_point(view, target - 2))
    qtbot.mouseMove(viewport, _edge_point(view, target))
    assert view.selected_range() == (row.start, target)  # the preview
    qtbot.mouseRelease(viewport, left, pos=_edge_point(view, target))
    settle(qtbot, window)
    (row,) = stored_spans(app, docs[0])
    assert row.text == "Josh Kerr"
    assert view.selected_range() is None
    press(qtbot, view, Qt.Key.Key_Z, CTRL)
    assert stored_spans(app, docs[0])[0].text == "Josh"
