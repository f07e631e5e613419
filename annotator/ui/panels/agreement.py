"""The Agreement dock: how far the annotators' layers agree, as ``annotator agreement`` says it.

The figures come from the same functions as the command (``gather_layers`` reads the layers,
``measure`` computes, ``write_agreement_csv`` writes the CSV), run in a ``TaskThread`` so the
window keeps taking keys on a large corpus. Progress and Cancel live in the panel itself, not
in a modal dialog: computing never stops anyone typing. A failure (the database busy or gone)
is one line in the panel, in the project's own words.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport
from annotator.core.agreement_csv import write_agreement_csv
from annotator.core.errors import DatabaseError
from annotator.core.model import Document
from annotator.services.app import App
from annotator.ui.panels.agreement_figures import (
    FigureModel,
    FigureTable,
    document_rows,
    figure_columns,
    figure_text,
    overall_rows,
)
from annotator.ui.panels.agreement_job import AgreementResult, agreement_job
from annotator.ui.window.layout import FAILED_COLOR
from annotator.ui.window.workers import TaskThread

log = logging.getLogger(__name__)

#: The dock's height when shown, if it has less (and the window room for it).
SHOWN_HEIGHT = 380


class AgreementWindow(Protocol):
    app: App

    @property
    def document(self) -> Document | None: ...


class AgreementPanel(QWidget):
    computed = Signal(object)  # the AgreementReport shown
    failed = Signal(str)  # the message shown
    documentChosen = Signal(int)  # Enter or a double click on a per-document row

    def __init__(self, window: AgreementWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.setAccessibleName("Agreement between annotators")
        self._window = window
        self._thread: TaskThread | None = None
        self._result: AgreementResult | None = None
        self._label_checks: dict[str, QCheckBox] = {}
        self._annotator_checks: dict[str, QCheckBox] = {}

        self._filters = QWidget()
        self._filters.setObjectName("agreementFilters")
        self._label_row = QHBoxLayout()
        self._annotator_row = QHBoxLayout()
        for label in window.app.tagset.labels:
            check = self._check(f"agreementLabel_{label.key}", label.name)
            self._label_row.addWidget(check)
            self._label_checks[label.key] = check
        self._label_row.addStretch(1)
        self._only_document = QCheckBox("Only the open document")
        self._only_document.setObjectName("agreementOnlyDocument")
        self._compute = QPushButton("Compute")
        self._compute.setObjectName("agreementCompute")
        self._compute.setToolTip("Compute the agreement with these filters (Enter; Esc cancels)")
        self._compute.clicked.connect(self._compute_or_cancel)
        self._export = QPushButton("Export CSV…")
        self._export.setObjectName("agreementExport")
        self._export.setToolTip("Write every figure as rows, as `annotator agreement -o` does")
        self._export.setEnabled(False)
        self._export.clicked.connect(self.choose_export)
        for widget in (self._only_document, self._compute, self._export):
            self._label_row.addWidget(widget)
        self._annotator_row.addStretch(1)
        grid = QVBoxLayout(self._filters)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        grid.addLayout(self._titled("Labels:", self._label_row))
        grid.addLayout(self._titled("Annotators:", self._annotator_row))
        for key in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(key), self._filters)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.compute)
        cancel = QShortcut(QKeySequence("Esc"), self)
        cancel.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel.activated.connect(self.cancel)

        self._progress = QProgressBar()
        self._progress.setObjectName("agreementProgress")
        self._progress.setAccessibleName("Agreement progress")
        self._progress.setFormat("Reading documents… %v of %m")
        self._progress.hide()
        self._status = QLabel("Choose labels and annotators, then Compute (Enter).")
        self._status.setObjectName("agreementStatus")
        self._status.setAccessibleName("Agreement status")
        self._status.setWordWrap(True)
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.overall = FigureTable(FigureModel(["Label"], self), "agreementOverall",
                                   "Agreement per label, over all documents")  # fmt: skip
        self.per_document = FigureTable(FigureModel(["Document", "Label"], self),
                                        "agreementPerDocument",
                                        "Agreement per document and label")  # fmt: skip
        self.per_document.setToolTip("Enter or a double click opens the document")
        self.per_document.activated.connect(self._on_document_activated)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("agreementTabs")
        self.tabs.addTab(self.overall, "Overall")
        self.tabs.addTab(self.per_document, "Per document")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self._filters)
        layout.addWidget(self._progress)
        layout.addWidget(self._status)
        layout.addWidget(self.tabs, 1)
        self.refresh_annotators()

    # -- filters ------------------------------------------------------------------------------

    @staticmethod
    def _check(name: str, text: str) -> QCheckBox:
        check = QCheckBox(text)
        check.setObjectName(name)
        check.setChecked(True)
        return check

    @staticmethod
    def _titled(title: str, row: QHBoxLayout) -> QHBoxLayout:
        label = QLabel(title)
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance("Annotators:") + 6)
        row.insertWidget(0, label)
        return row

    def label_check(self, key: str) -> QCheckBox:
        return self._label_checks[key]

    def annotator_check(self, name: str) -> QCheckBox:
        return self._annotator_checks[name]

    def only_document_check(self) -> QCheckBox:
        return self._only_document

    def refresh_annotators(self, extra: Sequence[str] = ()) -> None:
        """Offer everyone in the annotators table (and any layer found); new names start
        checked, the user's choices for known names stay."""
        try:
            names = [person.name for person in self._window.app.people.all()]
        except DatabaseError as exc:  # the list keeps what it had
            log.info("annotators not read: %s", exc)
            names = []
        for name in [*names, *extra]:
            if name not in self._annotator_checks:
                check = self._check(f"agreementAnnotator_{name}", name)
                row = self._annotator_row
                row.insertWidget(row.count() - 1, check)  # before the stretch
                self._annotator_checks[name] = check

    @staticmethod
    def _chosen(checks: dict[str, QCheckBox]) -> list[str] | None:
        """None when every box is checked: every label used / annotator with a layer."""
        chosen = [key for key, check in checks.items() if check.isChecked()]
        return None if len(chosen) == len(checks) else chosen

    # -- computing ----------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._thread is not None

    def _compute_or_cancel(self) -> None:
        if self.is_running():
            self.cancel()
        else:
            self.compute()

    def compute(self) -> None:
        if self.is_running():
            return
        self.refresh_annotators()
        labels = self._chosen(self._label_checks)
        annotators = self._chosen(self._annotator_checks)
        if labels == []:
            self._fail("Choose at least one label.")
            return
        if annotators is not None and len(annotators) < 2:
            self._fail("Choose at least two annotators to compare.")
            return
        documents = None
        if self._only_document.isChecked():
            document = self._window.document
            if document is None:
                self._fail("Open a document first, or clear “Only the open document”.")
                return
            documents = [document.id]
        job = agreement_job(self._window.app, labels=labels, annotators=annotators,
                            document_ids=documents)  # fmt: skip
        thread = TaskThread(job, self)
        thread.progressed.connect(self._on_progress)
        thread.finished.connect(self._on_finished)
        self._thread = thread
        self._progress.setRange(0, 0)
        self._progress.show()
        self._compute.setText("Cancel")
        self._status.setStyleSheet("")
        self._status.setText("Computing… (Esc cancels)")
        thread.start()

    def cancel(self) -> None:
        if self._thread is not None:
            self._thread.cancel()
            self._status.setText("Cancelling…")

    def shutdown(self) -> None:
        """Cancel and join a running computation (the window closing, or its database
        about to be closed): no worker may outlive the connection it reads through."""
        thread = self._thread
        if thread is None:
            return
        thread.progressed.disconnect(self._on_progress)
        thread.finished.disconnect(self._on_finished)
        thread.cancel()
        thread.wait()
        self._done(thread)

    def reset(self) -> None:
        """Another database was opened: its people, and none of these figures."""
        self.shutdown()
        self._result = None
        self._export.setEnabled(False)
        for table in (self.overall, self.per_document):
            table.figures().set_rows([], [])
        for check in self._annotator_checks.values():
            self._annotator_row.removeWidget(check)
            check.deleteLater()
        self._annotator_checks.clear()
        self.refresh_annotators()
        self._status.setStyleSheet("")
        self._status.setText("Choose labels and annotators, then Compute (Enter).")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, _what: str) -> None:
        if self._thread is None or self._thread.is_cancel_requested():
            return
        if total:
            self._progress.setRange(0, total)
            self._progress.setValue(min(done, total))

    @Slot()
    def _on_finished(self) -> None:
        thread = self._thread
        if thread is not None:
            thread.wait()
            self._done(thread)

    def _done(self, thread: TaskThread) -> None:
        self._thread = None
        thread.deleteLater()
        self._progress.hide()
        self._compute.setText("Compute")
        if thread.was_cancelled:
            kept = " The figures shown are from before." if self._result else ""
            self._status.setText(f"Cancelled.{kept}")
        elif thread.error is not None:
            self._fail(f"Could not compute the agreement: {thread.error}")
        else:
            result = thread.result
            assert isinstance(result, AgreementResult)
            self._show(result)

    def _fail(self, message: str) -> None:
        self._status.setStyleSheet(f"color: {FAILED_COLOR};")
        self._status.setText(message)
        self.failed.emit(message)

    # -- results ------------------------------------------------------------------------------

    def result(self) -> AgreementResult | None:
        return self._result

    def _label_name(self, key: str) -> str:
        label = self._window.app.tagset.get(key)
        return label.name if label else key

    def _show(self, result: AgreementResult) -> None:
        self._result = result
        report = result.report
        self.refresh_annotators(report.annotators)
        self.overall.figures().set_rows(figure_columns(report, errors=True),
                                        overall_rows(report, self._label_name))  # fmt: skip
        self.per_document.figures().set_rows(
            figure_columns(report, errors=False),
            document_rows(report, result.titles, self._label_name))  # fmt: skip
        for table in (self.overall, self.per_document):
            table.fit_columns()
        self._export.setEnabled(True)
        self._status.setStyleSheet("")
        self._status.setText(self._summary(report))
        self.computed.emit(report)

    def _summary(self, report: AgreementReport) -> str:
        who = ", ".join(report.annotators) or "nobody"
        noun = "document" if report.documents == 1 else "documents"
        when = dt.datetime.now().strftime("%H:%M:%S")
        errors = report.errors
        spans = "error span" if errors.matched == 1 else "error spans"
        text = (f"{who}: {report.documents} {noun} annotated by two or more · "
                f"{errors.matched} {spans} matched exactly, error type agrees "
                f"{figure_text(errors.error_type)}, correction agrees "
                f"{figure_text(errors.correction)} · computed {when}")  # fmt: skip
        if len(report.annotators) < 2:
            text = f"Fewer than two annotators have a layer: nothing to compare. {text}"
        elif not report.documents:
            text = f"No document was annotated by two of these annotators. {text}"
        return text

    def _on_document_activated(self, index) -> None:
        document = self.per_document.figures().row(index.row()).document_id
        if document is not None:
            self.documentChosen.emit(document)

    def take_focus(self) -> None:
        """The dock was just shown from the View menu: on top of its tab group, and keys go
        to it at once."""
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.raise_()
            main = dock.parentWidget()
            # Room for the filters and a few rows of figures: the tab it shares with the
            # annotation table starts lower than that.
            wanted = min(SHOWN_HEIGHT, main.height() * 45 // 100) if main else 0
            if isinstance(main, QMainWindow) and dock.height() < wanted:
                main.resizeDocks([dock], [wanted], Qt.Orientation.Vertical)
        target = self.overall if self.overall.figures().rowCount() else self._compute
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- export -------------------------------------------------------------------------------

    def choose_export(self) -> None:
        if self._result is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export agreement as CSV",
                                              "agreement.csv", "CSV (*.csv)")  # fmt: skip
        if path:
            out = Path(path)
            self.export_csv(out if out.suffix.lower() == ".csv" else out.with_name(
                f"{out.name}.csv"))  # fmt: skip

    def export_csv(self, path: Path) -> bool:
        """Write the figures shown, as the command line's ``-o`` writes them."""
        if self._result is None:
            return False
        try:
            count = write_agreement_csv(self._result.report, path)
        except OSError as exc:
            self._fail(f"Could not write {path}: {exc.strerror or exc}")
            return False
        self._status.setStyleSheet("")
        self._status.setText(f"Wrote {count} rows to {path}")
        return True
