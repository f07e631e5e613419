"""The Team menu's dialogs: assigning documents, and people's roles.

They only collect a choice; ``team_menu.TeamController`` carries it out through the desk
service and reports the result, so a refusal (not a curator) is shown the same way from every
entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.services.desk import Role
from annotator.services.people import Person, check_name

_NAME = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class AssignChoice:
    annotators: list[str]
    per_document: int
    #: None: every document.
    documents: list[int] | None


def plan_summary(plan: dict[int, list[str]], names: Sequence[str]) -> str:
    """ "12 documents assigned: alice 8, bob 8, carol 8" (new assignments only)."""
    if not plan:
        return "Nothing to assign: every document already has enough of these people"
    load = {name: 0 for name in names}
    for people in plan.values():
        for name in people:
            load[name] = load.get(name, 0) + 1
    noun = "document" if len(plan) == 1 else "documents"
    given = ", ".join(f"{name} {n}" for name, n in load.items() if n)
    return f"{len(plan)} {noun} assigned: {given}"


class AssignDialog(QDialog):
    """Who annotates what: tick annotators (or type new names), how many people each
    document gets, and whether that is every document or the ones selected in the list."""

    def __init__(
        self, people: Sequence[Person], *, selected: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle("Assign documents")
        self._selected = list(selected)

        self.people = QListWidget()
        self.people.setObjectName("assignPeople")
        self.people.setAccessibleName("Annotators")
        for person in people:
            # Annotators are ticked to start with; a curator usually settles, not annotates.
            self._add_person(
                person.name,
                checked=person.role != Role.CURATOR.value,
                curator=person.role == Role.CURATOR.value,
            )
        self.new_names = QLineEdit()
        self.new_names.setObjectName("assignNewPeople")
        self.new_names.setAccessibleName("New annotators")
        self.new_names.setPlaceholderText("New names, separated by commas; Enter adds them")
        # Enter adds the names instead of pressing the dialog's default button.
        self.new_names.installEventFilter(self)

        self.per_document = QSpinBox()
        self.per_document.setObjectName("assignPerDocument")
        self.per_document.setAccessibleName("People per document")
        self.per_document.setRange(1, 50)
        self.per_document.setValue(2)

        scope = QGroupBox("Documents")
        self.all_documents = QRadioButton("&All documents")
        self.all_documents.setObjectName("assignAll")
        n = len(self._selected)
        self.selected_documents = QRadioButton(
            f"The {n} &selected document{'s' if n != 1 else ''}" if n else "&Selected documents"
        )
        self.selected_documents.setObjectName("assignSelected")
        self.selected_documents.setEnabled(n > 0)
        # Several rows selected on purpose are what the user means; one is just the open one.
        (self.selected_documents if n > 1 else self.all_documents).setChecked(True)
        scope_layout = QVBoxLayout(scope)
        scope_layout.addWidget(self.all_documents)
        scope_layout.addWidget(self.selected_documents)

        self.error = QLabel()
        self.error.setObjectName("assignError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Assign")
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        people_label = QLabel("&Annotators")
        people_label.setBuddy(self.people)
        form = QFormLayout()
        form.addRow("&New people", self.new_names)
        form.addRow("People per &document", self.per_document)
        layout = QVBoxLayout(self)
        layout.addWidget(people_label)
        layout.addWidget(self.people, 1)
        layout.addLayout(form)
        layout.addWidget(scope)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons)
        self.people.setCurrentRow(0)
        # Wide enough for the placeholder to be read whole.
        self.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(self.new_names.placeholderText()) + 200
        )

    def _add_person(self, name: str, *, checked: bool, curator: bool = False) -> None:
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.data(_NAME) == name:
                item.setCheckState(Qt.CheckState.Checked)
                return
        item = QListWidgetItem(f"{name} (curator)" if curator else name)
        item.setData(_NAME, name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.people.addItem(item)

    def add_typed_names(self) -> bool:
        """Add the names typed so far to the list, ticked; False (and a message) if one is
        not a usable name."""
        for raw in self.new_names.text().split(","):
            if not raw.strip():
                continue
            try:
                name = check_name(raw)
            except ValueError as exc:
                self._complain(str(exc))
                return False
            self._add_person(name, checked=True)
        self.new_names.clear()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.new_names
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
            and self.new_names.text().strip()
        ):
            if self.add_typed_names():
                self.error.hide()
            return True
        return super().eventFilter(watched, event)

    def checked_names(self) -> list[str]:
        return [
            self.people.item(row).data(_NAME)
            for row in range(self.people.count())
            if self.people.item(row).checkState() == Qt.CheckState.Checked
        ]

    def choice(self) -> AssignChoice:
        documents = self._selected if self.selected_documents.isChecked() else None
        return AssignChoice(self.checked_names(), self.per_document.value(), documents)

    def accept(self) -> None:
        if not self.add_typed_names():  # names typed but not yet added count too
            return
        names, wanted = self.checked_names(), self.per_document.value()
        if not names:
            self._complain("Tick at least one annotator, or type a new name")
            return
        if wanted > len(names):
            self._complain(
                f"{wanted} people per document needs at least {wanted} annotators "
                f"ticked ({len(names)} are)"
            )
            return
        super().accept()

    def _complain(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class PeopleDialog(QDialog):
    """Everyone who has worked on the database, each with a role to choose."""

    def __init__(self, people: Sequence[Person], *, me: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("peopleDialog")
        self.setWindowTitle("People and roles")
        self._before = {
            p.name: Role(p.role) if p.role in set(Role) else Role.ANNOTATOR for p in people
        }
        self.combos: dict[str, QComboBox] = {}
        rows = QWidget()
        form = QFormLayout(rows)
        for name, role in self._before.items():
            combo = QComboBox()
            combo.setObjectName(f"role_{name}")
            combo.setAccessibleName(f"Role of {name}")
            for choice in Role:
                combo.addItem(choice.value.capitalize(), choice.value)
            combo.setCurrentIndex(combo.findData(role.value))
            self.combos[name] = combo
            form.addRow(f"{name} (you)" if name == me else name, combo)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        note = QLabel(
            "Once the desk has a curator, only a curator changes roles, the layer "
            "mode and assignments. Curators see every layer, also in blind mode."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)

    def changes(self) -> dict[str, Role]:
        """Only the roles chosen differently from before."""
        chosen = {name: Role(combo.currentData()) for name, combo in self.combos.items()}
        return {name: role for name, role in chosen.items() if role != self._before[name]}


__all__ = ["AssignChoice", "AssignDialog", "PeopleDialog", "plan_summary"]
