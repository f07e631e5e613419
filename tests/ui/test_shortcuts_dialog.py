"""Help ▸ Customize keyboard shortcuts: a key recorded in the editor is applied at once, kept
for the next window, and refused (nothing saved) when an action or a key handled outside the
actions holds it. Real windows, real QSettings files, real key presses."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from window_helpers import show_window

from annotator.core.model import DocStatus
from annotator.ui.dialogs.shortcuts import ShortcutEditor
from annotator.ui.window.shortcuts import ShortcutSettings

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
TITLES = ("Kipyegon wins the 1500 m", "Ingebrigtsen wins the 5000 m", "Kerr beats Ingebrigtsen")


@pytest.fixture
def documents(make_document) -> list[int]:
    return [make_document(f"{title}. The race report.", title=title) for title in TITLES]


@pytest.fixture
def window(qtbot, app, documents):
    win = show_window(qtbot, app, QSettings())
    yield win
    win.close()


def _keys(window, name: str) -> list[str]:
    return [k.toString() for k in window.actions[name].shortcuts()]


def _open_editor(qtbot, window) -> ShortcutEditor:
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL_ALT)
    qtbot.waitUntil(lambda: window.findChild(ShortcutEditor) is not None)
    editor = window.findChild(ShortcutEditor)
    qtbot.waitExposed(editor)
    qtbot.waitUntil(editor.filter.hasFocus)
    return editor


def _record(qtbot, editor: ShortcutEditor, action_filter: str, key, modifier=None) -> None:
    """Find the action by typing in the filter, Enter (to the table), Enter (record), key."""
    editor.filter.clear()
    editor.filter.setFocus()
    qtbot.keyClicks(editor.filter, action_filter)
    qtbot.keyClick(editor.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(editor.table.hasFocus)
    qtbot.keyClick(editor.table, Qt.Key.Key_Return)
    qtbot.waitUntil(editor.key_edit.hasFocus)
    qtbot.keyClick(editor.key_edit, key, modifier or Qt.KeyboardModifier.NoModifier)


def _close(qtbot, window, editor: ShortcutEditor) -> None:
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(ShortcutEditor) is None)
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(window.view.hasFocus)


def test_a_new_key_works_at_once_and_in_the_next_window(qtbot, app, window, documents):
    editor = _open_editor(qtbot, window)
    _record(qtbot, editor, "next document", Qt.Key.Key_N, CTRL_ALT)
    assert editor.message.text() == "Next document: Ctrl+Alt+N"
    assert editor.table.item(editor.row_of("next_document"), 2).text() == "Ctrl+Alt+N"
    _close(qtbot, window, editor)

    action = window.actions["next_document"]
    assert _keys(window, "next_document") == ["Ctrl+Alt+N"]
    assert action.toolTip().startswith("Next document (Ctrl+Alt+N)")
    assert QSettings().value("shortcuts/next_document") == "Ctrl+Alt+N"
    assert window.current_document_id() == documents[0]
    qtbot.keyClick(window.view, Qt.Key.Key_D)
    assert window.current_document_id() == documents[0]
    qtbot.keyClick(window.view, Qt.Key.Key_N, CTRL_ALT)
    qtbot.waitUntil(lambda: window.current_document_id() == documents[1])
    window.close()

    again = show_window(qtbot, app, QSettings())
    try:
        assert _keys(again, "next_document") == ["Ctrl+Alt+N"]
        assert again.actions["next_document"].toolTip().startswith("Next document (Ctrl+Alt+N)")
        start = again.current_document_id()
        qtbot.keyClick(again.view, Qt.Key.Key_N, CTRL_ALT)
        qtbot.waitUntil(lambda: again.current_document_id() != start)
    finally:
        again.close()


@pytest.mark.parametrize(("key", "holder"), [
    (Qt.Key.Key_J, "“Document ▸ Next span”"),
    (Qt.Key.Key_1, "(from the tagset)"),
    (Qt.Key.Key_A, "“Accept suggestion (article view)”"),
    (Qt.Key.Key_Backspace, "“Reject suggestion (article view)”"),
])  # fmt: skip
def test_a_key_held_elsewhere_is_refused_and_nothing_is_saved(qtbot, window, key, holder):
    editor = _open_editor(qtbot, window)
    _record(qtbot, editor, "next document", key)
    assert "is already used by" in editor.message.text()
    assert holder in editor.message.text()
    assert "Nothing was changed" in editor.message.text()
    assert _keys(window, "next_document") == ["D", "PgDown"]
    assert not QSettings().contains("shortcuts/next_document")
    assert editor.table.item(editor.row_of("next_document"), 2).text() == "D, PgDown"
    # The refused key stays where it was.
    if key == Qt.Key.Key_J:
        assert _keys(window, "next_span") == ["J", "]"]
    _close(qtbot, window, editor)


def test_label_keys_and_review_keys_are_shown_as_fixed_rows(qtbot, app, window):
    editor = _open_editor(qtbot, window)
    fixed = {
        editor.table.item(row, 0).text(): editor.table.item(row, 2).text()
        for row in range(editor.table.rowCount())
        if editor.table.item(row, 1).text() == "fixed"
    }
    first = app.tagset.labels[0]
    assert fixed[f"Tag as {first.name} (from the tagset)"].startswith(
        f"{first.shortcut}, Alt+{first.shortcut}"
    )
    assert fixed["Accept suggestion (article view)"] == "A"
    # Enter on a fixed row explains instead of recording.
    qtbot.keyClicks(editor.filter, "from the tagset")
    qtbot.keyClick(editor.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(editor.table.hasFocus)
    assert editor.table.isRowHidden(editor.row_of("next_document"))
    qtbot.keyClick(editor.table, Qt.Key.Key_Return)
    assert "fixed" in editor.message.text()
    assert not editor.key_edit.isEnabled()
    # Esc in the key field over the key shown changes nothing ("D, PgDown" stays whole).
    editor.filter.clear()
    editor.table.setCurrentCell(editor.row_of("next_document"), 0)
    assert editor.key_edit.keySequence().toString() == "D"
    editor.key_edit.setFocus()
    qtbot.waitUntil(editor.key_edit.hasFocus)
    qtbot.keyClick(editor.key_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(editor.table.hasFocus)
    assert _keys(window, "next_document") == ["D", "PgDown"]
    _close(qtbot, window, editor)


def test_reset_to_default_and_reset_all(qtbot, window, documents):
    editor = _open_editor(qtbot, window)
    _record(qtbot, editor, "next document", Qt.Key.Key_N, CTRL_ALT)
    _record(qtbot, editor, "previous span", Qt.Key.Key_P, CTRL_ALT)
    assert _keys(window, "previous_span") == ["Ctrl+Alt+P"]
    # The row of the last change is current: Alt+R resets it.
    qtbot.keyClick(editor.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    # A button's key clicks it after a short visible press.
    qtbot.waitUntil(lambda: _keys(window, "previous_span") == ["K", "["])
    assert not QSettings().contains("shortcuts/previous_span")
    assert QSettings().value("shortcuts/next_document") == "Ctrl+Alt+N"
    qtbot.keyClick(editor.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _keys(window, "next_document") == ["D", "PgDown"])
    assert not QSettings().contains("shortcuts/next_document")
    assert editor.table.item(editor.row_of("next_document"), 2).text() == "D, PgDown"
    _close(qtbot, window, editor)
    assert window.actions["next_document"].toolTip().startswith("Next document (D, PgDown)")
    qtbot.keyClick(window.view, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: window.current_document_id() == documents[1])


def test_no_key_frees_a_key_for_another_action(qtbot, window):
    editor = _open_editor(qtbot, window)
    editor.filter.setFocus()
    qtbot.keyClicks(editor.filter, "next span")
    qtbot.keyClick(editor.filter, Qt.Key.Key_Return)
    qtbot.keyClick(editor.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: _keys(window, "next_span") == [])
    assert QSettings().value("shortcuts/next_span") in ("", None) and QSettings().contains(
        "shortcuts/next_span"
    )
    _record(qtbot, editor, "next document", Qt.Key.Key_J)
    assert _keys(window, "next_document") == ["J"]
    _close(qtbot, window, editor)


def test_a_saved_key_taken_by_a_default_is_ignored_and_a_swap_is_kept(
    qtbot, app, documents, caplog
):
    settings = QSettings()
    settings.setValue("shortcuts/next_document", "Ctrl+G")  # Suggest for this document's
    settings.setValue("shortcuts/previous_span", "J")  # swapped with next span…
    settings.setValue("shortcuts/next_span", "K")  # …which is fine: no key is bound twice
    settings.setValue("shortcuts/no_such_action", "Ctrl+Alt+Q")
    settings.setValue("shortcuts/zoom_reset", "Hyper+Banana")
    with caplog.at_level(logging.INFO, logger="annotator.ui.window.shortcuts"):
        window = show_window(qtbot, app, settings)
    try:
        assert _keys(window, "next_document") == ["D", "PgDown"]
        assert _keys(window, "suggest_document") == ["Ctrl+G"]
        assert _keys(window, "previous_span") == ["J"]
        assert _keys(window, "next_span") == ["K"]
        assert any(
            "next_document" in r.message and "Suggest for this document" in r.message
            for r in caplog.records
        )
        assert any("no_such_action" in r.message for r in caplog.records)
        assert _keys(window, "zoom_reset") == ["Ctrl+0"]
        assert any("Hyper+Banana" in r.message for r in caplog.records)
        shortcuts = window.findChild(ShortcutSettings)
        assert shortcuts.holder_of(QKeySequence("Ctrl+G"), besides="next_document")
    finally:
        window.close()


def test_a_label_key_from_the_tagset_is_refused_but_an_actions_own_default_stays(
    qtbot, tmp_path, db_url
):
    from annotator.core.tagset import default_tagset_path
    from annotator.services.app import open_app

    tagset = tmp_path / "tagset.toml"
    tagset.write_text(default_tagset_path().read_text().replace('shortcut = "3"', 'shortcut = "d"'))
    app = open_app(db_url, tagset=tagset, annotator="tester")
    window = show_window(qtbot, app, QSettings())
    try:
        editor = _open_editor(qtbot, window)
        _record(qtbot, editor, "previous span", Qt.Key.Key_D)
        assert "“Tag as Date (from the tagset)”" in editor.message.text()
        assert _keys(window, "previous_span") == ["K", "["]
        # Next document was built with D: moving it away and back is not refused.
        _record(qtbot, editor, "next document", Qt.Key.Key_N, CTRL_ALT)
        qtbot.keyClick(editor.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: _keys(window, "next_document") == ["D", "PgDown"])
        assert not QSettings().contains("shortcuts/next_document")
        _close(qtbot, window, editor)
    finally:
        window.close()
        app.close()


def test_undo_and_redo_are_listed_by_their_lasting_names(qtbot, window):
    window.next_document()
    window.editor.set_status(document_id=window.current_document_id(), status=DocStatus.DONE)
    assert window.actions["undo"].text().startswith("&Undo ")  # names the step
    editor = _open_editor(qtbot, window)
    assert editor.table.item(editor.row_of("undo"), 0).text() == "Undo"
    assert editor.table.item(editor.row_of("redo"), 0).text() == "Redo"
    _close(qtbot, window, editor)
