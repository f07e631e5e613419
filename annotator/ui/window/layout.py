"""How the main window is laid out: docks around the article, the status bar, and the layout
remembered between sessions (QSettings ``saveGeometry``/``saveState``).

On a small screen (1024×700, or a window made smaller) the article gets the room
(``dock_fitting``): the document list and the inspector narrow to their minimum useful widths
first, then the document list is hidden (S/D and Page Up/Down still change document, Ctrl+L
shows it); the inspector is never hidden, and the annotation table gives up height. When the
window grows again, what was narrowed or hidden that way comes back by itself; a dock the user
closed stays closed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.widgets.annotation_table import AnnotationPanel
from annotator.ui.window.dock_fitting import DockFitter

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

#: Bump when the docks change, so an old saved state is ignored rather than misapplied.
#: (A dock added since is fine: restoreState leaves it where build_docks put it.)
STATE_VERSION = 1
DEFAULT_SIZE = (1360, 860)
MAX_SAVED_WIDTH = 420
FAILED_COLOR = "#b3261e"


@dataclass
class Docks:
    documents: QDockWidget
    inspector: QDockWidget
    annotations: QDockWidget
    history: QDockWidget
    agreement: QDockWidget

    def all(self) -> list[QDockWidget]:
        return [self.documents, self.inspector, self.annotations, self.history, self.agreement]


def _dock(
    window: QMainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
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
    column.addWidget(window.label_palette)
    column.addWidget(window.inspector, 1)
    # Scrolls rather than grows: an error span shows more fields than an athlete, and the
    # window must not change its minimum size (or push the article aside) with each click.
    scroller = QScrollArea()
    scroller.setObjectName("inspectorScroll")
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroller.setWidget(side)
    docks = Docks(
        documents=_dock(
            window,
            "Documents",
            "documentsDock",
            window.documents_panel,
            Qt.DockWidgetArea.LeftDockWidgetArea,
        ),
        inspector=_dock(
            window,
            "Labels and span",
            "inspectorDock",
            scroller,
            Qt.DockWidgetArea.RightDockWidgetArea,
        ),
        annotations=_dock(
            window,
            "Annotations",
            "annotationsDock",
            AnnotationPanel(window.table, window.app.tagset),
            Qt.DockWidgetArea.BottomDockWidgetArea,
        ),
        history=_dock(
            window, "History", "historyPanel", window.history, Qt.DockWidgetArea.RightDockWidgetArea
        ),
        agreement=_dock(
            window,
            "Agreement",
            "agreementDock",
            window.agreement,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        ),
    )
    # A tab beside the annotation table (its tables are wide), shown on demand (View menu).
    window.tabifyDockWidget(docks.annotations, docks.agreement)
    docks.agreement.hide()
    # Under the inspector: the selected span's fields, then who changed them. The inspector
    # rarely needs its full height, and the table keeps the whole width under the article.
    window.splitDockWidget(docks.inspector, docks.history, Qt.Orientation.Vertical)
    return docks


class SaveStateLabel(QLabel):
    """Says whether the last change reached the database. Every change commits at once, so
    "saved" is the normal state and a failure must stand out until the next success.

    A reason can be long ("…changed by maria at 14:03:05"); the label is drawn elided to the
    room it gets, with the whole text in its tooltip and ``text()``, so it can never push the
    status bar's other labels (or itself) out of sight."""

    def __init__(self) -> None:
        super().__init__("All changes saved")
        self.setObjectName("savedState")
        self.setAccessibleName("Save state")
        self.setMaximumWidth(MAX_SAVED_WIDTH)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("Not saved: …")),
                     hint.height())  # fmt: skip

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             rect.width())  # fmt: skip
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(),
                                  self.isEnabled(), text, self.foregroundRole())  # fmt: skip
        painter.end()

    def mark_saved(self) -> None:
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.setText(f"All changes saved · {now}")
        self.setToolTip("Every change is written to the database the moment you make it")
        self.setStyleSheet("")

    def mark_failed(self, reason: str) -> None:
        self.setText(f"Not saved: {reason}")
        self.setToolTip(f"Not saved: {reason}")
        self.setStyleSheet(f"color: {FAILED_COLOR};")


@dataclass
class StatusLabels:
    """The status bar's permanent labels; transient messages use its left part."""

    connection: QLabel  # shown only while the server is out of reach
    saved: SaveStateLabel
    user: QLabel
    database: QLabel
    pending: QLabel  # review progress: pending suggestions here and in the corpus


def _permanent(name: str, accessible: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    return label


def build_status_bar(window: QMainWindow) -> StatusLabels:
    bar = window.statusBar()
    bar.setObjectName("statusBar")
    labels = StatusLabels(
        connection=_permanent("connectionLabel", "Connection"),
        saved=SaveStateLabel(),
        user=_permanent("userLabel", "User"),
        database=_permanent("databaseLabel", "Database"),
        pending=_permanent("pendingLabel", "Pending suggestions"),
    )
    labels.connection.setStyleSheet(f"color: {FAILED_COLOR}; font-weight: bold;")
    labels.connection.hide()
    for label in (labels.connection, labels.pending, labels.saved, labels.user, labels.database):
        bar.addPermanentWidget(label)
    return labels


def restore_layout(window: MainWindow, docks: Docks, settings: QSettings) -> DockFitter:
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if geometry is None or not window.restoreGeometry(geometry):
        # First start: no larger than the screen (a laptop's 1024x700 is smaller than the
        # default), so the docks fit the room there is rather than run off the edge.
        room = window.screen().availableGeometry()
        window.resize(min(DEFAULT_SIZE[0], room.width()), min(DEFAULT_SIZE[1], room.height()))
        window.resizeDocks(
            [docks.documents, docks.inspector], [300, 340], Qt.Orientation.Horizontal
        )
        window.resizeDocks([docks.annotations], [250], Qt.Orientation.Vertical)
        window.resizeDocks([docks.inspector, docks.history], [560, 240], Qt.Orientation.Vertical)
    if state is not None and not window.restoreState(state, STATE_VERSION):
        log.info("ignoring a saved window layout from another version")
    # After the saved state: it may hold the list collapsed on a smaller screen last time.
    return DockFitter(window, window.view, docks.all(), settings)


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(STATE_VERSION))
    settings.sync()
