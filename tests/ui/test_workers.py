"""Import and export through the window's own actions, off the GUI thread, with the progress
dialog; cancelling and failures. No file dialogs: the tests call what the menu actions call,
with explicit paths."""

from __future__ import annotations

import json
import shutil
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from window_helpers import show_window

from annotator.core.textload import load_article
from annotator.services import importing
from annotator.ui.window import workers

pytestmark = [
    pytest.mark.gui,
    # The progress dialog and message boxes fix their size when shown, which the offscreen
    # plugin reports as a warning.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TIMEOUT_MS = 20_000


@pytest.fixture
def folder(tmp_path, seeds_dir):
    target = tmp_path / "articles"
    target.mkdir()
    for path in sorted(seeds_dir.glob("*.txt"))[:3]:
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def window(qtbot, app):
    win = show_window(qtbot, app)
    yield win
    win.close()


def test_import_folder_runs_in_a_worker_with_a_progress_dialog(qtbot, app, window, folder):
    started = []
    window.files.taskStarting.connect(started.append)
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as finished:
        task = window.files.start_import([folder])
        assert task is not None and started == [task]
        dialog = task.dialog
        assert isinstance(dialog, QProgressDialog) and dialog.isVisible()
        assert dialog.windowModality() == Qt.WindowModality.WindowModal
    report = finished.args[0]
    assert report is not None and len(report.imported) == 3
    assert task.worker.isFinished()
    assert window.files.task is None
    assert app.documents.count() == 3
    # The list shows them, the first imported one is open.
    assert window.documents_panel.model().rowCount() == 3
    assert window.current_document_id() == report.first_id
    first_file = folder / sorted(p.name for p in folder.iterdir())[0]
    assert window.view.stored_text() == load_article(first_file).text
    assert "3 imported" in window.statusBar().currentMessage()

    # Importing the same folder again: all duplicates, nothing new.
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as again:
        window.files.start_import([folder])
    assert again.args[0].duplicates and not again.args[0].imported
    assert app.documents.count() == 3


def test_files_that_fail_are_listed_in_a_message_not_a_traceback(qtbot, app, window, folder):
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\xff")
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_import([folder])
    assert len(finished.args[0].errors) == 1
    box = window.last_message_box
    assert box.isVisible() and box.windowTitle() == "Some files were not imported"
    assert "broken.txt: binary file" in box.detailedText()
    box.close()
    assert app.documents.count() == 3


def test_cancel_stops_the_import_and_keeps_only_whole_documents(
    qtbot, app, window, folder, monkeypatch
):
    # One file per transaction and every step reported: the cancel point is exact.
    monkeypatch.setattr(importing, "BATCH_FILES", 1)
    monkeypatch.setattr(workers, "PROGRESS_INTERVAL_S", 0.0)
    for n in range(5):
        (folder / f"extra_{n}.txt").write_text(f"Extra article {n}\n\nKerr beat Ingebrigtsen.\n")
    reached, release = threading.Event(), threading.Event()

    def gate(done: int, _total: int, _what: str) -> None:
        # Runs in the worker thread: holds it on its third file until the test has cancelled.
        if done == 2:
            reached.set()
            release.wait(10)

    window.files.taskStarting.connect(
        lambda task: task.worker.progressed.connect(gate, Qt.ConnectionType.DirectConnection)
    )
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS) as finished:
        task = window.files.start_import([folder])
        qtbot.waitUntil(reached.is_set, timeout=TIMEOUT_MS)
        button = task.dialog.findChild(QPushButton)
        assert button.text() == "Cancel"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert "Cancelling" in task.dialog.labelText()
        release.set()
    assert finished.args[0] is None
    assert task.worker.isFinished() and not task.dialog.isVisible()
    # Files 0-2 were committed before the cancel was seen at file 3; nothing after.
    ids = app.documents.ids()
    assert len(ids) == 3
    for doc_id in ids:
        document = app.documents.get(doc_id)
        assert document.text == load_article(document.source).text
    assert "the 3 documents imported before were kept" in window.statusBar().currentMessage()
    assert window.documents_panel.model().rowCount() == 3


def test_closing_the_window_joins_a_running_import(qtbot, app, window, folder):
    reached, release = threading.Event(), threading.Event()

    def gate(_done: int, _total: int, _what: str) -> None:
        reached.set()
        release.wait(10)

    window.files.taskStarting.connect(
        lambda task: task.worker.progressed.connect(gate, Qt.ConnectionType.DirectConnection)
    )
    task = window.files.start_import([folder])
    qtbot.waitUntil(reached.is_set, timeout=TIMEOUT_MS)
    release.set()
    window.close()  # cancels and waits: no thread outlives the window
    assert task.worker.isFinished()


def test_export_runs_in_a_worker_and_writes_the_dataset(qtbot, app, window, folder, tmp_path):
    with qtbot.waitSignal(window.files.importFinished, timeout=TIMEOUT_MS):
        window.files.start_import([folder])
    doc = window.current_document_id()
    text = window.view.stored_text()
    start = text.index("Kerr")
    app.annotations.create(document_id=doc, start=start, end=start + 4, label="athlete")
    out = tmp_path / "out" / "dataset.jsonl"
    out.parent.mkdir()
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=out, format="jsonl")
    report = finished.args[0]
    assert (report.documents, report.spans) == (3, 1)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    assert [s["text"] for r in records for s in r["spans"]] == ["Kerr"]
    assert str(out) in window.statusBar().currentMessage()


def test_a_failing_export_shows_a_message_box(qtbot, app, window, tmp_path):
    out = tmp_path / "dataset.csv"
    with qtbot.waitSignal(window.files.exportFinished, timeout=TIMEOUT_MS) as finished:
        window.files.start_export(out=out, format="csv", labels=["venue"])
    assert finished.args[0] is None
    box = window.last_message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "Export failed" and "venue" in box.text()
    assert "Traceback" not in box.text()
    box.close()
    assert not out.exists()
