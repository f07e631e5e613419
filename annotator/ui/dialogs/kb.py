"""Knowledge-base dialogs: adding an athlete or event from a span, and the list of them all
with names and aliases editable in place.

Neither dialog writes: each hands what the user asked for to a callback (the window pushes
an undo command) and shows the refusal, such as a name that already exists, in the dialog
itself, where the user is looking. Tests call ``entry()``, ``accept()`` and ``setData``
directly; nothing here blocks in exec().
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.kb import ATHLETE_DISCIPLINES, EVENT_KINDS, Athlete, Event, KBError
from annotator.core.kbcsv import ALIAS_SEPARATOR

log = logging.getLogger(__name__)

Entry = Athlete | Event
#: Saves an entry: returns the refusal to show, or None when it was stored.
SaveFn = Callable[[Entry], str | None]
#: Edits fields of a stored entry: (the entry as stored now, or None; the refusal, or None).
EditFn = Callable[[Entry, dict[str, Any]], tuple[Entry | None, str | None]]

_NONE = "—"
_AnyIndex = QModelIndex | QPersistentModelIndex
_ERROR_STYLE = "color: #b3261e;"


def split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip())


def join_aliases(aliases: Iterable[str]) -> str:
    return f"{ALIAS_SEPARATOR} ".join(aliases)


def _text(edit: QLineEdit) -> str | None:
    return edit.text().strip() or None


def _year(edit: QLineEdit) -> int | None:
    text = edit.text().strip()
    return int(text) if text else None


def _combo(items: Iterable[str], name: str, *, none: bool) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    if none:
        combo.addItem(_NONE, None)
    for item in items:
        combo.addItem(item.replace("_", " "), item)
    return combo


class AddToKBDialog(QDialog):
    """Name (prefilled), aliases, and the athlete's or the event's own fields."""

    def __init__(self, *, name: str, kind: str, save: SaveFn, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("addToKBDialog")
        self.setWindowTitle("Add to the knowledge base")
        self.setMinimumWidth(380)
        self._save = save
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kbEntryKind")
        self.kind_combo.setAccessibleName("Athlete or event")
        self.kind_combo.addItem("Athlete", "athlete")
        self.kind_combo.addItem("Event", "event")
        self.name_edit = QLineEdit(" ".join(name.split()))
        self.name_edit.setObjectName("kbName")
        self.name_edit.setAccessibleName("Name")
        self.aliases_edit = QLineEdit()
        self.aliases_edit.setObjectName("kbAliases")
        self.aliases_edit.setAccessibleName("Aliases")
        self.aliases_edit.setPlaceholderText(f"Other spellings, separated by {ALIAS_SEPARATOR}")

        self.country_edit = QLineEdit()
        self.country_edit.setObjectName("kbCountry")
        self.country_edit.setPlaceholderText("NOR, KEN, …")
        self.country_edit.setMaxLength(3)
        self.discipline_combo = _combo(ATHLETE_DISCIPLINES, "kbDiscipline", none=True)
        self.sex_combo = _combo(("F", "M"), "kbSex", none=True)
        self.birth_year_edit = QLineEdit()
        self.birth_year_edit.setObjectName("kbBirthYear")
        self.birth_year_edit.setValidator(QIntValidator(1850, 2100, self))
        self.event_kind_combo = _combo(EVENT_KINDS, "kbEventKind", none=False)
        self.year_edit = QLineEdit()
        self.year_edit.setObjectName("kbYear")
        self.year_edit.setValidator(QIntValidator(1850, 2100, self))
        self.city_edit = QLineEdit()
        self.city_edit.setObjectName("kbCity")

        self.error_label = QLabel()
        self.error_label.setObjectName("kbError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        # One form, rows shown by kind, so the labels of both kinds line up.
        self._form = form = QFormLayout()
        form.addRow("Add as", self.kind_combo)
        form.addRow("Name", self.name_edit)
        form.addRow("Aliases", self.aliases_edit)
        self.athlete_fields: tuple[QWidget, ...] = (
            self.country_edit, self.discipline_combo, self.sex_combo, self.birth_year_edit
        )
        self.event_fields: tuple[QWidget, ...] = (
            self.event_kind_combo, self.year_edit, self.city_edit
        )
        for label, field in zip(("Country", "Discipline", "Sex", "Birth year", "Kind", "Year",
                                 "City"), (*self.athlete_fields, *self.event_fields),
                                strict=True):  # fmt: skip
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.kind_combo.currentIndexChanged.connect(self._show_kind_fields)
        self.set_kind(kind)
        self.name_edit.selectAll()

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self._show_kind_fields()

    def _show_kind_fields(self) -> None:
        athlete = self.kind() == "athlete"
        for field in self.athlete_fields:
            self._form.setRowVisible(field, athlete)
        for field in self.event_fields:
            self._form.setRowVisible(field, not athlete)

    def entry(self) -> Entry:
        name = " ".join(self.name_edit.text().split())
        aliases = split_aliases(self.aliases_edit.text())
        if self.kind() == "athlete":
            country = _text(self.country_edit)
            return Athlete(
                name=name, aliases=aliases, country=country.upper() if country else None,
                discipline=self.discipline_combo.currentData(),
                sex=self.sex_combo.currentData(), birth_year=_year(self.birth_year_edit),
            )  # fmt: skip
        return Event(name=name, kind=self.event_kind_combo.currentData(), aliases=aliases,
                     year=_year(self.year_edit), city=_text(self.city_edit))  # fmt: skip

    def error(self) -> str | None:
        return self.error_label.text() if self.error_label.isVisibleTo(self) else None

    def accept(self) -> None:
        """Save, and close only when the knowledge base took the entry."""
        try:
            problem = self._save(self.entry())
        except (KBError, ValueError) as exc:
            problem = str(exc)
        if problem:
            self.error_label.setText(problem)
            self.error_label.show()
            return
        super().accept()


NAME, ALIASES, KIND, DETAILS = range(4)
_HEADERS = ("Name", "Aliases", "Kind", "Details")


def _details(entry: Entry) -> str:
    if isinstance(entry, Athlete):
        parts = [entry.country, (entry.discipline or "").replace("_", " "), entry.sex,
                 str(entry.birth_year) if entry.birth_year else None]  # fmt: skip
    else:
        parts = [entry.kind.replace("_", " "), str(entry.year) if entry.year else None,
                 entry.city]  # fmt: skip
    return " · ".join(p for p in parts if p)


class KBTableModel(QAbstractTableModel):
    """Every athlete and event (a knowledge base holds a few thousand at most)."""

    editFailed = Signal(str)
    edited = Signal(object)  # the entry as stored after an edit made here

    def __init__(self, edit: EditFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edit = edit
        self._entries: list[Entry] = []

    def set_entries(self, entries: Iterable[Entry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> Entry:
        return self._entries[row]

    def _row_of(self, entry: Entry) -> int | None:
        return next((i for i, e in enumerate(self._entries)
                     if type(e) is type(entry) and e.id == entry.id), None)  # fmt: skip

    def upsert(self, entry: Entry, exists: bool = True) -> None:
        """Follow a change made anywhere (an edit here, undo in the window)."""
        row = self._row_of(entry)
        if not exists:
            if row is not None:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._entries[row]
                self.endRemoveRows()
        elif row is not None:
            self._entries[row] = entry
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))
        else:
            self.beginInsertRows(QModelIndex(), len(self._entries), len(self._entries))
            self._entries.append(entry)
            self.endInsertRows()

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (NAME, ALIASES):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == NAME:
                return entry.name
            if column == ALIASES:
                return join_aliases(entry.aliases)
            if column == KIND:
                return "Athlete" if isinstance(entry, Athlete) else "Event"
            return _details(entry)
        return None

    def setData(self, index: _AnyIndex, value: object,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() not in (NAME, ALIASES):
            return False
        entry = self._entries[index.row()]
        text = str(value)
        if index.column() == NAME:
            changes: dict[str, Any] = {"name": " ".join(text.split())}
        else:
            changes = {"aliases": split_aliases(text)}
        if all(getattr(entry, k) == v for k, v in changes.items()):
            return False
        stored, problem = self._edit(entry, changes)
        if problem is not None or stored is None:
            self.editFailed.emit(problem or "not saved")
            return False
        self.upsert(stored)
        self.edited.emit(stored)
        return True


_KINDS: dict[str, type] = {"athlete": Athlete, "event": Event}


class _KBFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind: type | None = None
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # An edited row stays where it is until the filter changes: renaming a row out of
        # the filter must not pull it (and its open editor) from under the user.
        self.setDynamicSortFilter(False)

    def set_kind(self, kind: type | None) -> None:
        self.kind = kind
        self.invalidate()  # invalidateFilter() is deprecated from Qt 6.10 on

    def filterAcceptsRow(self, row: int, parent: _AnyIndex) -> bool:
        model = self.sourceModel()
        if self.kind is not None and isinstance(model, KBTableModel):
            if not isinstance(model.entry(row), self.kind):
                return False
        return super().filterAcceptsRow(row, parent)


class KnowledgeBaseDialog(QDialog):
    """Edit ▸ Knowledge base: filter, then double-click (or F2) a name or aliases to edit."""

    def __init__(self, entries: Iterable[Entry], *, edit: EditFn,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("knowledgeBaseDialog")
        self.setWindowTitle("Knowledge base")
        self.model = KBTableModel(edit, self)
        self.model.set_entries(entries)
        self.proxy = _KBFilter(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("kbFilter")
        self.filter_edit.setAccessibleName("Filter athletes and events")
        self.filter_edit.setPlaceholderText("Filter by name, alias, country, kind…")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kbKindFilter")
        for text, kind in (("Athletes and events", ""), ("Athletes", "athlete"),
                           ("Events", "event")):  # fmt: skip
            self.kind_filter.addItem(text, kind)
        self.table = QTableView()
        self.table.setObjectName("kbTable")
        self.table.setAccessibleName("Athletes and events")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(NAME, 220)
        self.table.setColumnWidth(ALIASES, 200)
        self.table.setColumnWidth(KIND, 70)
        self.message_label = QLabel("Double-click a name or its aliases to edit them.")
        self.message_label.setObjectName("kbMessage")
        self.message_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.kind_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        self.resize(760, 520)

        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.kind_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_kind(_KINDS.get(self.kind_filter.currentData()))
        )
        self.model.editFailed.connect(self._show_error)
        self.model.edited.connect(lambda e: self._show_message(f"Saved “{e.name}”"))

    def set_filter(self, text: str) -> None:
        self.filter_edit.setText(text)

    def find(self, name: str, column: int = NAME) -> QModelIndex:
        """The (proxy) index of the row named ``name``, among the rows the filter shows."""
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, NAME).data() == name:
                return self.proxy.index(row, column)
        return QModelIndex()

    def _show_message(self, text: str) -> None:
        self.message_label.setStyleSheet("")
        self.message_label.setText(text)

    def _show_error(self, text: str) -> None:
        self.message_label.setStyleSheet(_ERROR_STYLE)
        self.message_label.setText(f"Not saved: {text}")
