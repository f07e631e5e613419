"""The article gets the room on a small screen: when the window shrinks, the side docks narrow
to their minimum useful widths, then the document list collapses; growing gives it all back.

What a fact-checker reads is the article, so it keeps at least ``MIN_READABLE_CHARS`` average
characters a line whenever the window can afford it. The order follows what checking one
article needs: the document list only to move to another article (S/D and Page Up/Down still
do that with the list hidden, Ctrl+L brings it back), the inspector for every span. So the
list goes first and the inspector is only ever narrowed, never collapsed. The annotation table
under the article gives up height the same way (down to ``MIN_TABLE_HEIGHT``).

What was changed automatically is put back automatically, and only that: a dock the user
closed stays closed, and one the user opened again while it was collapsed is theirs again.
The set of docks collapsed this way is kept in QSettings, so a session closed on a laptop
screen shows the list again when next opened on a large one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow

from annotator.ui.widgets.document_view import DOCUMENT_MARGIN, DocumentView

#: Average characters a line the article keeps before any dock gives up room for it.
MIN_READABLE_CHARS = 60
#: Lines of article the annotation table leaves before it gives up height.
MIN_ARTICLE_LINES = 12
#: Below these a dock stops being useful: the list's titles are cut to a word, the
#: inspector's fields to a few letters.
MIN_USEFUL_WIDTH = {"documentsDock": 200, "inspectorDock": 260}
MIN_TABLE_HEIGHT = 130
TABLE = "annotationsDock"
#: The only dock collapsed (hidden) when narrowing is not enough.
COLLAPSIBLE = "documentsDock"
COLLAPSED_KEY = "window/autoCollapsedDocks"
#: The list's width when it comes back after a restart (its earlier width is not kept).
RESTORED_WIDTH = 300
#: A dock's separator and frame, counted when a collapsed dock comes back.
SEPARATOR = 6

_SIDES = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)


def readable_width(view: DocumentView) -> int:
    """Pixels the article view needs for ``MIN_READABLE_CHARS`` average characters a line."""
    chars = view.fontMetrics().averageCharWidth() * MIN_READABLE_CHARS
    chrome = 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
    return chars + 2 * DOCUMENT_MARGIN + chrome


def _names(value: object) -> set[str]:
    # QSettings' INI format gives back a one-item list as a bare string.
    if isinstance(value, str):
        return {value} if value else set()
    return {str(item) for item in value} if isinstance(value, list | tuple) else set()


class DockFitter(QObject):
    """Watches the window's size and fits the docks around a readable article (see above)."""

    def __init__(
        self, window: QMainWindow, view: DocumentView, docks: list[QDockWidget], settings: QSettings
    ) -> None:
        super().__init__(window)
        self.setObjectName("dockFitter")
        self._window = window
        self._view = view
        self._docks = {dock.objectName(): dock for dock in docks}
        self._settings = settings
        #: Docks hidden here, to be shown again when there is room.
        self.collapsed = _names(settings.value(COLLAPSED_KEY)) & set(self._docks)
        #: The width (the table: height) each dock had before any fitting, or that the user
        #: dragged it to since: what growing gives back.
        self.natural: dict[str, int] = {}
        self._fitted_size = window.size()
        self._fitting = False
        # Once per burst of resize events (a drag sends dozens), after the layout has settled.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        for dock in docks:
            dock.visibilityChanged.connect(lambda _on, dock=dock: self._user_toggled(dock))
            dock.installEventFilter(self)
        window.installEventFilter(self)

    def _size(self, dock: QDockWidget) -> int:
        return dock.height() if dock.objectName() == TABLE else dock.width()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        elif (
            kind == QEvent.Type.Resize and isinstance(watched, QDockWidget) and self._user_dragged()
        ):
            self.natural[watched.objectName()] = self._size(watched)
        return super().eventFilter(watched, event)

    def _user_dragged(self) -> bool:
        """A dock resized with a mouse button down and the window's size unchanged: the user
        dragged a separator (a window resize or a fit here changes docks with neither)."""
        return (
            not self._fitting
            and self._window.size() == self._fitted_size
            and QApplication.mouseButtons() != Qt.MouseButton.NoButton
        )

    def _user_toggled(self, dock: QDockWidget) -> None:
        name = dock.objectName()
        if not self._fitting and name in self.collapsed and not dock.isHidden():
            self._forget_collapsed(name)  # opened again by the user: theirs now

    def _forget_collapsed(self, name: str) -> None:
        self.collapsed.discard(name)
        self._settings.setValue(COLLAPSED_KEY, sorted(self.collapsed))

    def _side_docks(self) -> list[QDockWidget]:
        return [dock for name, dock in self._docks.items()
                if name in MIN_USEFUL_WIDTH and not dock.isHidden() and not dock.isFloating()
                and self._window.dockWidgetArea(dock) in _SIDES]  # fmt: skip

    def fit(self) -> None:
        window = self._window
        if not window.isVisible() or window.isMinimized() or self._fitting:
            return
        self._fitting = True
        try:
            for name, dock in self._docks.items():
                if name not in self.natural and not dock.isHidden():
                    self.natural[name] = self._size(dock)  # as restored or first laid out
            spare = self._view.width() - readable_width(self._view)
            if spare < 0:
                self._make_room(-spare)
            else:
                self._give_back(spare)
            self._fit_height()
        finally:
            self._fitted_size = window.size()
            self._fitting = False

    def _make_room(self, deficit: int) -> None:
        docks = self._side_docks()
        widths = []
        for dock in docks:
            floor = max(MIN_USEFUL_WIDTH[dock.objectName()], dock.minimumSizeHint().width())
            give = max(0, min(deficit, dock.width() - floor))
            deficit -= give
            widths.append(dock.width() - give)
        if docks:
            self._window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
        collapsible = self._docks.get(COLLAPSIBLE)
        if deficit > 0 and collapsible is not None and collapsible in docks:
            if collapsible.isAncestorOf(self._window.focusWidget()):
                self._view.setFocus(Qt.FocusReason.OtherFocusReason)
            collapsible.hide()
            self.collapsed.add(COLLAPSIBLE)
            self._settings.setValue(COLLAPSED_KEY, sorted(self.collapsed))

    def _give_back(self, spare: int) -> None:
        dock = self._docks.get(COLLAPSIBLE)
        if dock is not None and COLLAPSIBLE in self.collapsed:
            floor = max(MIN_USEFUL_WIDTH[COLLAPSIBLE], dock.minimumSizeHint().width())
            if spare < floor + SEPARATOR:
                return  # the narrowed docks wait too: the list comes back first
            width = min(self.natural.get(COLLAPSIBLE, RESTORED_WIDTH), spare - SEPARATOR)
            dock.show()
            self._window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
            self._forget_collapsed(COLLAPSIBLE)
            spare -= width + SEPARATOR
        docks, widths = [], []
        for dock in self._side_docks():
            grow = min(spare, self.natural.get(dock.objectName(), 0) - dock.width())
            if grow > 0:
                docks.append(dock)
                widths.append(dock.width() + grow)
                spare -= grow
        if docks:
            self._window.resizeDocks(docks, widths, Qt.Orientation.Horizontal)

    def _fit_height(self) -> None:
        table = self._docks.get(TABLE)
        if (
            table is None
            or table.isHidden()
            or table.isFloating()
            or self._window.dockWidgetArea(table) != Qt.DockWidgetArea.BottomDockWidgetArea
        ):
            return
        spare = self._view.height() - MIN_ARTICLE_LINES * self._view.fontMetrics().lineSpacing()
        if spare < 0:
            floor = max(MIN_TABLE_HEIGHT, table.minimumSizeHint().height())
            height = min(table.height(), max(floor, table.height() + spare))
        else:
            height = max(
                table.height(), min(self.natural.get(TABLE, table.height()), table.height() + spare)
            )
        if height != table.height():
            self._window.resizeDocks([table], [height], Qt.Orientation.Vertical)
