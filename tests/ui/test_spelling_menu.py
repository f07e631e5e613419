"""View ▸ Spelling in the window: the database's spelling setting, shown and changed, with the
article on show checked again at once; the CLI and every other client read the same one."""

from __future__ import annotations

import pytest
from window_helpers import show_window

from annotator.services.spelling import SpellingSettings

pytestmark = pytest.mark.gui

TEXT = "The crowd cheered her favourite run and the colour of her kit."


def test_choosing_american_marks_british_spellings_and_is_kept(qtbot, app, make_document):
    doc = make_document(TEXT)
    window = show_window(qtbot, app)
    with qtbot.waitSignal(window.spelling.checked, timeout=10_000):
        window.open_document(doc)
    assert window.view.spelling_marks.marks() == []  # British as the article spells
    menu = window.actions.spelling
    menu.show_current()
    assert menu.actions["auto"].isChecked()

    with qtbot.waitSignal(window.spelling.checked, timeout=10_000):
        window.actions["spelling_en_US"].trigger()
    text = window.view.stored_text()
    assert sorted(text[s:e] for s, e, _ in window.view.spelling_marks.marks()) == [
        "colour",
        "favourite",
    ]
    assert SpellingSettings(app.db, actor="x").variant() == "en_US"
    assert window.statusBar().currentMessage().startswith("Spelling: American English")

    # A colleague (or the CLI) sets it back: the menu shows what the database holds.
    SpellingSettings(app.db, actor="bob").set_variant("auto")
    menu.show_current()
    assert menu.actions["auto"].isChecked() and not menu.actions["en_US"].isChecked()
    window.close()
