"""Suggestions in the real window: running them through the worker, reviewing pending spans
from the keyboard, accept-all, undo, and the knowledge-base dialogs. Checked in SQLite."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QToolBar
from window_helpers import press, select_text, settle, show_window, stored_spans

from annotator.core.kb import Athlete
from annotator.core.model import SpanStatus
from annotator.ui.dialogs.kb import ALIASES, AddToKBDialog

pytestmark = [
    pytest.mark.gui,
    # The progress dialog and the other dialogs fix their size when shown, which the
    # offscreen plugin reports as a warning.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 20_000
KERR = (
    "British runner Josh Kerr has made his feelings known on his rivalry with Jakob "
    "Ingebrigsten ahead of the World Championships in Tokyo, which starts on September 13th."
)
PARIS = ("Cole Hocker took gold in Paris. Josh Kerr secured silver while Jakob Ingebrigtsen "
         "was fourth and Yared Nuguse took bronze.")  # fmt: skip
NEWCOMER = "Zed Testrunner beat Josh Kerr over the mile in Oslo."
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def docs(make_document):
    return [make_document(KERR, title="A Kerr"), make_document(PARIS, title="B Paris")]


@pytest.fixture
def window(qtbot, app, docs):
    win = show_window(qtbot, app)
    yield win
    win.close()


def suggest(qtbot, window):
    with qtbot.waitSignal(window.suggestions.suggestFinished, timeout=TIMEOUT_MS) as finished:
        task = window.suggestions.suggest_current()
        assert task is not None and task.dialog.isVisible()
    assert window.files.task is None
    qtbot.waitUntil(window.view.hasFocus)
    return finished.args[0]


def status_of(app, span_id):
    return next(r.status for r in stored_spans(app) if r.id == span_id)


def pending_ids(window):
    return [s.id for s in window.table.spans() if s.status == SpanStatus.PENDING]


def current(window):
    return window.current_span()


def test_suggest_for_the_open_document_shows_pending_spans(qtbot, app, window, docs):
    report = suggest(qtbot, window)
    assert report is not None and report.documents == 1 and report.added > 0
    rows = stored_spans(app, docs[0])
    assert len(rows) == report.added and stored_spans(app, docs[1]) == []
    assert {(r.origin, r.status) for r in rows} == {("suggested", "pending")}
    # The table and the view show them, read back from the database.
    assert sorted(pending_ids(window)) == sorted(r.id for r in rows)
    assert {s.id for s in window.view.spans()} == {r.id for r in rows}
    label_column = window.table.model().index(0, 0).data()
    assert label_column.endswith("(suggested)")
    # The first pending span is current, ready for Enter; the list counts the new spans.
    assert current(window).id == pending_ids(window)[0]
    assert app.documents.info(docs[0]).span_count == report.added
    assert window.statusBar().currentMessage() == (
        f"Suggestions: {report.summary()} (Ctrl+Z takes them back)"
    )
    assert window.view.hasFocus()


def test_a_accepts_moves_on_and_ctrl_z_undoes(qtbot, app, window):
    suggest(qtbot, window)
    first, second = pending_ids(window)[:2]
    press(qtbot, window.view, Qt.Key.Key_A)
    assert status_of(app, first) == "accepted"
    assert current(window).id == second
    assert window.table.span(first).status == SpanStatus.ACCEPTED
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert status_of(app, first) == "pending"
    assert current(window).id == first
    assert window.undo_stack.redoText() == "Accept suggestion “Josh Kerr”"


def test_r_and_backspace_reject_and_the_span_leaves_the_view(qtbot, app, window):
    suggest(qtbot, window)
    first, second, third = pending_ids(window)[:3]
    press(qtbot, window.view, Qt.Key.Key_R)
    assert status_of(app, first) == "rejected"
    assert first not in {s.id for s in window.view.spans()}
    assert window.table.span(first) is None
    assert current(window).id == second
    press(qtbot, window.view, Qt.Key.Key_Backspace)
    assert status_of(app, second) == "rejected"
    assert current(window).id == third
    # Still in the database, and a new run does not bring them back.
    assert suggest(qtbot, window).added == 0
    assert status_of(app, first) == "rejected"
    assert first not in pending_ids(window)


def test_n_and_shift_n_walk_the_pending_spans(qtbot, app, window):
    suggest(qtbot, window)
    pending = pending_ids(window)
    assert current(window).id == pending[0]
    press(qtbot, window.view, Qt.Key.Key_N)
    assert current(window).id == pending[1]
    press(qtbot, window.view, Qt.Key.Key_N)
    assert current(window).id == pending[2]
    press(qtbot, window.view, Qt.Key.Key_N, SHIFT)
    assert current(window).id == pending[1]
    # Accepted spans are stepped over.
    press(qtbot, window.view, Qt.Key.Key_A)  # accepts pending[1], moves to pending[2]
    press(qtbot, window.view, Qt.Key.Key_N, SHIFT)
    assert current(window).id == pending[0]
    press(qtbot, window.view, Qt.Key.Key_N, SHIFT)
    assert "first pending" in window.statusBar().currentMessage()


def test_a_accepts_and_means_nothing_else_and_enter_never_accepts(qtbot, app, window, docs):
    window.open_document(docs[1])
    window.view.setFocus()
    suggest(qtbot, window)
    first = pending_ids(window)[0]
    # Enter (which confirms things elsewhere) is not an accept key.
    press(qtbot, window.view, Qt.Key.Key_Return)
    assert status_of(app, first) == "pending"
    press(qtbot, window.view, Qt.Key.Key_A)
    assert status_of(app, first) == "accepted"
    assert window.current_document_id() == docs[1]
    # In a text field A and R are letters.
    box = window.documents_panel.findChild(QLineEdit)
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "ar")
    assert box.text() == "ar" and window.current_document_id() == docs[1]
    box.clear()
    window.select_span(first)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    steps = window.undo_stack.count()
    press(qtbot, window.view, Qt.Key.Key_A)  # an accepted span: A says so and stays
    assert window.current_document_id() == docs[1]
    assert window.undo_stack.count() == steps
    assert window.statusBar().currentMessage() == "The current span is not a pending suggestion"


def test_the_previous_document_key_never_accepts_a_suggestion(qtbot, app, window, docs):
    # D then the previous-document key on the last document, a suggestion current: the trap
    # of issue 10 (A was both) must go back a document and leave the suggestion pending.
    press(qtbot, window.view, Qt.Key.Key_D)
    assert window.current_document_id() == docs[1]
    suggest(qtbot, window)
    first = pending_ids(window)[0]
    assert current(window).id == first
    press(qtbot, window.view, Qt.Key.Key_D)  # past the last: stays, the suggestion current
    assert window.current_document_id() == docs[1] and current(window).id == first
    press(qtbot, window.view, Qt.Key.Key_S)
    assert window.current_document_id() == docs[0]
    assert status_of(app, first) == "pending"
    window.open_document(docs[1])
    window.select_span(first)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(qtbot, window.view, Qt.Key.Key_PageUp)
    assert window.current_document_id() == docs[0]
    assert status_of(app, first) == "pending"
    assert {status_of(app, s) for s in pending_ids_of(app, docs[1])} == {"pending"}


def test_accept_has_exactly_one_key_and_it_means_nothing_else(window):
    keys_of = {name: {k.toString() for k in action.shortcuts()}
               for name, action in window.actions.by_name.items()}  # fmt: skip
    assert not any("A" in keys for keys in keys_of.values())  # no action claims plain A
    assert keys_of["previous_document"] == {"S", "PgUp"}
    assert window.actions["accept_suggestion"].text().split("\t")[1] == "A"
    from annotator.ui.window.review_keys import REVIEW_KEY_ROWS

    accept_rows = [keys for keys, what in REVIEW_KEY_ROWS if what.startswith("Accept")]
    assert accept_rows == ["A (pending span)"]


def pending_ids_of(app, document_id):
    return [r.id for r in stored_spans(app, document_id) if r.status == "pending"]


def answer(qtbot, window, *, accept: bool):
    """Answer the accept-all confirmation with the keyboard, as a user would; returns its
    question."""
    from PySide6.QtWidgets import QMessageBox

    box = window.suggestions.last_dialog
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    question = box.text()
    gone: list[bool] = []
    box.destroyed.connect(lambda: gone.append(True))
    if accept:
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default button: "Accept N"
    else:
        qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(gone))  # closed and deleted (WA_DeleteOnClose)
    # The offscreen platform activates no window once a dialog goes; a window manager would.
    window.activateWindow()
    # The keyboard is back in the article, for the next key (Ctrl+Z among them).
    qtbot.waitUntil(lambda: window.isActiveWindow() and window.view.hasFocus())
    settle(qtbot, window)
    return question


def test_accept_all_of_the_current_label_asks_with_the_count_and_is_one_undo_step(
    qtbot, app, window, docs
):
    suggest(qtbot, window)
    athlete = next(s for s in window.table.spans() if s.label == "athlete")
    window.select_span(athlete.id)
    steps = window.undo_stack.count()
    athletes = sum(s.label == "athlete" for s in window.table.spans())
    window.suggestions.update_action_texts(window.actions["accept_all_label"])
    assert window.actions["accept_all_label"].text() == (
        "Accept all Athlete suggestions in this document…"
    )
    # Saying no accepts nothing.
    press(qtbot, window.view, Qt.Key.Key_A, CTRL | SHIFT)
    noun = "suggestion" if athletes == 1 else "suggestions"
    assert answer(qtbot, window, accept=False) == f"Accept {athletes} pending Athlete {noun}?"
    assert {r.status for r in stored_spans(app, docs[0])} == {"pending"}
    assert window.undo_stack.count() == steps

    press(qtbot, window.view, Qt.Key.Key_A, CTRL | SHIFT)
    answer(qtbot, window, accept=True)
    rows = stored_spans(app, docs[0])
    assert {r.status for r in rows if r.label == "athlete"} == {"accepted"}
    assert {r.status for r in rows if r.label != "athlete"} == {"pending"}
    assert window.undo_stack.count() == steps + 1
    assert window.statusBar().currentMessage().startswith(f"Accepted {athletes} Athlete")
    assert all(s.status == SpanStatus.ACCEPTED for s in window.table.spans()
               if s.label == "athlete")  # fmt: skip
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert {r.status for r in stored_spans(app, docs[0])} == {"pending"}
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert {r.status for r in stored_spans(app, docs[0])
            if r.label == "athlete"} == {"accepted"}  # fmt: skip
    # Nothing left to accept: no question, no empty undo step.
    window.select_span(athlete.id)
    window.suggestions.last_dialog = None
    press(qtbot, window.view, Qt.Key.Key_A, CTRL | SHIFT)
    assert window.suggestions.last_dialog is None
    assert window.undo_stack.count() == steps + 1
    assert window.statusBar().currentMessage() == (
        "No pending Athlete suggestions in this document"
    )


def test_accept_all_of_a_label_with_no_span_selected_asks_which_label(qtbot, app, window, docs):
    from PySide6.QtWidgets import QComboBox, QInputDialog

    suggest(qtbot, window)
    window.open_document(docs[0])  # as opened: no span selected
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    assert window.current_span() is None
    labels = {s.label for s in window.table.spans()}
    assert len(labels) > 1, labels
    dates = sum(s.label == "date" for s in window.table.spans())
    press(qtbot, window.view, Qt.Key.Key_A, CTRL | SHIFT)
    question = window.suggestions.last_dialog
    assert isinstance(question, QInputDialog)
    qtbot.waitUntil(question.isVisible)
    combo = question.findChild(QComboBox)
    assert f"Date ({dates})" in [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(combo.findText(f"Date ({dates})"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    noun = "suggestion" if dates == 1 else "suggestions"
    assert answer(qtbot, window, accept=True) == f"Accept {dates} pending Date {noun}?"
    rows = stored_spans(app, docs[0])
    assert {r.status for r in rows if r.label == "date"} == {"accepted"}
    assert {r.status for r in rows if r.label != "date"} == {"pending"}


def test_accept_all_in_the_document_takes_every_label_in_one_undo_step(qtbot, app, window, docs):
    suggest(qtbot, window)
    total = len(pending_ids(window))
    assert len({s.label for s in window.table.spans()}) > 1
    steps = window.undo_stack.count()
    action = window.actions["accept_all"]
    assert action.text() == "Accept all suggestions in this document…"
    action.trigger()
    assert answer(qtbot, window, accept=True) == f"Accept {total} pending suggestions?"
    rows = stored_spans(app, docs[0])
    assert len(rows) == total and {r.status for r in rows} == {"accepted"}
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Accept all suggestions"
    assert window.statusBar().currentMessage().startswith(f"Accepted {total} suggestions")
    assert not pending_ids(window)
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert {r.status for r in stored_spans(app, docs[0])} == {"pending"}
    assert len(pending_ids(window)) == total
    # The other document's suggestions are never touched.
    assert stored_spans(app, docs[1]) == []


def test_add_to_the_knowledge_base_from_a_span(qtbot, app, window, make_document):
    doc = make_document(NEWCOMER, title="C Newcomer")
    window.reload_documents()
    window.open_document(doc)
    window.view.setFocus()
    assert app.kb.find("Zed Testrunner") is None
    select_text(window, "Zed Testrunner")
    press(qtbot, window.view, "1")
    press(qtbot, window.view, Qt.Key.Key_K, CTRL)
    dialog = window.findChild(AddToKBDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.name_edit.text() == "Zed Testrunner" and dialog.kind() == "athlete"
    dialog.aliases_edit.setText("Zeddy; Z. Testrunner")
    dialog.country_edit.setText("nor")
    dialog.discipline_combo.setCurrentIndex(dialog.discipline_combo.findData("middle_distance"))
    dialog.birth_year_edit.setText("2001")
    dialog.accept()
    assert not dialog.isVisible()
    added = app.kb.find("Zed Testrunner")
    assert isinstance(added, Athlete)
    assert (added.aliases, added.country, added.discipline, added.birth_year) == (
        ("Zeddy", "Z. Testrunner"),
        "NOR",
        "middle_distance",
        2001,
    )
    assert "Added athlete “Zed Testrunner”" in window.statusBar().currentMessage()

    # The same name again: the dialog stays open and says why.
    again = window.suggestions.kb.add_to_kb()
    again.accept()
    assert again.isVisible() and "already exists" in again.error()
    again.reject()
    # Ctrl+Z takes the athlete back out.
    window.view.setFocus()
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert app.kb.find("Zed Testrunner") is None


def test_an_error_span_offers_its_correction_as_the_name(qtbot, window):
    suggest(qtbot, window)
    error = next(s for s in window.table.spans() if s.label == "error")
    window.select_span(error.id)
    dialog = window.suggestions.kb.add_to_kb()
    assert dialog.name_edit.text() == "Ingebrigtsen"
    dialog.set_kind("event")
    assert dialog.year_edit.isVisibleTo(dialog) and not dialog.country_edit.isVisibleTo(dialog)
    dialog.reject()


def test_the_knowledge_base_dialog_edits_names_and_aliases_inline(qtbot, app, window):
    dialog = window.suggestions.kb.show_knowledge_base()
    qtbot.waitExposed(dialog)
    kerr = app.kb.find("Josh Kerr")
    dialog.set_filter("josh kerr")
    assert dialog.proxy.rowCount() >= 1
    index = dialog.find_row("Josh Kerr")
    assert index.isValid()
    # Typed into the table's own editor, committed with Enter.
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setCurrentIndex(index)
    dialog.table.edit(index)
    editor = dialog.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Josh Kerr"
    qtbot.waitUntil(editor.hasFocus)
    editor.selectAll()
    qtbot.keyClicks(editor, "Joshua Kerr-Test")
    press(qtbot, editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: dialog.table.state() != QAbstractItemView.State.EditingState)
    assert app.kb.get_athlete(kerr.id).name == "Joshua Kerr-Test"
    assert dialog.message_label.text() == "Saved “Joshua Kerr-Test”"

    aliases = dialog.find_row("Joshua Kerr-Test", ALIASES)
    assert dialog.proxy.setData(aliases, "Josh Kerr; Jake Wightman's rival")
    assert app.kb.get_athlete(kerr.id).aliases == ("Josh Kerr", "Jake Wightman's rival")

    # A duplicate name is refused, with the reason in the dialog.
    name = dialog.find_row("Joshua Kerr-Test")
    assert not dialog.proxy.setData(name, "Jakob Ingebrigtsen")
    assert "already exists" in dialog.message_label.text()
    assert app.kb.get_athlete(kerr.id).name == "Joshua Kerr-Test"

    # Undo in the window reaches the dialog's rows too.
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert app.kb.get_athlete(kerr.id) == kerr
    dialog.set_filter("")
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findText("Athletes"))
    assert dialog.find_row("Josh Kerr").isValid()
    assert dialog.proxy.rowCount() == len(app.kb.load().athletes)
    dialog.close()


def test_toolbar_menus_and_shortcut_help(qtbot, app, window, docs):
    bar = window.findChild(QToolBar, "mainToolBar")
    assert bar is not None and bar.isVisible()
    suggest_action = window.actions["suggest"]
    assert suggest_action in bar.actions()
    with qtbot.waitSignal(window.suggestions.suggestFinished, timeout=TIMEOUT_MS):
        suggest_action.trigger()
    assert stored_spans(app, docs[0]) and not stored_spans(app, docs[1])
    with qtbot.waitSignal(window.suggestions.suggestFinished, timeout=TIMEOUT_MS) as done:
        press(qtbot, window.view, Qt.Key.Key_G, CTRL | SHIFT)
    assert done.args[0].documents == 2 and stored_spans(app, docs[1])
    for name, keys in (
        ("suggest_document", "Ctrl+G"),
        ("next_pending", "N"),
        ("accept_all_label", "Ctrl+Shift+A"),
        ("add_to_kb", "Ctrl+K"),
    ):
        assert window.actions[name].shortcut().toString() == keys
    window.actions["shortcuts"].trigger()
    help_dialog = next(
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "shortcutsDialog" and w.isVisible()
    )
    text = help_dialog.findChild(QLabel).text()
    for expected in (
        "Ctrl+G",
        "Ctrl+Shift+A",
        "Next pending suggestion",
        "A (pending span)",
        "Previous document",
        "S / PgUp",
    ):
        assert expected in text
    help_dialog.close()
