"""Label keys typed in the article view ("1".."4" by default; Alt+key for an exact span).

Handled by an event filter on the view rather than by QShortcuts: the keys are plain
characters, which must mean "type this" everywhere else (the filter box, the correction and
note fields), and a filter on the view cannot fire anywhere but in the view. It also claims the
keys at ShortcutOverride, so a tagset whose shortcut collides with a window shortcut (say "d",
next document) still labels when the view has the focus.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence

from annotator.core.tagset import Tagset

log = logging.getLogger(__name__)

_IGNORED = Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier


def _key_code(shortcut: str) -> int | None:
    sequence = QKeySequence(shortcut)
    if sequence.count() != 1:
        return None
    return sequence[0].key().value  # type: ignore[index]  # stubs lack QKeySequence.__getitem__


class LabelKeyFilter(QObject):
    labelKey = Signal(str, bool)  # label key, exact (Alt held: do not snap to words)

    def __init__(self, tagset: Tagset, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_code: dict[int, str] = {}
        self._by_text: dict[str, str] = {}
        for label in tagset.labels:
            code = _key_code(label.shortcut)
            if code is not None:
                self._by_code[code] = label.key
            self._by_text[label.shortcut.lower()] = label.key

    def label_for(self, event: QKeyEvent) -> tuple[str, bool] | None:
        modifiers = event.modifiers() & ~_IGNORED
        exact = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        if modifiers & ~Qt.KeyboardModifier.AltModifier:
            return None  # Ctrl/Meta combinations belong to the menus
        key = self._by_code.get(event.key())
        if key is None and event.text():
            key = self._by_text.get(event.text().lower())
        return (key, exact) if key else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            found = self.label_for(event)
            if found is not None:
                event.accept()
                if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                    self.labelKey.emit(*found)
                return True
        return super().eventFilter(watched, event)
