"""The error type, one key after the error label key: a small popup beside the new span.

m misspelled name, s misspelling, d wrong date, n wrong number, f wrong fact, o other (a
tagset's own types get the first free letter of their name). Up/Down and Enter or a click
choose too; Esc, or a click elsewhere, leaves the type unset. The popup only says what was
chosen: the window saves it through the command layer.

It is a frame floating over the window, not a Qt.Popup window: a popup grabs keyboard and
mouse, which the offscreen platform (the tests) cannot do, and a child frame needs no window
manager. The chooser claims its letter keys at ShortcutOverride, so "d" (wrong date) never
reaches the window's "next document" shortcut.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)

#: The guide's error types and their keys (ANNOTATION_GUIDE.md, "error").
KEYS: dict[str, str] = {
    "misspelled_name": "m",
    "misspelling": "s",
    "wrong_date": "d",
    "wrong_number": "n",
    "wrong_fact": "f",
    "other": "o",
}


def error_type_keys(error_types: Sequence[str]) -> dict[str, str]:
    """key -> error type, for the types a label allows, in their order."""
    by_key: dict[str, str] = {}
    for name in error_types:
        key = KEYS.get(name)
        if key is None or key in by_key:
            key = next((ch for ch in name.lower() if ch.isalpha() and ch not in by_key), None)
        if key is not None:
            by_key[key] = name
    return by_key


class ErrorTypeChooser(QFrame):
    """A popup list of error types, keyboard first. Emits ``chosen`` (type) or ``cancelled``
    (Esc) while it still has the focus, then closes: the receiver moves the focus on. Focus
    leaving it otherwise (a click elsewhere) closes it quietly."""

    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorTypeChooser")
        self.setAccessibleName("Error type")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Raised)
        self.setAutoFillBackground(True)
        self.hide()
        self._by_key: dict[str, str] = {}
        self._answered = True
        title = QLabel("Error type  (Esc: later)")
        title.setEnabled(False)
        self.list = QListWidget()
        self.list.setObjectName("errorTypeList")
        self.list.setAccessibleName("Error types")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(self._choose_item)
        self.list.itemClicked.connect(self._choose_item)
        self.list.installEventFilter(self)
        self.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addWidget(self.list)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def keys(self) -> dict[str, str]:
        return dict(self._by_key)

    def open_at(self, error_types: Sequence[str], at: QPoint) -> None:
        """Show the types at ``at`` (global position: just below the span), inside the
        parent's area."""
        self._by_key = error_type_keys(error_types)
        self.list.clear()
        for key, name in self._by_key.items():
            item = QListWidgetItem(f"{key}   {name.replace('_', ' ')}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        rows = self.list.count()
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * rows + 2 * self.list.frameWidth())
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 12)
        self.adjustSize()
        parent = self.parentWidget()
        if parent is not None:
            at = parent.mapFromGlobal(at)
            at = QPoint(max(0, min(at.x(), parent.width() - self.width())),
                        max(0, min(at.y(), parent.height() - self.height())))  # fmt: skip
        self.move(at)
        self._answered = False
        self.show()
        self.raise_()
        self.list.setFocus(Qt.FocusReason.PopupFocusReason)

    def _choose_item(self, item: QListWidgetItem) -> None:
        self._choose(item.data(Qt.ItemDataRole.UserRole))

    def _choose(self, name: str | None) -> None:
        if self._answered:
            return
        self._answered = True
        if name:
            self.chosen.emit(name)
        else:
            self.cancelled.emit()
        self.hide()

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self._answered and (new is None or not self.isAncestorOf(new)):
            self._answered = True  # clicked elsewhere: closed, the type stays unset
            self.hide()

    def _meaning(self, event: QKeyEvent) -> str | None:
        """ "" for Esc, an error type for its key, None for a key the list handles."""
        if event.key() == Qt.Key.Key_Escape:
            return ""
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                     | Qt.KeyboardModifier.KeypadModifier)  # fmt: skip
        return self._by_key.get(event.text().lower()) if not mods and event.text() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            watched in (self.list, self)
            and isinstance(event, QKeyEvent)
            and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        ):
            meaning = self._meaning(event)
            if meaning is not None:
                event.accept()
                if kind == QEvent.Type.KeyPress:
                    self._choose(meaning or None)
                return True
        return super().eventFilter(watched, event)
