"""The real main window, driven from the keyboard as a fact-checker would, checked in SQLite."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox
from window_helpers import (
    answer_next_message_box,
    press,
    select_text,
    settle,
    show_window,
    span_texts,
    stored_spans,
)

from annotator.core.model import DocStatus, SpanStatus
from annotator.services.app import open_app

pytestmark = pytest.mark.gui
# QMessageBox and QDialog fix their size when shown, which the offscreen plugin reports as a
# warning; nothing a user could see.
offscreen_dialog = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
PARIS = "Cole Hocker took gold in Paris. Kerr secured silver while Ingebrigtsen was fourth."
TOKYO = "Narve Gilje Nordås ran 3:26.73 in Tokyo."
EMOJI = (
    "🏃‍♀️🏳️‍🌈 Faith Kipyegon 👩🏽‍🦱 and Gudaf Tsegay: 𝒜thens réunion, Nordås and Jakob Ingebrigsten."
)


@pytest.fixture
def docs(make_document):
    return [
        make_document(KERR, title="A Kerr on rivalry"),
        make_document(PARIS, title="B Paris final"),
        make_document(TOKYO, title="C Tokyo heats"),
    ]


@pytest.fixture
def window(qtbot, app, docs):
    win = show_window(qtbot, app)
    assert win.current_document_id() == docs[0]
    yield win
    win.close()


def test_label_key_on_a_partial_word_tags_the_whole_word(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten", part="ngebrig")
    press(qtbot, window.view, "1")
    rows = stored_spans(app, docs[0])
    assert [(r.label, r.text) for r in rows] == [("athlete", "Ingebrigsten")]
    row = rows[0]
    assert KERR[row.start : row.end] == "Ingebrigsten"
    # The new span is shown and selected everywhere, and the user can keep going in the view.
    assert window.view.current_span_id() == row.id
    assert window.table.current_span_id() == row.id
    assert window.inspector.current_span_id() == row.id
    assert window.view.hasFocus()
    assert window.saved_label.text().startswith("All changes saved")


def test_alt_label_key_keeps_the_exact_selection(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten", part="ngebrig")
    press(qtbot, window.view, "4", Qt.KeyboardModifier.AltModifier)
    assert span_texts(app, docs[0]) == [("error", "ngebrig")]


def test_error_key_then_typed_correction_and_enter_is_stored(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "4")
    press(qtbot, window.error_types.list, "o")  # the error type is the next key
    correction = window.inspector.correction_edit
    qtbot.waitUntil(correction.hasFocus)
    qtbot.keyClicks(correction, "Ingebrigtsen")
    press(qtbot, correction, Qt.Key.Key_Return)
    (row,) = stored_spans(app, docs[0])
    assert (row.label, row.text, row.correction) == ("error", "Ingebrigsten", "Ingebrigtsen")
    qtbot.waitUntil(window.view.hasFocus)
    assert window.table.model().span_by_id(row.id).correction == "Ingebrigtsen"

    # The error type and the note: a combo choice and Ctrl+Enter each save at once.
    combo = window.inspector.error_type_combo
    combo.activated.emit(combo.findData("misspelled_name"))
    note = window.inspector.note_edit
    note.setFocus()
    qtbot.keyClicks(note, "World Athletics profile")
    press(qtbot, note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    (row,) = stored_spans(app, docs[0])
    assert (row.error_type, row.note) == ("misspelled_name", "World Athletics profile")


def test_label_key_without_selection_relabels_the_current_span(qtbot, app, window, docs):
    select_text(window, "Tokyo")
    press(qtbot, window.view, "1")
    assert window.view.selected_range() is None  # the new span is current, nothing selected
    press(qtbot, window.view, "2")
    assert span_texts(app, docs[0]) == [("event", "Tokyo")]
    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert span_texts(app, docs[0]) == [("athlete", "Tokyo")]


def test_undo_and_redo_shortcuts(qtbot, app, window, docs):
    select_text(window, "Josh Kerr")
    press(qtbot, window.view, "1")
    select_text(window, "World Championships")
    press(qtbot, window.view, "2")
    assert span_texts(app, docs[0]) == [("athlete", "Josh Kerr"), ("event", "World Championships")]
    ctrl = Qt.KeyboardModifier.ControlModifier
    press(qtbot, window.view, Qt.Key.Key_Z, ctrl)
    assert span_texts(app, docs[0]) == [("athlete", "Josh Kerr")]
    assert window.table.model().rowCount() == 1
    press(qtbot, window.view, Qt.Key.Key_Z, ctrl)
    assert span_texts(app, docs[0]) == []
    press(qtbot, window.view, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert span_texts(app, docs[0]) == [("athlete", "Josh Kerr")]
    press(qtbot, window.view, Qt.Key.Key_Y, ctrl)
    assert span_texts(app, docs[0]) == [("athlete", "Josh Kerr"), ("event", "World Championships")]
    assert [s.text for s in window.view.spans()] == ["Josh Kerr", "World Championships"]


def test_delete_in_the_annotation_table_removes_the_selected_span(qtbot, app, window, docs):
    select_text(window, "Josh Kerr")
    press(qtbot, window.view, "1")
    select_text(window, "Tokyo")
    press(qtbot, window.view, "2")
    kerr = next(r for r in stored_spans(app) if r.text == "Josh Kerr")
    window.table.select_span(kerr.id)
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus)
    press(qtbot, window.table, Qt.Key.Key_Delete)
    assert span_texts(app, docs[0]) == [("event", "Tokyo")]
    assert [s.text for s in window.table.spans()] == ["Tokyo"]
    assert [s.text for s in window.view.spans()] == ["Tokyo"]
    # Del in the article view deletes the current span there.
    window.select_span(window.table.spans()[0].id)
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Delete)
    assert span_texts(app, docs[0]) == []


def test_keys_pressed_faster_than_the_panels_update_act_on_the_new_span(qtbot, app, window, docs):
    # The table and inspector follow a new span one event-loop turn after the view; keys that
    # arrive before that turn (a fast typist, a key-repeat burst) must still see the new span.
    select_text(window, "Josh Kerr")
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert window.panels.pending
    assert window.current_span() is not None
    assert window.current_span().text == "Josh Kerr"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert span_texts(app, docs[0]) == []
    settle(qtbot, window)
    assert window.table.spans() == []
    assert window.inspector.current_span_id() is None


def test_document_keys_switch_documents(qtbot, window, docs):
    press(qtbot, window.view, "d")
    assert window.current_document_id() == docs[1]
    assert window.view.stored_text() == PARIS
    assert window.documents_panel.current_document_id() == docs[1]
    press(qtbot, window.view, Qt.Key.Key_PageDown)
    assert window.current_document_id() == docs[2]
    press(qtbot, window.view, Qt.Key.Key_PageDown)  # past the end: stays
    assert window.current_document_id() == docs[2]
    press(qtbot, window.view, "s")
    assert window.current_document_id() == docs[1]
    press(qtbot, window.view, Qt.Key.Key_PageUp)
    assert window.current_document_id() == docs[0]


def test_undo_after_switching_returns_to_the_first_document(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "1")
    press(qtbot, window.view, "d")
    assert window.current_document_id() == docs[1]
    press(qtbot, window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current_document_id() == docs[0]
    assert window.view.stored_text() == KERR
    assert stored_spans(app) == []
    assert window.view.spans() == [] and window.table.spans() == []
    # Redo from the other document shows the span again, selected.
    press(qtbot, window.view, "d")
    press(qtbot, window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.current_document_id() == docs[0]
    (row,) = stored_spans(app)
    assert window.view.current_span_id() == row.id


def test_next_and_previous_span_keys(qtbot, window):
    for needle, key in (("Josh Kerr", "1"), ("Jakob", "1"), ("Tokyo", "2")):
        select_text(window, needle)
        press(qtbot, window.view, key)
    first = window.table.spans()[0].id
    window.select_span(first)
    press(qtbot, window.view, "j")  # J next, K previous, as in vi and most readers
    assert window.table.model().span_by_id(window.view.current_span_id()).text == "Jakob"
    press(qtbot, window.view, "]")
    assert window.inspector.span().text == "Tokyo"
    press(qtbot, window.view, "k")
    press(qtbot, window.view, "[")
    assert window.view.current_span_id() == first


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_ctrl_m_cycles_the_document_status(qtbot, app, window, docs):
    ctrl = Qt.KeyboardModifier.ControlModifier
    statuses = []
    for step in range(3):
        if step == 2:
            # Done -> New asks first (test_window_keys covers saying no).
            answer_next_message_box(QMessageBox.StandardButton.Yes)
        press(qtbot, window.view, Qt.Key.Key_M, ctrl)
        statuses.append(app.documents.info(docs[0]).status)
    assert statuses == [DocStatus.IN_PROGRESS, DocStatus.DONE, DocStatus.NEW]
    model = window.documents_panel.model()
    assert model.data(model.index(0, 1)) == "New"
    window.activateWindow()  # the offscreen platform does not hand activation back itself
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, window.view, Qt.Key.Key_Z, ctrl)
    assert app.documents.info(docs[0]).status == DocStatus.DONE
    assert model.data(model.index(0, 1)) == "Done"


def test_label_keys_do_nothing_while_typing_in_the_filter_box(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten")  # a selection waits in the view…
    press(qtbot, window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    field = window.documents_panel.findChild(QLineEdit, "documentFilter")
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "Kerr")
    field.selectAll()
    press(qtbot, field, "1")  # …but the key types into the filter
    press(qtbot, field, "d")  # and "next document" is a letter here too
    assert field.text() == "1d"
    assert stored_spans(app) == []
    assert window.current_document_id() == docs[0]


def test_label_keys_type_into_the_correction_and_note_fields(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "4")
    press(qtbot, window.error_types.list, "m")
    correction = window.inspector.correction_edit
    qtbot.waitUntil(correction.hasFocus)
    qtbot.keyClicks(correction, "2 4d")
    assert correction.text() == "2 4d"
    assert span_texts(app) == [("error", "Ingebrigsten")]
    assert window.current_document_id() == docs[0]


def test_offsets_hold_after_emoji_zwj_and_accents(qtbot, app, make_document, window):
    doc = make_document(EMOJI, title="D emoji")
    window.open_document(doc)
    window.view.setFocus()
    select_text(window, "Ingebrigsten", part="gebri")
    press(qtbot, window.view, "1")
    select_text(window, "Nordås")
    press(qtbot, window.view, "4")
    window.view.setFocus()
    select_text(window, "Faith Kipyegon")
    press(qtbot, window.view, "1", Qt.KeyboardModifier.AltModifier)
    text = app.documents.get(doc).text
    rows = stored_spans(app, doc)
    assert [(r.label, r.text) for r in rows] == [
        ("athlete", "Faith Kipyegon"),
        ("error", "Nordås"),
        ("athlete", "Ingebrigsten"),
    ]
    for row in rows:
        assert text[row.start : row.end] == row.text
    shown = {s.id: s for s in window.view.spans()}
    assert all((shown[r.id].start, shown[r.id].end) == (r.start, r.end) for r in rows)


def test_pending_spans_show_as_suggestions_and_can_be_accepted(qtbot, app, window, docs):
    start = KERR.index("Tokyo")
    span = app.annotations.create(document_id=docs[0], start=start, end=start + 5, label="event")
    app.annotations.update(span.id, status=SpanStatus.PENDING)
    window.open_document(docs[0])
    model = window.table.model()
    label_cell = model.index(0, 0)
    assert model.data(label_cell) == "Event (suggested)"
    assert model.data(label_cell, Qt.ItemDataRole.FontRole).italic()
    window.table.spanChosen.emit(span.id)
    assert window.inspector.accept_button.isVisibleTo(window.inspector)
    qtbot.mouseClick(window.inspector.accept_button, Qt.MouseButton.LeftButton)
    assert app.annotations.get(span.id).status == SpanStatus.ACCEPTED
    settle(qtbot, window)
    assert model.data(label_cell) == "Event"


def test_a_refused_change_shows_in_the_status_bar(qtbot, app, window, docs):
    select_text(window, "Tokyo")
    press(qtbot, window.view, "2")
    (row,) = stored_spans(app)
    app.annotations.delete(row.id)  # another window deleted it meanwhile
    press(qtbot, window.view, "1")  # relabel the (vanished) current span
    assert window.saved_label.text().startswith("Not saved:")
    assert "the span was deleted by tester" in window.statusBar().currentMessage()


def test_everything_is_there_after_closing_and_reopening(qtbot, app, db_path, window, docs):
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "4")
    qtbot.keyClicks(window.inspector.correction_edit, "Ingebrigtsen")
    # No Enter: closing the window must still save what was typed.
    press(qtbot, window.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    window.resize(760, 540)  # the offscreen screen is 800x600; restoring clamps to it
    window.close()
    settings = QSettings()
    assert settings.value("lastDatabase") == str(db_path)
    assert settings.value("window/geometry") is not None

    reopened_app = open_app(db_path, annotator="tester")
    try:
        again = show_window(qtbot, reopened_app)
        assert again.current_document_id() == docs[0]
        assert (again.width(), again.height()) == (760, 540)
        (span,) = again.table.spans()
        assert (span.label, span.text, span.correction) == ("error", "Ingebrigsten", "Ingebrigtsen")
        assert [s.id for s in again.view.spans()] == [span.id]
        assert reopened_app.documents.info(docs[0]).status == DocStatus.DONE
        again.close()
    finally:
        reopened_app.close()


@offscreen_dialog
def test_opening_a_file_that_is_not_a_database_keeps_the_current_one(qtbot, app, tmp_path, window):
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"this is not SQLite at all" * 100)
    assert not window.files.open_database(bogus)
    box = window.last_message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert str(bogus) in box.text()
    box.close()
    assert window.app is app
    assert window.database_label.text() == app.db.description


def test_opening_another_database_switches_the_window(qtbot, app, tmp_path, window):
    other = tmp_path / "other.sqlite3"
    assert window.files.open_database(other)
    assert window.app is not app
    assert window.database_label.text() == str(other)
    assert window.current_document_id() is None
    assert window.documents_panel.model().rowCount() == 0
    assert not window.undo_stack.canUndo()
    assert QSettings().value("lastDatabase") == str(other)


@offscreen_dialog
def test_help_shortcuts_lists_the_keys(qtbot, window):
    window.actions["shortcuts"].trigger()
    dialog = next(
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "shortcutsDialog" and w.isVisible()
    )
    text = dialog.findChild(QLabel).text()
    for expected in ("Athlete", "Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+M", "PgDown", "Alt+key"):
        assert expected in text
    dialog.close()


def test_palette_buttons_tag_the_selection_and_leave_the_focus_in_the_view(
    qtbot, app, window, docs
):
    select_text(window, "World Championships", part="Champ")
    button = window.label_palette.button("event")
    assert button.text() == "2  Event"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert span_texts(app, docs[0]) == [("event", "Championships")]
    assert window.view.hasFocus()


def test_relabelling_to_error_takes_the_user_to_the_correction(qtbot, app, window, docs):
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "1")
    press(qtbot, window.view, "4")  # nothing selected now: relabels the new span
    assert span_texts(app, docs[0]) == [("error", "Ingebrigsten")]
    press(qtbot, window.error_types.list, "m")
    qtbot.waitUntil(window.inspector.correction_edit.hasFocus)
    # Relabelling back drops what only errors have (and undo would bring it back).
    qtbot.keyClicks(window.inspector.correction_edit, "Ingebrigtsen")
    press(qtbot, window.inspector.correction_edit, Qt.Key.Key_Return)
    combo = window.inspector.label_combo
    combo.activated.emit(combo.findData("athlete"))
    (row,) = stored_spans(app, docs[0])
    assert (row.label, row.correction) == ("athlete", None)
    window.undo_stack.undo()
    (row,) = stored_spans(app, docs[0])
    assert (row.label, row.correction) == ("error", "Ingebrigtsen")


def test_delete_in_the_document_list_never_deletes_a_span(qtbot, app, window, docs):
    select_text(window, "Tokyo")
    press(qtbot, window.view, "2")
    table = window.documents_panel.view()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    press(qtbot, table, Qt.Key.Key_Delete)
    assert span_texts(app, docs[0]) == [("event", "Tokyo")]


def test_a_label_key_that_is_also_a_window_shortcut_labels_in_the_view(
    qtbot, db_path, make_document
):
    from annotator.core.tagset import parse_tagset

    tagset = parse_tagset(
        {
            "label": [
                {"key": "athlete", "name": "Athlete", "color": "#4e79a7", "shortcut": "d"},
                {"key": "event", "name": "Event", "color": "#59a14f", "shortcut": "e"},
            ]
        }
    )
    first = make_document(KERR, title="A")
    second = make_document(PARIS, title="B")
    custom = open_app(db_path, tagset=tagset, annotator="tester")
    try:
        window = show_window(qtbot, custom)
        select_text(window, "Josh Kerr")
        press(qtbot, window.view, "d")  # in the view: the label, not "next document"
        assert span_texts(custom, first) == [("athlete", "Josh Kerr")]
        assert window.current_document_id() == first
        window.documents_panel.view().setFocus()
        qtbot.waitUntil(window.documents_panel.view().hasFocus)
        press(qtbot, window.documents_panel.view(), "d")  # elsewhere: next document
        assert window.current_document_id() == second
        window.close()
    finally:
        custom.close()


def test_the_same_label_on_the_same_words_selects_the_span_but_nested_spans_are_added(
    qtbot, app, window, docs
):
    select_text(window, "Jakob Ingebrigsten")
    press(qtbot, window.view, "1")
    select_text(window, "Jakob Ingebrigsten")
    press(qtbot, window.view, "1")
    assert span_texts(app, docs[0]) == [("athlete", "Jakob Ingebrigsten")]
    assert "already tagged" in window.statusBar().currentMessage()
    # A span ending where the outer one ends but starting later is a different span.
    select_text(window, "Ingebrigsten")
    press(qtbot, window.view, "1")
    assert sorted(span_texts(app, docs[0])) == [
        ("athlete", "Ingebrigsten"),
        ("athlete", "Jakob Ingebrigsten"),
    ]
