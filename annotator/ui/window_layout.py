"""How the main window is laid out: docks around the article, the status bar, and the layout
remembered between sessions (QSettings ``saveGeometry``/``saveState``)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

#: Bump when the docks change, so an old saved state is ignored rather than misapplied.
STATE_VERSION = 1
DEFAULT_SIZE = (1360, 860)


@dataclass
class Docks:
    documents: QDockWidget
    inspector: QDockWidget
    annotations: QDockWidget

    def all(self) -> list[QDockWidget]:
        return [self.documents, self.inspector, self.annotations]


def _dock(window: QMainWindow, title: str, name: str, widget: QWidget,
          area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(name)  # saveState() finds docks by name
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(area, dock)
    return dock


def build_docks(window: MainWindow) -> Docks:
    # The side docks own the bottom corners: the document list and the inspector run the
    # full height, and the annotation table sits under the article only.
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    side = QWidget()
    side.setObjectName("labelsAndSpan")
    column = QVBoxLayout(side)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(window.palette)
    column.addWidget(window.inspector, 1)
    # Scrolls rather than grows: an error span shows more fields than an athlete, and the
    # window must not change its minimum size (or push the article aside) with each click.
    scroller = QScrollArea()
    scroller.setObjectName("inspectorScroll")
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroller.setWidget(side)
    return Docks(
        documents=_dock(window, "Documents", "documentsDock", window.documents_panel,
                        Qt.DockWidgetArea.LeftDockWidgetArea),
        inspector=_dock(window, "Labels and span", "inspectorDock", scroller,
                        Qt.DockWidgetArea.RightDockWidgetArea),
        annotations=_dock(window, "Annotations", "annotationsDock", window.table,
                          Qt.DockWidgetArea.BottomDockWidgetArea),
    )


class SaveStateLabel(QLabel):
    """Says whether the last change reached the database. Every change commits at once, so
    "saved" is the normal state and a failure must stand out until the next success."""

    def __init__(self) -> None:
        super().__init__("All changes saved")
        self.setObjectName("savedState")
        self.setAccessibleName("Save state")

    def mark_saved(self) -> None:
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.setText(f"All changes saved · {now}")
        self.setToolTip("Every change is written to the database the moment you make it")
        self.setStyleSheet("")

    def mark_failed(self, reason: str) -> None:
        self.setText(f"Not saved: {reason}")
        self.setToolTip(reason)
        self.setStyleSheet("color: #b3261e;")


def build_status_bar(window: QMainWindow) -> tuple[SaveStateLabel, QLabel]:
    """(saved-state label, database label), both permanent: transient messages use the left."""
    bar = window.statusBar()
    bar.setObjectName("statusBar")
    saved = SaveStateLabel()
    database = QLabel()
    database.setObjectName("databaseLabel")
    database.setAccessibleName("Database")
    bar.addPermanentWidget(saved)
    bar.addPermanentWidget(database)
    return saved, database


def restore_layout(window: QMainWindow, docks: Docks, settings: QSettings) -> None:
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*DEFAULT_SIZE)
        window.resizeDocks([docks.documents, docks.inspector], [300, 340],
                           Qt.Orientation.Horizontal)
        window.resizeDocks([docks.annotations], [250], Qt.Orientation.Vertical)
    if state is not None and not window.restoreState(state, STATE_VERSION):
        log.info("ignoring a saved window layout from another version")


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(STATE_VERSION))
    settings.sync()
