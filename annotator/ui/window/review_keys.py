"""The review keys on the article view: A accepts, R or Backspace rejects.

They are an event filter on the view, like the label keys: A and R must stay plain letters in
every text field. One key, one meaning: A accepts and does nothing else (on a span that is not
pending it says so), so no other key (Enter confirming something, the previous-document key)
can accept a suggestion by accident. Reject is claimed only while the current span is pending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent

from annotator.core.tagset import Tagset

#: The one accept key: it means nothing else anywhere in the window.
ACCEPT_KEY = Qt.Key.Key_A
REJECT_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_R)
#: For the shortcut help: keys the view's filter handles, which no QAction registers.
REVIEW_KEY_ROWS = [
    ("A (pending span)", "Accept the suggestion and go to the next pending one (A does "
                         "nothing else)"),
    ("Backspace / R (pending span)", "Reject the suggestion (hidden, and never proposed "
                                     "again) and go to the next pending one"),
]  # fmt: skip


class ReviewKeyFilter(QObject):
    """Accept and reject keys on the article view. A is always the accept key (on a span
    that is not pending, accepting says so); reject keys are claimed only over a pending
    span."""

    acceptKey = Signal()
    rejectKey = Signal()

    def __init__(
        self, tagset: Tagset, is_pending: Callable[[], bool], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._is_pending = is_pending
        # A tagset may give a label one of these keys; labelling then wins.
        self._label_keys = {label.shortcut.lower() for label in tagset.labels}

    def _signal(self, event: QKeyEvent) -> Any:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return None  # Shift+A, Ctrl+R… belong to the menus
        if event.text() and event.text().lower() in self._label_keys:
            return None
        if event.key() == ACCEPT_KEY:
            return self.acceptKey
        if event.key() in REJECT_KEYS:
            return self.rejectKey
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            signal = self._signal(event)
            if signal is not None and (signal is self.acceptKey or self._is_pending()):
                event.accept()
                if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                    signal.emit()
                return True
        return super().eventFilter(watched, event)
