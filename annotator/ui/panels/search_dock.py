"""Where the corpus search panel lives: a dock beside the annotation table, hidden until
Ctrl+Shift+F, handing the keys back to the article whenever it goes away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QWidget

from annotator.ui.panels.search import SearchPanel


class SearchDock(QDockWidget):
    """The panel's dock; closed by its button, it hands the keys back to the article."""

    def __init__(self, window: QMainWindow, back_to: QWidget) -> None:
        super().__init__("Search", window)
        self._back_to = back_to

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self._back_to.setFocus(Qt.FocusReason.OtherFocusReason)


def add_search_dock(
    window: QMainWindow, panel: SearchPanel, beside: QDockWidget, back_to: QWidget
) -> QDockWidget:
    """A tab beside ``beside`` (the annotation table), hidden until Ctrl+Shift+F."""
    dock = SearchDock(window, back_to)
    dock.setObjectName("searchDock")  # saveState() finds docks by name
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    window.tabifyDockWidget(beside, dock)
    dock.hide()
    return dock


def toggle_search(dock: QDockWidget, panel: SearchPanel, view: QWidget) -> None:
    """Ctrl+Shift+F: show the dock with the focus in the query; pressed again while in the
    panel, hide it and go back to the article."""
    focus = QApplication.focusWidget()
    if dock.isVisible() and focus is not None and panel.isAncestorOf(focus):
        dock.hide()
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return
    dock.show()
    dock.raise_()
    panel.take_focus()
