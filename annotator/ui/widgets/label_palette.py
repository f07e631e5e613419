"""The label palette: one button per tagset label, showing its colour, shortcut and name.

The buttons never take keyboard focus: clicking one must leave the selection in the article
view (and the focus with it), so the user can keep labelling from the keyboard.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from annotator.core.tagset import LabelDef, Tagset

log = logging.getLogger(__name__)

_SWATCH = 14


def color_swatch(color: str, size: int = _SWATCH) -> QIcon:
    """A rounded colour square, shared by the palette and the annotation table."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(color)
    painter.setPen(fill.darker(130))
    painter.setBrush(fill)
    painter.drawRoundedRect(0, 0, size - 1, size - 1, 3, 3)  # PySide6 truncated 0.5 to 0
    painter.end()
    return QIcon(pixmap)


class LabelPalette(QWidget):
    labelChosen = Signal(str)

    def __init__(self, tagset: Tagset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.setAccessibleName("Labels")
        self._buttons: dict[str, QPushButton] = {}

        hint = QLabel("Select text, then press a label's key (Alt+key keeps the exact selection)")
        hint.setWordWrap(True)
        hint.setObjectName("labelHint")
        font = hint.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7.0))
        hint.setFont(font)

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        columns = 2
        for n, label in enumerate(tagset.labels):
            button = self._make_button(label)
            self._buttons[label.key] = button
            grid.addWidget(button, n // columns, n % columns)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(hint)

    def _make_button(self, label: LabelDef) -> QPushButton:
        button = QPushButton(f"{label.shortcut}  {label.name}", self)
        button.setObjectName(f"labelButton_{label.key}")
        button.setIcon(color_swatch(label.color))
        button.setIconSize(QSize(_SWATCH, _SWATCH))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setToolTip(f"Tag the selection as {label.name} (key {label.shortcut})")
        button.setAccessibleName(f"Label {label.name}")
        # A stripe in the label's colour makes the palette readable at a glance.
        button.setStyleSheet(
            "QPushButton { text-align: left; padding: 4px 8px;"
            f" border-left: 4px solid {label.color}; }}"
        )
        button.clicked.connect(lambda _checked=False, key=label.key: self.labelChosen.emit(key))
        return button

    def button(self, key: str) -> QPushButton:
        return self._buttons[key]
