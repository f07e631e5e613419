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

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
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
from annotator.ui.models.kb_table import (
    ALIASES,
    KIND,
    KINDS,
    NAME,
    EditFn,
    Entry,
    KBFilter,
    KBTableModel,
    split_aliases,
)

__all__ = ["ALIASES", "AddToKBDialog", "KnowledgeBaseDialog"]

log = logging.getLogger(__name__)

#: Saves an entry: returns the refusal to show, or None when it was stored.
SaveFn = Callable[[Entry], str | None]

_NONE = "—"
_AnyIndex = QModelIndex | QPersistentModelIndex
_ERROR_STYLE = "color: #b3261e;"


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
            self.country_edit,
            self.discipline_combo,
            self.sex_combo,
            self.birth_year_edit,
        )
        self.event_fields: tuple[QWidget, ...] = (
            self.event_kind_combo,
            self.year_edit,
            self.city_edit,
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


class KnowledgeBaseDialog(QDialog):
    """Edit ▸ Knowledge base: filter, then double-click (or F2) a name or aliases to edit."""

    def __init__(
        self, entries: Iterable[Entry], *, edit: EditFn, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("knowledgeBaseDialog")
        self.setWindowTitle("Knowledge base")
        self.model = KBTableModel(edit, self)
        self.model.set_entries(entries)
        self.proxy = KBFilter(self)
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
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
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
            lambda _i: self.proxy.set_kind(KINDS.get(self.kind_filter.currentData()))
        )
        self.model.editFailed.connect(self._show_error)
        self.model.edited.connect(lambda e: self._show_message(f"Saved “{e.name}”"))

    def set_filter(self, text: str) -> None:
        self.filter_edit.setText(text)

    def find_row(self, name: str, column: int = NAME) -> QModelIndex:
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
