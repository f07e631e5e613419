"""View ▸ Dashboard (Ctrl+Shift+D): the desk's progress as charts.

The counts (done over time, spans per label and person, error types, suggestions per rule)
come from ``desk_stats``, GROUP BY queries whose cost does not grow in Python with the corpus,
so they are read on the GUI thread. Agreement per label compares the layers span by span
(``gather_layers`` and ``measure``, as ``annotator agreement`` does) and does grow with the
corpus: it runs in a ``TaskThread`` while its chart says "Computing…", and fills in after.

The dialog is not modal: it can stay open beside the article, and F5 (or Refresh) reads the
figures again. No worker outlives the window: closing the window cancels and joins it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport, measure
from annotator.services.agreement import gather_layers
from annotator.services.annotations import CURATED
from annotator.services.app import App
from annotator.services.desk_stats import DeskStats, desk_stats
from annotator.services.progress import Reporter
from annotator.ui.panels.dashboard_charts import (
    ChartPanel,
    acceptance_chart,
    agreement_chart,
    done_over_time_chart,
    grouped_bars_chart,
    person_colors,
    rows_height,
    stacked_rows_chart,
)
from annotator.ui.window.workers import TaskThread

log = logging.getLogger(__name__)

DONE, SPANS, ERRORS, AGREEMENT, RULES = "done", "spans", "errors", "agreement", "rules"
COMPUTING = "Computing agreement…"


class DashboardWindow(Protocol):
    app: App


def label_agreement(report: AgreementReport) -> dict[str, tuple[float | None, float | None]]:
    """label -> (Cohen's kappa averaged over the pairs where it is defined, Krippendorff's
    alpha over everyone). With two annotators the mean is their one kappa."""
    figures = {}
    for label, result in report.labels.items():
        kappas = [p.kappa for p in result.pairs if p.kappa is not None]
        figures[label] = (sum(kappas) / len(kappas) if kappas else None, result.alpha)
    return figures


def _agreement_job(app: App):
    def run(reporter: Reporter) -> AgreementReport:
        def layers():
            for n, doc in enumerate(gather_layers(app.db)):
                reporter.step(n, 0)  # raises Cancelled once Refresh or closing asked
                yield doc

        return measure(layers())

    return run


class Dashboard(QDialog):
    refreshed = Signal(object)  # the DeskStats drawn
    agreementShown = Signal(object)  # the AgreementReport drawn, or None (failed, cancelled)

    def __init__(self, window: DashboardWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardDialog")
        self.setWindowTitle("Dashboard")
        self.setAccessibleName("Desk dashboard")
        self._window = window
        self._thread: TaskThread | None = None
        self._finishing: list[TaskThread] = []  # cancelled ones, joined when they end
        self.stats: DeskStats | None = None

        self.summary = QLabel()
        self.summary.setObjectName("dashboardSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.setToolTip("Read the figures again (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        refresh = QShortcut(QKeySequence(Qt.Key.Key_F5), self)
        refresh.activated.connect(self.refresh)

        self.panels = {
            DONE: ChartPanel("dashboardDone", "Documents done per annotator over time"),
            SPANS: ChartPanel("dashboardSpans", "Accepted spans per label and annotator"),
            ERRORS: ChartPanel("dashboardErrors", "Error spans per error type"),
            AGREEMENT: ChartPanel("dashboardAgreement", "Agreement per label"),
            RULES: ChartPanel("dashboardRules", "Suggestion acceptance per rule"),
        }
        grid = QGridLayout()
        grid.setSpacing(8)
        grid.addWidget(self.panels[DONE], 0, 0)
        grid.addWidget(self.panels[SPANS], 0, 1)
        grid.addWidget(self.panels[ERRORS], 1, 0)
        grid.addWidget(self.panels[AGREEMENT], 1, 1)
        grid.addWidget(self.panels[RULES], 2, 0, 1, 2)  # long rule names need the width
        for row in range(3):
            grid.setRowStretch(row, 1)  # a chart and a message card get the same height
        body = QWidget()
        body.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        screen = (parent.screen() if parent is not None else self.screen()).availableSize()
        self.resize(min(1240, int(screen.width() * 0.95)), min(860, int(screen.height() * 0.9)))
        if parent is not None:
            # Closing the window must join the worker before Qt deletes this dialog with it.
            parent.installEventFilter(self)

    def chart(self, name: str):
        """The QChart a panel shows (None while a message stands in for it): for tests."""
        return self.panels[name].chart()

    # -- reading the figures ------------------------------------------------------------------
    def refresh(self) -> None:
        app = self._window.app
        labels = {label.key: label.name for label in app.tagset.labels}
        errors = [label.key for label in app.tagset.labels if label.error_types]
        stats = desk_stats(app.db, error_labels=errors or ("error",))
        self.stats = stats
        self._draw_counts(stats, labels)
        self._start_agreement(app)
        self.refreshed.emit(stats)

    def _draw_counts(self, stats: DeskStats, names: dict[str, str]) -> None:
        people = [n for n in stats.annotators if n != CURATED]
        colors = person_colors(stats.annotators)
        done = sum(p.done for p in stats.progress.values())
        assigned = sum(p.assigned for p in stats.progress.values())
        decided = sum(r.decided for r in stats.rules)
        accepted = sum(r.accepted for r in stats.rules)
        # A document done by two people counts twice: it is two people's work.
        progress = (f"<b>{done}</b> of <b>{assigned}</b> assignments done" if assigned
                    else f"<b>{done}</b> marked done")  # fmt: skip
        self.summary.setText(
            f"<b>{len(people)}</b> annotator{'s' if len(people) != 1 else ''} · {progress} · "
            f"suggestions accepted <b>{accepted}</b> of <b>{decided}</b> decided · "
            f"updated {dt.datetime.now():%H:%M:%S}"
        )
        cumulative = {n: pts for n in people if (pts := stats.done_cumulative(n))}
        if cumulative:
            self.panels[DONE].show_chart(done_over_time_chart(cumulative, colors))
        else:
            self.panels[DONE].show_message(
                "No documents done yet.<br>Mark one done with Document ▸ Mark next status "
                "(Ctrl+M).", title="Documents done per annotator (cumulative)")  # fmt: skip
        keys = [k for k in names if any((n, k) in stats.spans for n in stats.annotators)]
        keys += [k for k in stats.labels if k not in names]  # a label the tagset lost
        layers = [n for n in stats.annotators if any((n, k) in stats.spans for k in keys)]
        if keys:
            self.panels[SPANS].show_chart(grouped_bars_chart(
                "Accepted spans per label and annotator", [names.get(k, k) for k in keys],
                layers, stats.spans, colors, keys=keys))  # fmt: skip
        else:
            self.panels[SPANS].show_message(
                "No accepted spans yet.", title="Accepted spans per label and annotator"
            )
        kinds = stats.error_types
        if kinds:
            holders = [n for n in stats.annotators if any((n, k) in stats.errors for k in kinds)]
            self.panels[ERRORS].show_chart(stacked_rows_chart(
                "Error spans per error type", [k.replace("_", " ") for k in kinds], holders,
                stats.errors, colors, keys=kinds))  # fmt: skip
        else:
            self.panels[ERRORS].show_message(
                "No error spans yet.", title="Error spans per error type"
            )
        if stats.rules:
            self.panels[RULES].setMinimumHeight(rows_height(len(stats.rules)))
            self.panels[RULES].show_chart(acceptance_chart(
                [(r.rule, r.accepted, r.rejected, r.pending, r.acceptance_rate)
                 for r in stats.rules]))  # fmt: skip
        else:
            self.panels[RULES].show_message(
                "No suggestions yet.<br>Document ▸ Suggest (Ctrl+G) proposes some.",
                title="Suggestions accepted, per rule")  # fmt: skip

    # -- agreement, off the GUI thread --------------------------------------------------------
    def _start_agreement(self, app: App) -> None:
        self._cancel_running()
        self.panels[AGREEMENT].show_message(COMPUTING, title="Agreement per label")
        thread = TaskThread(_agreement_job(app), self)
        # A bound slot, not a lambda: Qt then queues the call to this (the GUI) thread.
        thread.finished.connect(self._on_agreement_finished)
        self._thread = thread
        thread.start()

    def is_computing(self) -> bool:
        return self._thread is not None

    def _cancel_running(self) -> None:
        if self._thread is not None:
            self._thread.cancel()
            self._finishing.append(self._thread)
            self._thread = None

    def _on_agreement_finished(self) -> None:
        thread = self.sender()
        if thread in self._finishing:  # a refresh or a close replaced it: nothing to show
            self._finishing.remove(thread)
            self._dispose(thread)
            return
        if thread is None or thread is not self._thread:
            return  # already joined by shutdown()
        self._thread = None
        report = thread.result if isinstance(thread.result, AgreementReport) else None
        error = thread.error
        self._dispose(thread)
        if error is not None or report is None:
            self.panels[AGREEMENT].show_message(
                f"Could not compute the agreement: {error or 'cancelled'}",
                title="Agreement per label")  # fmt: skip
        else:
            self._draw_agreement(report)
        self.agreementShown.emit(report)

    def _dispose(self, thread: TaskThread) -> None:
        thread.finished.disconnect(self._on_agreement_finished)
        thread.wait()
        thread.deleteLater()

    def _draw_agreement(self, report: AgreementReport) -> None:
        panel = self.panels[AGREEMENT]
        figures = label_agreement(report)
        if report.documents == 0 or not figures:
            panel.show_message(
                "Agreement needs two annotators' accepted spans on the same document.",
                title="Agreement per label")  # fmt: skip
            return
        names = {label.key: label.name for label in self._window.app.tagset.labels}
        order = [k for k in names if k in figures] + sorted(k for k in figures if k not in names)
        panel.show_chart(
            agreement_chart([names.get(k, k) for k in order], [figures[k] for k in order])
        )
        chart = panel.chart()
        if chart is not None:
            chart.setTitle(
                f"<b>Agreement per label</b> ({report.documents} documents, "
                f"{', '.join(report.annotators)})"
            )

    def shutdown(self) -> None:
        """Cancel and join every worker: the window is closing."""
        self._cancel_running()
        while self._finishing:
            self._dispose(self._finishing.pop())

    # -- closing --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self._cancel_running()  # nobody is looking; the thread ends at its next document
        super().closeEvent(event)

    def reject(self) -> None:  # Esc
        self._cancel_running()
        super().reject()


def open_dashboard(window: QWidget) -> Dashboard:
    """Show the window's dashboard (made on first use) with fresh figures."""
    dashboard = window.findChild(Dashboard, "dashboardDialog")
    if dashboard is None:
        dashboard = Dashboard(window, window)  # type: ignore[arg-type]  # MainWindow has .app
    if dashboard.isVisible():
        dashboard.raise_()  # behind the window: bring it forward
        dashboard.activateWindow()
    else:
        layout = dashboard.layout()
        if layout is not None:
            layout.activate()  # size constraints settled before the native window
        dashboard.show()
    dashboard.refresh()
    return dashboard
