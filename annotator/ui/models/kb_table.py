"""The knowledge-base dialog's table: every athlete and event, names and aliases editable in
place through an edit callback (the window turns an edit into an undo command), and the filter
by kind and text above it."""

from __future__ import annotations

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

from annotator.core.kb import Athlete, Event
from annotator.core.kbcsv import ALIAS_SEPARATOR

Entry = Athlete | Event
#: Edits fields of a stored entry: (the entry as stored now, or None; the refusal, or None).
EditFn = Callable[[Entry, dict[str, Any]], tuple[Entry | None, str | None]]
_AnyIndex = QModelIndex | QPersistentModelIndex


def split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(ALIAS_SEPARATOR) if a.strip())


def join_aliases(aliases: Iterable[str]) -> str:
    return f"{ALIAS_SEPARATOR} ".join(aliases)


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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
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

    def setData(
        self, index: _AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
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


KINDS: dict[str, type] = {"athlete": Athlete, "event": Event}


class KBFilter(QSortFilterProxyModel):
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
