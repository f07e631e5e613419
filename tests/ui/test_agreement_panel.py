"""The Agreement dock: alice, bob and carol tag articles through the services; the window
(alice's) shows the figures ``measure`` gives for the same layers, writes the CLI's CSV, and
keeps taking keys while it computes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDockWidget, QLineEdit
from window_helpers import show_window

from annotator.core.agreement import measure, report_rows
from annotator.core.errors import DatabaseError
from annotator.services.agreement import gather_layers
from annotator.services.app import open_app
from annotator.ui.panels import agreement as agreement_panel
from annotator.ui.panels import agreement_job
from annotator.ui.panels.agreement_figures import DOCUMENT, LABEL, VALUE
from annotator.ui.window import workers

pytestmark = pytest.mark.gui

DONE_MS = 10_000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
KERR = ("Josh Kerr beat Jakob Ingebrigsten in Tokyo. Cole Hocker was third in the "
        "Budapest final.")  # fmt: skip
KIPYEGON = "Faith Kipyegon won the 1500m on 5 Septembre in Zurich."


def tag(app, doc: int, text: str, needle: str, label: str, *, part: str | None = None,
        **fields) -> None:  # fmt: skip
    start = text.index(needle) + (needle.index(part) if part else 0)
    end = start + len(part or needle)
    app.annotations.create(document_id=doc, start=start, end=end, label=label, **fields)


@pytest.fixture
def corpus(db_url, alice, bob, add_article):
    kerr = add_article(KERR, title="Kerr")
    kipyegon = add_article(KIPYEGON, title="Kipyegon")
    carol = open_app(db_url, annotator="carol")
    try:
        tag(alice, kerr, KERR, "Josh Kerr", "athlete")
        tag(alice, kerr, KERR, "Ingebrigsten", "error", error_type="misspelled_name",
            correction="Ingebrigtsen")  # fmt: skip
        tag(alice, kerr, KERR, "Tokyo", "event")
        tag(bob, kerr, KERR, "Josh Kerr", "athlete")
        tag(bob, kerr, KERR, "Cole Hocker", "athlete")
        tag(bob, kerr, KERR, "Budapest final", "event")
        tag(bob, kerr, KERR, "Ingebrigsten", "error", error_type="wrong_fact",
            correction="Ingebrigtsen ")  # fmt: skip
        tag(alice, kipyegon, KIPYEGON, "Faith Kipyegon", "athlete")
        # Part of a word covers no whole token: kappa and alpha on dates are undefined.
        tag(alice, kipyegon, KIPYEGON, "Septembre", "date", part="Septem")
        tag(bob, kipyegon, KIPYEGON, "Faith Kipyegon", "athlete")
        tag(carol, kipyegon, KIPYEGON, "Kipyegon", "athlete")
    finally:
        carol.close()
    return kerr, kipyegon


@pytest.fixture
def window(qtbot, alice, corpus):
    win = show_window(qtbot, alice)
    yield win
    win.close()


def open_panel(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL_SHIFT)
    qtbot.waitUntil(window.agreement_dock.isVisible)
    # Raised over the Annotations tab it shares, the focus in it.
    qtbot.waitUntil(lambda: not window.agreement.visibleRegion().isEmpty()
                    and window.annotations_dock.visibleRegion().isEmpty())  # fmt: skip
    assert window.agreement.isAncestorOf(QApplication.focusWidget())
    return window.agreement


def compute(qtbot, panel):
    with qtbot.waitSignal(panel.computed, timeout=DONE_MS) as blocker:
        qtbot.keyClick(panel.label_check("athlete"), Qt.Key.Key_Return)
    return blocker.args[0]


def shown(table) -> dict[tuple, tuple[str, object]]:
    """(row key, column) -> (text shown, value behind it), for every figure cell."""
    model = table.figures()
    cells = {}
    for r in range(model.rowCount()):
        row = model.row(r)
        key = (row.document_id, row.label)
        for c in range(len(row.heading), model.columnCount()):
            column = model.column(c)
            if column in row.values:
                index = model.index(r, c)
                cells[key, column.measure, column.pair] = (index.data(), index.data(VALUE))
    return cells


def expected_cells(report) -> dict[tuple, float | None]:
    cells = {}

    def add(doc, label, result):
        for pair in result.pairs:
            for name in ("exact_f1", "overlap_f1", "kappa"):
                cells[(doc, label), name, (pair.a, pair.b)] = getattr(pair, name)
        cells[(doc, label), "alpha", None] = result.alpha
        cells[(doc, label), "u_alpha", None] = result.u_alpha

    add(None, None, report.overall)
    cells[(None, None), "error_type", None] = report.errors.error_type
    cells[(None, None), "correction", None] = report.errors.correction
    for label, result in report.labels.items():
        add(None, label, result)
    for doc, results in report.per_document.items():
        for label, result in results.items():
            add(doc, label, result)
    return cells


def assert_same_figures(panel, report) -> None:
    expected = expected_cells(report)
    got = {**shown(panel.overall), **shown(panel.per_document)}
    assert set(got) == set(expected)
    for key, value in expected.items():
        text = "—" if value is None else f"{value:.3f}"
        assert got[key] == (text, value), key


def test_the_shortcut_opens_the_panel_and_it_shows_what_measure_gives(qtbot, alice, corpus, window):
    kerr, kipyegon = corpus
    dock = window.findChild(QDockWidget, "agreementDock")
    assert dock is window.agreement_dock and not dock.isVisible()
    toggle = window.actions["agreement"]
    assert toggle.shortcut().toString() == "Ctrl+Shift+I"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert toggle in view_menu.actions() and toggle.text() == "&Agreement"
    assert ("Ctrl+Shift+I", "Agreement") in window.actions.shortcut_rows()

    panel = open_panel(qtbot, window)
    report = compute(qtbot, panel)
    assert report.annotators == ("alice", "bob", "carol") and report.documents == 2
    reference = measure(gather_layers(alice.db))
    assert report == reference
    assert_same_figures(panel, reference)

    # The errors: matched once, types differ, corrections agree once stripped.
    overall = panel.overall.figures()
    errors = overall.column_of("error_type")
    assert overall.index(0, errors).data() == "0.000"
    assert overall.index(0, errors + 1).data() == "1.000"
    # Dates: every token outside a date for both, so kappa is undefined, and says why.
    date_row = next(r for r in range(overall.rowCount()) if overall.index(r, 0).data(LABEL)
                    == "date")  # fmt: skip
    assert overall.index(date_row, 0).data() == "Date"
    kappa = overall.index(date_row, overall.column_of("kappa", ("alice", "bob")))
    assert kappa.data() == "—" and kappa.data(VALUE) is None
    assert "Undefined" in kappa.data(Qt.ItemDataRole.ToolTipRole)
    assert "same category" in kappa.data(Qt.ItemDataRole.ToolTipRole)
    # Carol annotated only Kipyegon: on Kerr her pairs do not apply (blank, not "—").
    per_doc = panel.per_document.figures()
    kerr_row = next(r for r in range(per_doc.rowCount()) if per_doc.index(r, 0).data(DOCUMENT)
                    == kerr)  # fmt: skip
    assert per_doc.index(kerr_row, 0).data() == "Kerr"
    # Room for the figures: the dock grew when shown, a long title cannot widen its column.
    assert dock.height() > 300  # the Annotations tab it shares starts at 250
    per_doc.set_rows(per_doc._columns, [type(per_doc.row(0))(("x" * 300, "Athlete"))])
    panel.per_document.fit_columns()
    chars = panel.per_document.columnWidth(0) / panel.fontMetrics().averageCharWidth()
    assert 10 < chars <= 36
    assert per_doc.index(kerr_row, per_doc.column_of("kappa", ("alice", "carol"))).data() == ""

    # The same shortcut hides it and gives the article the keys back.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_I, CTRL_SHIFT)
    qtbot.waitUntil(lambda: not dock.isVisible())
    assert window.view.hasFocus()


def test_no_two_window_actions_share_a_shortcut(window):
    seen: dict[str, str] = {}
    for name, action in window.actions.by_name.items():
        for key in action.shortcuts():
            assert key.toString() not in seen, (name, seen.get(key.toString()))
            seen[key.toString()] = name


def test_export_csv_writes_what_the_command_line_writes(
    qtbot, db_url, corpus, window, tmp_path, monkeypatch
):
    panel = open_panel(qtbot, window)
    assert not panel.findChild(type(panel._export), "agreementExport").isEnabled()
    report = compute(qtbot, panel)
    chosen = tmp_path / "from-window"  # the suffix is added
    monkeypatch.setattr(
        agreement_panel.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kw: (str(chosen), "CSV (*.csv)")),
    )
    qtbot.mouseClick(panel._export, Qt.MouseButton.LeftButton)
    written = tmp_path / "from-window.csv"
    assert written.is_file()

    cli = tmp_path / "from-cli.csv"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", db_url, "agreement", "-o", str(cli)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert written.read_bytes() == cli.read_bytes()
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = [{k: "" if v is None else str(v) for k, v in row.items()}
                for row in report_rows(report)]  # fmt: skip
    assert rows == expected and len(rows) > 20
    assert str(written) in panel._status.text()


def test_filters_narrow_labels_annotators_and_documents(qtbot, alice, corpus, window):
    kerr, kipyegon = corpus
    panel = open_panel(qtbot, window)
    panel.annotator_check("carol").setChecked(False)
    panel.label_check("event").setChecked(False)
    report = compute(qtbot, panel)
    reference = measure(
        gather_layers(alice.db, annotators=["alice", "bob"]),
        labels=["athlete", "date", "error"],
        annotators=["alice", "bob"],
    )
    assert report == reference and report.annotators == ("alice", "bob")
    assert_same_figures(panel, reference)
    overall = panel.overall.figures()
    labels = [overall.index(r, 0).data(LABEL) for r in range(overall.rowCount())]
    assert labels == [None, "athlete", "date", "error"]
    assert overall.columnCount() == 1 + 3 + 2 + 2  # one pair, alpha, u-alpha, error fields

    # Only the open document: Kipyegon's figures alone.
    assert window.open_document(kipyegon)
    panel.only_document_check().setChecked(True)
    report = compute(qtbot, panel)
    assert list(report.per_document) == [kipyegon] and report.documents == 1
    reference = measure(
        gather_layers(alice.db, document_ids=[kipyegon], annotators=["alice", "bob"]),
        labels=["athlete", "date", "error"],
        annotators=["alice", "bob"],
    )
    assert_same_figures(panel, reference)
    per_doc = panel.per_document.figures()
    assert {per_doc.index(r, 0).data(DOCUMENT) for r in range(per_doc.rowCount())} == {kipyegon}

    # Fewer than two annotators is refused before anything runs.
    panel.annotator_check("bob").setChecked(False)
    with qtbot.waitSignal(panel.failed, timeout=DONE_MS) as blocker:
        panel.compute()
    assert "two annotators" in blocker.args[0] and not panel.is_running()


def test_enter_on_a_document_row_opens_it_and_ctrl_c_copies_cells(qtbot, corpus, window):
    kerr, kipyegon = corpus
    assert window.document.id == kerr
    panel = open_panel(qtbot, window)
    compute(qtbot, panel)
    panel.tabs.setCurrentWidget(panel.per_document)
    table = panel.per_document
    model = table.figures()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(DOCUMENT)
               == kipyegon)  # fmt: skip
    table.setFocus()
    table.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.document.id == kipyegon

    overall = panel.overall
    overall.setFocus()
    overall.setCurrentIndex(overall.figures().index(1, 1))
    qtbot.keyClick(overall, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == overall.figures().index(1, 1).data()
    overall.clearSelection()
    overall.selectRow(0)
    qtbot.keyClick(overall, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    header, values = QGuiApplication.clipboard().text().split("\n")
    assert header.split("\t")[:2] == ["Label", "alice – bob exact F1"]
    assert values.split("\t")[0] == "All labels"
    assert values.count("\t") == overall.figures().columnCount() - 1


def test_a_database_error_is_one_line_in_the_panel(qtbot, corpus, window, monkeypatch):
    def locked(*args, **kwargs):
        raise DatabaseError("the database is locked by another program")

    monkeypatch.setattr(agreement_job, "gather_layers", locked)
    panel = open_panel(qtbot, window)
    with qtbot.waitSignal(panel.failed, timeout=DONE_MS) as blocker:
        panel.compute()
    message = blocker.args[0]
    assert message == ("Could not compute the agreement: the database is locked by another "
                       "program")  # fmt: skip
    assert panel._status.text() == message and "Traceback" not in message
    assert not panel.is_running() and panel._compute.text() == "Compute"


def test_computing_shows_progress_never_blocks_typing_and_can_be_cancelled(
    qtbot, alice, corpus, window, monkeypatch
):
    release = threading.Event()
    first_read = threading.Event()

    def slow(db, **kwargs):
        for number, doc in enumerate(gather_layers(db, **kwargs)):
            if number:
                first_read.set()
                release.wait(timeout=DONE_MS / 1000)
            yield doc

    monkeypatch.setattr(agreement_job, "gather_layers", slow)
    monkeypatch.setattr(workers, "PROGRESS_INTERVAL_S", 0.0)  # every step reported
    panel = open_panel(qtbot, window)
    try:
        panel.compute()
        qtbot.waitUntil(first_read.is_set, timeout=DONE_MS)
        assert panel.is_running() and panel._compute.text() == "Cancel"
        progress = panel._progress
        # Kerr read, Kipyegon waiting.
        qtbot.waitUntil(lambda: progress.isVisible() and progress.maximum() == 2
                        and progress.value() == 1)  # fmt: skip
        # The window takes keys while the worker is busy.
        window.focus_document_filter()
        field = window.documents_panel.findChild(QLineEdit, "documentFilter")
        qtbot.keyClicks(field, "Kip")
        assert field.text() == "Kip"
        field.clear()
        # Esc in the panel cancels; the worker stops at its next document.
        panel.overall.setFocus()
        qtbot.keyClick(panel.overall, Qt.Key.Key_Escape)
    finally:
        release.set()
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=DONE_MS)
    assert panel._status.text() == "Cancelled."
    assert panel.result() is None and not progress.isVisible()
    assert panel.overall.figures().rowCount() == 0
