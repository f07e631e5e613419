"""Help ▸ Customize keyboard shortcuts (Ctrl+Alt+K): a filterable table of the actions and
their keys; Enter on a row records a new key, which is applied and saved at once or refused
with the name of whatever holds it. Keys handled outside the actions (the tagset's label
keys, A, R, the span edge keys, the text-editing keys) are listed as fixed rows, so a refusal
is never a mystery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.window.shortcuts import (
    ShortcutConflict,
    ShortcutSettings,
    keys_text,
    menu_path,
)

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

_NAME = Qt.ItemDataRole.UserRole
_FIXED = "fixed"
_COLUMNS = ("Action", "Menu", "Keys")
# Keys that finish recording instead of being recorded: all of them are fixed keys anyway.
_FINISHING = [QKeyCombination(Qt.KeyboardModifier.NoModifier, key) for key in (
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape,
)]  # fmt: skip


class ShortcutEditor(QDialog):
    def __init__(self, shortcuts: ShortcutSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutEditor")
        self.setWindowTitle("Customize keyboard shortcuts")
        self._shortcuts = shortcuts
        self._shown = QKeySequence()  # the key in the edit before any is recorded
        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutFilter")
        self.filter.setPlaceholderText("Filter by action, menu or key")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._focus_table)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.start_recording())
        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setObjectName("shortcutEdit")
        self.key_edit.setMaximumSequenceLength(1)
        self.key_edit.setFinishingKeyCombinations(_FINISHING)
        self.key_edit.setToolTip("Press the new key (Enter or Esc: leave it as it is)")
        self.key_edit.editingFinished.connect(self._key_recorded)
        self.message = QLabel()
        self.message.setObjectName("shortcutMessage")
        self.message.setWordWrap(True)
        self.no_key = self._button("No key", "Alt+N", "noKeyButton", self._clear_key)
        self.reset = self._button("Reset to default", "Alt+R", "resetShortcutButton", self._reset)
        self.reset_all = self._button(
            "Reset all", "Alt+A", "resetAllShortcutsButton", self._reset_all
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)  # Enter in the table records a key, never closes

        record = QHBoxLayout()
        record.addWidget(QLabel("New key:"))
        record.addWidget(self.key_edit, 1)
        record.addWidget(self.no_key)
        record.addWidget(self.reset)
        record.addWidget(self.reset_all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addLayout(record)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(720, 520)
        self._fill()
        self.filter.installEventFilter(self)

    def _button(self, text: str, key: str, name: str, slot: Callable[[], None]) -> QPushButton:
        # The key in the text, not a mnemonic: not every platform shows (or honours) those.
        button = QPushButton(f"{text} ({key})")
        button.setShortcut(QKeySequence(key))
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- the table -------------------------------------------------------------------------

    def _fill(self) -> None:
        rows: list[tuple[str, str, str, str]] = []
        for name in self._shortcuts.names:
            action = self._shortcuts.action(name)
            rows.append(
                (
                    name,
                    self._shortcuts.title(name),
                    menu_path(action),
                    keys_text(self._shortcuts.current(name)),
                )
            )
        for fixed in self._shortcuts.fixed:
            rows.append((_FIXED, fixed.holder, "fixed", ", ".join(fixed.keys)))
        self.table.setRowCount(len(rows))
        dim = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for row, (name, title, where, keys) in enumerate(rows):
            for column, text in enumerate((title, where, keys)):
                item = QTableWidgetItem(text)
                item.setData(_NAME, name)
                if name == _FIXED:
                    item.setForeground(dim)
                    item.setToolTip("Handled outside the menus; cannot be given to an action")
                self.table.setItem(row, column, item)
        self.table.setCurrentCell(0, 0)

    def cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:
            raise IndexError((row, column))
        return item

    def row_of(self, name: str) -> int:
        for row in range(self.table.rowCount()):
            if self.cell(row, 0).data(_NAME) == name:
                return row
        raise KeyError(name)

    def current_name(self) -> str | None:
        item = self.table.item(self.table.currentRow(), 0)
        name = item.data(_NAME) if item is not None else None
        return None if name in (None, _FIXED) else str(name)

    def _refresh_keys(self) -> None:
        for name in self._shortcuts.names:
            self.cell(self.row_of(name), 2).setText(keys_text(self._shortcuts.current(name)))

    def _show_current(self) -> None:
        name = self.current_name()
        for widget in (self.key_edit, self.no_key, self.reset):
            widget.setEnabled(name is not None)
        keys = self._shortcuts.current(name) if name else []
        self._shown = keys[0] if keys else QKeySequence()
        self.key_edit.setKeySequence(self._shown)

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            cells = " ".join(self.cell(row, c).text().lower() for c in range(3))
            self.table.setRowHidden(row, bool(needle) and needle not in cells)

    def _focus_table(self) -> None:
        for row in range(self.table.rowCount()):
            if not self.table.isRowHidden(row):
                if self.table.isRowHidden(self.table.currentRow()):
                    self.table.setCurrentCell(row, 0)
                break
        self.table.setFocus()

    # -- changing keys ---------------------------------------------------------------------

    def start_recording(self) -> None:
        name = self.current_name()
        if name is None:
            self._say("That key is fixed: it is handled outside the menus.", error=True)
            return
        self.key_edit.clear()
        self._shown = QKeySequence()
        self.key_edit.setFocus()
        self._say(
            f"Press the new key for “{self._shortcuts.title(name)}” (Esc: leave it as it is)."
        )

    def _key_recorded(self) -> None:
        name = self.current_name()
        key = self.key_edit.keySequence()
        # Enter or Esc over the key shown is no new key: "D, PgDown" must not become "D".
        if name is None or key.isEmpty() or key == self._shown:
            self._show_current()
            self._focus_table()
            return
        self._change(name, lambda: self._shortcuts.set_keys(name, [key]))

    def _clear_key(self) -> None:
        name = self.current_name()
        if name is not None:
            self._change(name, lambda: self._shortcuts.set_keys(name, []))

    def _reset(self) -> None:
        name = self.current_name()
        if name is not None:
            self._change(name, lambda: self._shortcuts.reset(name))

    def _reset_all(self) -> None:
        self._shortcuts.reset_all()
        self._refresh_keys()
        self._show_current()
        self._say("Every action has its default keys again.")

    def _change(self, name: str, change: Callable[[], None]) -> None:
        try:
            change()
        except ShortcutConflict as refused:
            self._show_current()
            self._say(str(refused), error=True)
            self.key_edit.setFocus()
            return
        self._refresh_keys()
        self._show_current()
        keys = keys_text(self._shortcuts.current(name)) or "no key"
        self._say(f"{self._shortcuts.title(name)}: {keys}")
        self.table.setFocus()

    def _say(self, text: str, *, error: bool = False) -> None:
        # A red readable on the light and the dark palette alike.
        self.message.setStyleSheet("color: #d9534f" if error else "")
        self.message.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.filter and event.key() == Qt.Key.Key_Down:
                self._focus_table()
                return True
        return super().eventFilter(watched, event)


def open_shortcut_editor(window: MainWindow) -> ShortcutEditor | None:
    shortcuts = window.findChild(ShortcutSettings)
    if shortcuts is None:
        log.warning("no shortcut settings on this window")
        return None
    editor = ShortcutEditor(shortcuts, window)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def back_to_article() -> None:
        window.activateWindow()
        window.view.setFocus(Qt.FocusReason.OtherFocusReason)

    editor.finished.connect(lambda _result: back_to_article())
    editor.open()
    editor.filter.setFocus()
    return editor
