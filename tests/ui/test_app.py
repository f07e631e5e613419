"""Starting the window: which database is opened, and the assembled window's parts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from annotator.store.database import default_database_path
from annotator.ui.app import build_main_window, choose_database

pytestmark = pytest.mark.gui


def test_database_precedence(tmp_path, monkeypatch):
    settings = QSettings()
    last = tmp_path / "last.sqlite3"
    settings.setValue("lastDatabase", str(last))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    # The remembered file no longer exists: never recreate it silently, use the default.
    assert choose_database(None, settings) == str(default_database_path())
    last.write_bytes(b"")
    assert choose_database(None, settings) == str(last)
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite3"))
    assert choose_database(None, settings) == str(tmp_path / "env.sqlite3")
    assert choose_database("explicit.sqlite3", settings) == "explicit.sqlite3"
    settings.setValue("lastDatabase", "postgresql://team@db.example/annotations")
    monkeypatch.delenv("ANNOTATOR_DB")
    assert choose_database(None, settings) == "postgresql://team@db.example/annotations"


def test_the_window_has_its_stable_names_and_accessible_names(qtbot, app, make_document):
    make_document("Jakob Ingebrigtsen won the 5000m.")
    window = build_main_window(app)
    qtbot.addWidget(window)
    names = {
        "mainWindow": window,
        "documentList": window.documents_panel.view(),
        "documentView": window.view,
        "labelPalette": window.label_palette,
        "annotationTable": window.table,
        "spanInspector": window.inspector,
    }
    for name, widget in names.items():
        assert widget.objectName() == name
        assert widget.accessibleName(), name
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus == ["File", "Edit", "Document", "View", "Team", "Help"]
    keys = {
        name: [k.toString() for k in window.actions[name].shortcuts()]
        for name in (
            "open_files",
            "import_folder",
            "export",
            "undo",
            "redo",
            "delete_span",
            "cycle_status",
            "previous_document",
            "next_document",
            "previous_span",
            "next_span",
            "filter_documents",
            "find_in_document",
            "find_next",
            "find_previous",
        )
    }
    assert keys == {
        "open_files": ["Ctrl+O"],
        "import_folder": ["Ctrl+Shift+O"],
        "export": ["Ctrl+E"],
        "undo": ["Ctrl+Z"],
        "redo": ["Ctrl+Shift+Z", "Ctrl+Y"],
        "delete_span": ["Del"],
        "cycle_status": ["Ctrl+M"],
        "previous_document": ["S", "PgUp"],
        "next_document": ["D", "PgDown"],
        "previous_span": ["K", "["],
        "next_span": ["J", "]"],
        "filter_documents": ["Ctrl+L"],
        "find_in_document": ["Ctrl+F"],
        "find_next": ["F3"],
        "find_previous": ["Shift+F3"],
    }
    window.close()


def test_export_dialog_options(qtbot, app):
    from annotator.ui.dialogs.export_and_help import ExportDialog

    dialog = ExportDialog(app.tagset)
    qtbot.addWidget(dialog)
    assert dialog.options().labels is None and dialog.options().format == "jsonl"
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("csv"))
    dialog.pending_check.setChecked(True)
    dialog.findChild(type(dialog.pending_check), "exportLabel_date").setChecked(False)
    options = dialog.options()
    assert (options.format, options.include_pending) == ("csv", True)
    assert options.labels == ["athlete", "event", "error"]


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_run_refuses_a_file_that_is_not_a_database(qapp, tmp_path, capsys):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from annotator.ui.app import run

    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"not a database " * 100)
    seen = []

    def close_the_message():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, close_the_message)  # polls for the box; the test never sleeps
            return
        seen.append((box.windowTitle(), box.text()))
        box.close()

    QTimer.singleShot(0, close_the_message)
    assert run(db=str(bogus), tagset=None, files=[]) == 2
    assert seen and seen[0][0] == "annotator cannot start"
    assert "is not an annotator database" in seen[0][1]
    err = capsys.readouterr().err
    assert err.startswith("annotator: ") and "Traceback" not in err and err.count("\n") == 1


DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
qt_app = QApplication(sys.argv[:1])
from annotator.ui.app import run

def quit_when_opened():
    windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
    window = windows[0] if windows else None
    if window is None or window.files.task is not None or window.document is None:
        QTimer.singleShot(20, quit_when_opened)  # polls; never a fixed sleep
        return
    print("OPENED", window.document.id, window.documents_panel.model().rowCount())
    QApplication.quit()

QTimer.singleShot(0, quit_when_opened)
sys.exit(run(db=sys.argv[1], tagset=None, files=sys.argv[2:]))
"""


def test_run_imports_the_files_given_and_opens_the_first(tmp_path, seeds_dir):
    # A process of its own: QApplication.exec() and quit() would leave the test process's
    # application in its "quitting" state for every later test.
    import os
    import subprocess
    import sys

    from annotator.services.app import open_app

    db = tmp_path / "run.sqlite3"
    files = [str(p) for p in sorted(seeds_dir.glob("*.txt"))[:2]]
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    env.pop("ANNOTATOR_DB", None)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(db), *files],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    reopened = open_app(db)
    try:
        ids = reopened.documents.ids()
        assert len(ids) == 2
        assert f"OPENED {ids[0]} 2" in done.stdout
    finally:
        reopened.close()
