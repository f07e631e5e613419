"""The curation view (Team ▸ Curate…): a curator compares the annotators' lanes, merges what
they agree on and settles each disagreement with one key; the result is the curated layer,
credited to the curator, and what an export writes.

Alice and Bob are annotators, Carol the curator, each a client of their own on the same
database. Keys are pressed as a person presses them; waits are on what the view shows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_helpers import press, select_text, show_window

from annotator.core.curation import Strategy
from annotator.core.errors import ConnectionLost
from annotator.services.app import open_app
from annotator.services.desk import LayerMode
from annotator.ui.curation.lanes import CURATED_LANE, context_bounds
from annotator.ui.window.team_menu import REFUSED_TITLE

pytestmark = pytest.mark.gui
#: A dialog or message box sizes itself once shown, which the offscreen platform only warns of.
offscreen_dialog = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = "Josh Kerr beat Jakob Ingebrigsten in Tokyo. Cole Hocker was third in the Budapest final."
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def where(needle: str, text: str = TEXT, part: str | None = None) -> tuple[int, int]:
    start = text.index(needle) + (needle.index(part) if part else 0)
    return start, start + len(part or needle)


def tag(
    app,
    doc: int,
    needle: str,
    label: str = "athlete",
    text: str = TEXT,
    part: str | None = None,
    **fields,
):
    start, end = where(needle, text, part)
    return app.annotations.create(document_id=doc, start=start, end=end, label=label, **fields)


@pytest.fixture
def carol(db_url, alice):
    opened = open_app(db_url, annotator="carol")
    opened.desk.set_role("carol", "curator")
    yield opened
    opened.close()


@pytest.fixture
def article(add_article):
    return add_article(TEXT, title="Kerr")


def open_view(qtbot, window):
    """Team ▸ Curate… by its key, from the article view."""
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)
    view = window.curation.view
    assert view is not None
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.isActiveWindow() and view.list.hasFocus())
    return view


def key(qtbot, view, k, modifier=Qt.KeyboardModifier.NoModifier):
    """A key on whatever has the focus in the view; the focus must still be in it after."""
    target = QApplication.focusWidget()
    assert target is not None and view.isAncestorOf(target), target
    qtbot.keyClick(target, k, modifier)
    focus = QApplication.focusWidget()
    assert focus is not None and (focus is view or view.isAncestorOf(focus)), focus


def painted(view, lane: str) -> list[tuple[int, int, str, str]]:
    return sorted(view.lanes.lanes[lane].text.painted())


def as_painted(spans, text: str = TEXT) -> list[tuple[int, int, str, str]]:
    return sorted((s.start, s.end, s.label, text[s.start : s.end]) for s in spans)


def curated(app, doc: int) -> list[tuple[str, str, str | None, str]]:
    return sorted(
        (s.label, s.text, s.correction, s.annotator)
        for s in app.annotations.spans(doc)
        if s.layer == "curated"
    )


# -- (a) the desk, end to end -----------------------------------------------------------------


def test_a_desk_curates_in_blind_mode_and_exports_the_curated_layer(
    qtbot, alice, bob, carol, article, db_url, tmp_path
):
    boss = show_window(qtbot, carol)
    boss.actions["blind_mode"].trigger()
    assert carol.desk.mode() is LayerMode.BLIND

    # Alice and Bob tag the same article, each in a window of their own, with label keys.
    mine = show_window(qtbot, alice)
    for needle in ("Josh Kerr", "Jakob Ingebrigsten"):
        select_text(mine, needle)
        press(qtbot, mine.view, "1")
    select_text(mine, "Tokyo")
    press(qtbot, mine.view, "2")
    his = show_window(qtbot, bob)
    select_text(his, "Josh Kerr")
    press(qtbot, his.view, "1")
    select_text(his, "Jakob Ingebrigsten", part="Ingebrigsten")
    press(qtbot, his.view, "4")  # error: its type is the next key, then the correction
    press(qtbot, his.error_types.list, "m")
    assert QApplication.focusWidget() is his.inspector.correction_edit
    qtbot.keyClicks(his.inspector.correction_edit, "Ingebrigtsen")
    press(qtbot, his.inspector.correction_edit, Qt.Key.Key_Return)
    for window, app, who in ((mine, alice, "alice"), (his, bob, "bob")):
        window.live.poll()  # the colleague's work has reached the change log: still hidden
        assert {s.layer for s in window.view.spans()} == {who}
        assert {s.layer for s in app.annotations.visible(article)} == {who}
    mine.close()
    his.close()

    boss.activateWindow()
    qtbot.waitUntil(boss.isActiveWindow)
    boss.view.setFocus()
    view = open_view(qtbot, boss)
    assert view.document_id == article, view.message.text()
    assert list(view.lanes.lanes) == [CURATED_LANE, "alice", "bob"]
    assert "1 alice" in view.lanes.lanes["alice"].header.text()
    assert "2 bob" in view.lanes.lanes["bob"].header.text()
    layer = {
        who: [s for s in carol.annotations.spans(article) if s.layer == who]
        for who in ("alice", "bob")
    }
    assert painted(view, "alice") == as_painted(layer["alice"])
    assert painted(view, "bob") == as_painted(layer["bob"])
    assert view.counter.text() == "2 of 2 disagreements open"

    qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert curated(carol, article) == [("athlete", "Josh Kerr", None, "carol")]
    assert (*where("Josh Kerr"), "athlete", "Josh Kerr") in painted(view, CURATED_LANE)
    assert view.list.hasFocus()

    # The first disagreement: alice's athlete "Jakob Ingebrigsten", bob's misspelled name.
    first = view.current()
    assert first.key == where("Jakob Ingebrigsten")
    key(qtbot, view, "2")
    assert view.state.settled == {first.key: "bob"}
    assert view.counter.text() == "1 of 2 disagreements open"
    assert view.current().key == where("Tokyo")  # on to the next open one
    assert view.list.item(0).text().startswith("✓ took bob")
    assert (*where("Ingebrigsten"), "error", "Ingebrigsten") in painted(view, CURATED_LANE)
    key(qtbot, view, "1")  # alice's "Tokyo", an event
    assert view.counter.text() == "0 of 2 disagreements open"

    out = tmp_path / "curated.jsonl"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "annotator",
            "--db",
            db_url,
            "export",
            "--format",
            "jsonl",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(
        (s["label"], s["text"], s["correction"], s["annotator"]) for s in record["spans"]
    ) == [
        ("athlete", "Josh Kerr", None, "carol"),
        ("error", "Ingebrigsten", "Ingebrigtsen", "carol"),
        ("event", "Tokyo", None, "carol"),
    ]
    boss.close()


# -- (b) one key each: all, none, edit, undo -------------------------------------------------


@pytest.fixture
def disagreeing(alice, bob, article):
    tag(alice, article, "Josh Kerr")
    tag(bob, article, "Josh Kerr")
    tag(alice, article, "Jakob Ingebrigsten")
    tag(
        bob,
        article,
        "Jakob Ingebrigsten",
        "error",
        part="Ingebrigsten",
        error_type="misspelled_name",
        correction="Ingebrigtsen",
    )
    tag(alice, article, "Tokyo", "event")
    tag(bob, article, "Budapest final", "event")
    return article


@pytest.fixture
def view(qtbot, carol, disagreeing):
    window = show_window(qtbot, carol)
    opened = open_view(qtbot, window)
    yield opened
    window.close()


def test_a_takes_all_0_none_and_ctrl_z_undoes(qtbot, carol, disagreeing, view):
    doc = disagreeing
    assert [d.key for d in view.state.curation.disagreements] == [
        where("Jakob Ingebrigsten"),
        where("Tokyo"),
        where("Budapest final"),
    ]
    key(qtbot, view, "A")
    assert curated(carol, doc) == [
        ("athlete", "Jakob Ingebrigsten", None, "carol"),
        ("error", "Ingebrigsten", "Ingebrigtsen", "carol"),
    ]
    assert view.current().key == where("Tokyo")
    key(qtbot, view, "0")
    assert view.state.settled == {where("Jakob Ingebrigsten"): "all", where("Tokyo"): "none"}
    assert view.current().key == where("Budapest final")
    assert view.list.item(1).text().startswith("✓ took none")

    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # "none" taken back: Tokyo open and current again
    assert view.current().key == where("Tokyo")
    assert view.state.settled == {where("Jakob Ingebrigsten"): "all"}
    key(qtbot, view, Qt.Key.Key_Z, CTRL)  # "all" taken back: its spans gone
    assert curated(carol, doc) == [] and view.state.settled == {}
    assert view.current().key == where("Jakob Ingebrigsten")
    assert view.counter.text() == "3 of 3 disagreements open"
    key(qtbot, view, Qt.Key.Key_Z, CTRL_SHIFT)  # redo
    assert len(curated(carol, doc)) == 2

    # A settled one is not settled twice; N is none too; J and K move.
    view.list.setCurrentRow(0)
    key(qtbot, view, "1")
    assert "Already settled (took all)" in view.message.text()
    key(qtbot, view, "J")
    key(qtbot, view, "N")
    assert view.state.settled[where("Tokyo")] == "none"
    key(qtbot, view, "K")
    assert view.current().key == where("Tokyo")


@offscreen_dialog
def test_enter_goes_into_the_lanes_and_e_edits_the_lane_in_focus(qtbot, carol, disagreeing, view):
    key(qtbot, view, Qt.Key.Key_Return)
    assert view.lanes.lanes["alice"].text.hasFocus()
    key(qtbot, view, Qt.Key.Key_Tab)
    assert view.lanes.lanes["bob"].text.hasFocus()
    key(qtbot, view, "E")  # prefilled from bob's option: the lane in focus
    dialog = view.commands.dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.label.currentData() == "error"
    assert dialog.error_type.currentData() == "misspelled_name"
    assert QApplication.focusWidget() is dialog.correction
    dialog.correction.selectAll()
    qtbot.keyClicks(dialog.correction, "Ingebrigtsen (Jakob)")
    qtbot.keyClick(dialog.correction, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.commands.dialog is None)
    assert curated(carol, disagreeing) == [
        ("error", "Ingebrigsten", "Ingebrigtsen (Jakob)", "carol")
    ]
    assert view.state.settled[where("Jakob Ingebrigsten")] == "edited"
    qtbot.waitUntil(lambda: view.lanes.lanes["bob"].text.hasFocus())  # back where it was
    key(qtbot, view, "W")  # the lanes are made anew for the whole article: still in one
    assert view.lanes.whole and view.lanes.focused_lane() is not None
    key(qtbot, view, Qt.Key.Key_Escape)
    assert view.list.hasFocus()


def test_a_span_changed_meanwhile_is_not_settled_blind(qtbot, alice, carol, disagreeing, view):
    kept = next(s for s in alice.annotations.spans(disagreeing) if s.label == "event")
    alice.annotations.update(kept.id, expected_version=kept.version, label="date")
    view.list.setCurrentRow(1)  # "Tokyo", as shown before alice's change
    key(qtbot, view, "1")
    assert "changed while you looked" in view.message.text()
    assert curated(carol, disagreeing) == [] and view.state.settled == {}
    assert view.current().key == where("Tokyo")
    assert view.current().options["alice"][0].label == "date"  # what is stored now


def test_a_lost_connection_is_said_in_the_view(qtbot, carol, disagreeing, view, monkeypatch):
    def gone(*_args, **_kwargs):
        raise ConnectionLost("the server closed the connection")

    monkeypatch.setattr(view.service, "settle", gone)
    key(qtbot, view, "2")
    text = view.message.text()
    assert text.startswith("Could not settle it: the database cannot be reached")
    assert "Traceback" not in text and view.message.property("error")
    assert view.commands.undo_stack.count() == 0 and view.state.settled == {}


def test_the_strategy_decides_what_is_agreed(qtbot, carol, bob, disagreeing, view):
    view.strategy_combo.setCurrentIndex(view.strategy_combo.findData(Strategy.AT_LEAST))
    view.strategy_combo.activated.emit(view.strategy_combo.currentIndex())
    assert view.k_spin.isEnabled()
    view.k_spin.setValue(1)
    view.k_spin.editingFinished.emit()
    # With K = 1 every tag one annotator made is agreed: nothing left to settle.
    assert view.counter.text() == "No disagreements"
    assert len(view.state.curation.agreed) == 5  # "Josh Kerr" once


# -- (c) only a curator ----------------------------------------------------------------------


@offscreen_dialog
def test_an_annotator_is_refused_clearly(qtbot, bob, carol, disagreeing):
    window = show_window(qtbot, bob)
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)
    box = window.curation.last_message
    assert box is not None and box.windowTitle() == REFUSED_TITLE
    assert box.text().startswith("Only a curator may curate (bob is an annotator).")
    assert "Curators on this desk: carol." in box.text()
    assert window.statusBar().currentMessage().startswith("Only a curator may curate")
    assert window.curation.view is None
    box.close()
    window.close()


def test_a_role_taken_away_meanwhile_is_refused_in_the_view(
    qtbot, db_url, carol, disagreeing, view
):
    dave = open_app(db_url, annotator="dave")
    try:
        carol.desk.set_role("dave", "curator")
        dave.desk.set_role("carol", "annotator")
    finally:
        dave.close()
    key(qtbot, view, "1")
    assert view.message.text().startswith(
        "Not saved: Only a curator may curate (carol is an annotator)."
    )
    assert curated(carol, disagreeing) == [] and view.list.hasFocus()


# -- (d) offsets past characters outside the BMP ---------------------------------------------

ASTRAL = "🏃\u200d♀️ 𝔽𝕒𝕤𝕥 news 🥇: Faith Kipyegon won in Paris 🇫🇷 again."


def test_lanes_cover_exactly_the_spans_characters_after_astral_ones(
    qtbot, alice, bob, carol, add_article
):
    doc = add_article(ASTRAL, title="Astral")
    spans = {
        "alice": [
            tag(alice, doc, "Faith Kipyegon", text=ASTRAL),
            tag(alice, doc, "Paris", "event", text=ASTRAL),
        ],
        "bob": [
            tag(bob, doc, "Kipyegon", text=ASTRAL),
            tag(bob, doc, "Paris", "event", text=ASTRAL),
        ],
    }
    window = show_window(qtbot, carol)
    view = open_view(qtbot, window)
    for whole in (False, True):
        if whole:
            key(qtbot, view, "W")
            assert view.lanes.whole
        for who, made in spans.items():
            assert painted(view, who) == as_painted(made, ASTRAL)
            assert all(text == ASTRAL[s:e] for s, e, _label, text in painted(view, who))
        # The outline sits on the same characters, in the same place, in every lane.
        boxes = [
            [r.getRect() for r in lane.text.outline_rects()] for lane in view.lanes.lanes.values()
        ]
        assert boxes[0] and all(b == boxes[0] for b in boxes)
    key(qtbot, view, "1")  # alice's "Faith Kipyegon"
    assert painted(view, CURATED_LANE) == [
        (*where("Faith Kipyegon", ASTRAL), "athlete", "Faith Kipyegon"),
        (*where("Paris", ASTRAL), "event", "Paris"),
    ]  # agreed: a preview until merged
    window.close()


def test_a_long_paragraph_shows_the_sentences_around_the_disagreement():
    sentence = "Kerr won the race in Eugene. "
    text = sentence * 60 + "Jakob Ingebrigsten was second. " + sentence * 60
    start, end = where("Jakob Ingebrigsten", text)
    lo, hi = context_bounds(text, start, end)
    assert lo <= start and end <= hi and hi - lo <= 700
    assert text[lo:hi].startswith("Kerr won") and text[lo:hi].endswith(".")
    assert context_bounds("One.\nTwo Kerr.\nThree.", 9, 13) == (5, 14)
