"""The window's export: the ClaimReview publisher fields (remembered in the settings) and the
pending suggestions an export left out, said in the words of the dialog's check box."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox
from window_helpers import show_window

from annotator.ui.dialogs.export_and_help import ExportDialog

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 30_000
TEXT = "Jakob Ingebrigsten won the 5000 m in Tokyo on 14 September 2025."


@pytest.fixture
def doc(app, make_document):
    doc_id = make_document(TEXT, title="Tokyo 5000")

    def add(needle: str, label: str, **fields: str) -> int:
        start = TEXT.index(needle)
        return app.annotations.create(
            document_id=doc_id, start=start, end=start + len(needle), label=label, **fields
        ).id

    add("Ingebrigsten", "error", error_type="misspelled_name", correction="Ingebrigtsen")
    for pending in (add("Tokyo", "event"), add("Jakob", "athlete")):
        app.annotations.update(pending, status="pending")
    return doc_id


@pytest.fixture
def window(qtbot, app, doc):
    win = show_window(qtbot, app)
    yield win
    win.close()


def _ok(dialog: ExportDialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)


def test_claimreview_asks_for_the_publisher_and_remembers_it(qtbot, app, doc):
    settings = QSettings()
    dialog = ExportDialog(app.tagset, current_document=doc, settings=settings)
    qtbot.addWidget(dialog)
    assert not dialog.claimreview_box.isVisibleTo(dialog)
    assert dialog.pending_check.isEnabled() and _ok(dialog).isEnabled()

    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("claimreview"))
    assert dialog.claimreview_box.isVisibleTo(dialog)
    # A review is never published under a made-up or the program's name: no name, no export.
    assert dialog.publisher_edit.text() == "" and not _ok(dialog).isEnabled()
    # ClaimReview cannot carry suggestions: the box cannot promise them.
    dialog.pending_check.setChecked(True)
    assert not dialog.pending_check.isEnabled() and not dialog.options().include_pending
    qtbot.keyClicks(dialog.publisher_edit, "Athletics Check")
    qtbot.keyClicks(dialog.publisher_url_edit, "https://check.example")
    assert _ok(dialog).isEnabled()
    options = dialog.options()
    assert (options.publisher, options.publisher_url, options.review_url) == (
        "Athletics Check",
        "https://check.example",
        None,
    )
    dialog.accept()

    again = ExportDialog(app.tagset, settings=settings)
    qtbot.addWidget(again)
    assert again.publisher_edit.text() == "Athletics Check"
    assert again.publisher_url_edit.text() == "https://check.example"
    # Other formats carry no publisher.
    assert again.options().publisher is None


def test_an_export_says_which_box_adds_the_pending_suggestions(qtbot, window, tmp_path):
    out = tmp_path / "corpus.jsonl"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=out, format="jsonl")
    assert finished.args[0].pending_left_out == 2
    notice = (
        "2 pending suggestions not exported; tick “Include pending suggestions” in the "
        "export dialog to add them"
    )
    assert notice in window.statusBar().currentMessage()
    box = window.last_message_box
    assert box.isVisible() and notice in box.text()
    box.close()

    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS):
        window.files.start_export(out=out, format="jsonl", include_pending=True)
    assert "pending" not in window.statusBar().currentMessage()


def test_claimreview_from_the_window_names_the_publisher(qtbot, window, tmp_path):
    out = tmp_path / "reviews.jsonld"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=out, format="claimreview", publisher="")
    assert finished.args[0] is None and not out.exists()
    box = window.last_message_box
    assert box.windowTitle() == "Export failed" and "--publisher NAME" in box.text()
    box.close()

    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS):
        window.files.start_export(
            out=out,
            format="claimreview",
            publisher="Athletics Check",
            publisher_url="https://check.example",
            review_url="https://check.example/tokyo",
        )
    (review,) = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert review["author"]["name"] == "Athletics Check"
    assert review["datePublished"] == dt.date.today().isoformat()
    assert review["url"].startswith("https://check.example/tokyo#")
    # The two pending suggestions are an athlete and an event: no claims, nothing to say.
    assert "pending" not in window.statusBar().currentMessage()
