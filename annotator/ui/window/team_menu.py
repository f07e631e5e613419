"""The Team menu and the document list's "Assign to" menu: a desk's curator work from the
window (the CLI's ``annotator assign`` and friends, for people who would rather click).

Who may do it: once the desk has a curator, only a curator assigns, changes roles or the layer
mode; the desk service refuses anyone else. The actions stay enabled for everyone (a role can
change while the window is open) and a refusal always reads the same: a message box saying
who may, and the same words in the status bar. The dialogs check first, so nobody fills one in
for nothing; the service's own refusal (the role changed meanwhile) is shown the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from annotator.core.errors import DatabaseError, Problem
from annotator.core.model import DocStatus
from annotator.services.app import App
from annotator.services.desk import LayerMode, Role
from annotator.ui.dialogs.export_and_help import open_message
from annotator.ui.dialogs.team import AssignChoice, AssignDialog, PeopleDialog, plan_summary
from annotator.ui.widgets.document_list import DocumentListPanel

if TYPE_CHECKING:
    from annotator.ui.window.editing import SpanEditor
    from annotator.ui.window.files import WindowFiles
    from annotator.ui.window.suggestions import SuggestionController

log = logging.getLogger(__name__)

REFUSED_TITLE = "Only a curator may do this"
BLIND_ON = "Blind mode: annotators see only their own layer and the suggestions"
BLIND_OFF = "Shared mode: everyone sees every layer"


class TeamWindow(Protocol):
    """The few things the team menu needs from the main window."""

    app: App
    documents_panel: DocumentListPanel
    editor: SpanEditor
    suggestions: SuggestionController
    files: WindowFiles

    def current_document_id(self) -> int | None: ...
    def open_document(self, document_id: int) -> bool: ...
    def show_message(self, text: str) -> None: ...
    def show_error(self, title: str, text: str, *, detail: str = "") -> QMessageBox: ...


Add = Callable[..., QAction]


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor: assigning a large corpus is one transaction of some seconds, on the GUI
    thread (it cannot be cancelled half way, so a progress dialog would promise too much)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class TeamController(QObject):
    def __init__(self, window: TeamWindow) -> None:
        super().__init__(window if isinstance(window, QObject) else None)
        self._window = window
        self._parent = window if isinstance(window, QWidget) else None
        self.blind_action: QAction | None = None
        #: The dialog or menu open now (tests drive them; None when closed).
        self.dialog: AssignDialog | PeopleDialog | None = None
        self.rows_menu_widget: QMenu | None = None
        #: The last result or refusal shown in a message box.
        self.last_message: QMessageBox | None = None

    # -- the menu ---------------------------------------------------------------------------

    def build_menu(self, menu: QMenu, add: Add) -> None:
        add(
            menu,
            "assign_documents",
            "&Assign documents…",
            self.assign_documents,
            tip="Give each document to a number of annotators, evenly",
        )
        blind = add(
            menu,
            "blind_mode",
            "&Blind mode",
            self.toggle_blind,
            tip="Annotators see only their own layer and the suggestions",
        )
        blind.setCheckable(True)
        self.blind_action = blind
        menu.addSeparator()
        add(
            menu,
            "people_roles",
            "&People and roles…",
            self.people_and_roles,
            tip="Who is an annotator and who is a curator",
        )
        # The mode lives in the database and another client may change it: read it whenever
        # the menu opens rather than trusting what this window last set.
        menu.aboutToShow.connect(self.sync)
        self.sync()

    def sync(self) -> None:
        if self.blind_action is None:
            return
        try:
            blind = self._window.app.desk.mode() is LayerMode.BLIND
        except DatabaseError as exc:
            log.info("could not read the layer mode: %s", exc)
            return
        self.blind_action.setChecked(blind)

    # -- who may -----------------------------------------------------------------------------

    def _curators(self) -> list[str]:
        return [p.name for p in self._window.app.people.all() if p.role == Role.CURATOR.value]

    def _refusal(self, what: str) -> str | None:
        """The desk service's rule, checked before a dialog opens."""
        app = self._window.app
        curators = self._curators()
        if not curators or app.user in curators:
            return None
        return f"only a curator may {what} ({app.user} is an annotator)"

    def _refuse(self, reason: str) -> None:
        text = reason[:1].upper() + reason[1:] + "."
        curators = self._curators()
        if curators:
            text += f"\n\nCurators on this desk: {', '.join(curators)}."
        self._window.show_message(text.split("\n")[0])
        self.last_message = self._window.show_error(REFUSED_TITLE, text)

    def _failed(self, what: str, exc: DatabaseError | ValueError) -> None:
        if isinstance(exc, DatabaseError) and exc.problem is Problem.NOT_ALLOWED:
            self._refuse(str(exc))
            return
        self._window.show_message(f"Could not {what}: {exc}")
        self.last_message = self._window.show_error(f"Could not {what}", str(exc))

    def _desk_changed(self, *, layers: bool) -> None:
        """After an assignment, a role or a mode change: the list's order, its Desk column
        and (``layers``) which layers the open document may show."""
        window = self._window
        window.documents_panel.reload()
        current = window.current_document_id()
        if layers and current is not None:
            window.open_document(current)

    # -- assigning ---------------------------------------------------------------------------

    def assign_documents(self) -> None:
        refusal = self._refusal("assign documents")
        if refusal:
            self._refuse(refusal)
            return
        app = self._window.app
        dialog = AssignDialog(
            app.people.all(),
            selected=self._window.documents_panel.selected_document_ids(),
            parent=self._parent,
        )
        dialog.accepted.connect(lambda: self._assign(dialog.choice()))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()  # not exec(): the event loop (live refresh, tests) keeps running

    def _assign(self, choice: AssignChoice) -> None:
        try:
            with _busy():
                plan = self._window.app.desk.assign(
                    choice.annotators, choice.per_document, choice.documents
                )
        except (DatabaseError, ValueError) as exc:
            self._failed("assign documents", exc)
            return
        text = plan_summary(plan, choice.annotators)
        log.info("%s", text)
        self._desk_changed(layers=False)
        self._window.show_message(text)
        if self._parent is not None:
            self.last_message = open_message(
                self._parent, "Documents assigned", text, icon=QMessageBox.Icon.Information
            )

    def _closed(self, dialog: QObject) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def rows_menu(self, ids: Sequence[int], at: QPoint) -> None:
        """The list's right-click menu for the chosen documents: one's own status, Suggest,
        Export; and for curators "Assign to ▸" each person, ticked where every chosen
        document is theirs already."""
        window = self._window
        app = window.app
        menu = QMenu(self._parent)
        menu.setObjectName("documentRowsMenu")
        status = menu.addMenu("Mark as")
        status.setObjectName("markAsMenu")
        for choice in DocStatus:
            status.addAction(choice.display).triggered.connect(
                lambda _=False, choice=choice: self._mark(list(ids), choice)
            )
        menu.addAction(
            "Suggest in these documents" if len(ids) > 1 else "Suggest in this document"
        ).triggered.connect(lambda: window.suggestions.start_suggest(list(ids)))
        menu.addAction(
            "Export these documents…" if len(ids) > 1 else "Export this document…"
        ).triggered.connect(lambda: window.files.choose_export(list(ids)))
        try:
            curator = app.desk.role() is Role.CURATOR
            people = app.people.all() if curator else []
            assigned = app.desk.assignments(ids) if curator else {}
        except DatabaseError as exc:
            self._failed("read the assignments", exc)
            curator = False
        if curator:
            menu.addSeparator()
            sub = menu.addMenu("Assign &to")
            sub.setObjectName("assignToMenu")
            # Everyone registered, and whoever holds one of these documents.
            names = sorted({p.name for p in people}.union(*assigned.values()))
            for name in names:
                action = sub.addAction(name)
                action.setCheckable(True)
                action.setChecked(all(name in assigned.get(doc, ()) for doc in ids))
                action.triggered.connect(
                    lambda checked, name=name: self._set_assigned(list(ids), name, checked)
                )
        menu.aboutToHide.connect(menu.deleteLater)
        self.rows_menu_widget = menu
        menu.destroyed.connect(lambda: setattr(self, "rows_menu_widget", None))
        menu.popup(at)

    def _mark(self, ids: list[int], status: DocStatus) -> None:
        """One's own status on each chosen document; each an undo step of its own."""
        editor = self._window.editor
        done = sum(1 for doc in ids if editor.set_status(document_id=doc, status=status))
        noun = "document" if done == 1 else "documents"
        self._window.show_message(f"Marked {done} {noun} as {status.display}")

    def _set_assigned(self, ids: list[int], person: str, assigned: bool) -> None:
        desk = self._window.app.desk
        try:
            with _busy():
                for doc in ids:
                    desk.set_assigned(doc, person, assigned)
        except DatabaseError as exc:
            self._failed("change the assignment", exc)
            self._desk_changed(layers=False)  # some may have been saved before the refusal
            return
        noun = "document" if len(ids) == 1 else "documents"
        self._desk_changed(layers=False)
        self._window.show_message(
            f"Assigned {len(ids)} {noun} to {person}"
            if assigned
            else f"Took {len(ids)} {noun} back from {person}"
        )

    # -- mode and roles ----------------------------------------------------------------------

    def toggle_blind(self) -> None:
        assert self.blind_action is not None
        wanted = LayerMode.BLIND if self.blind_action.isChecked() else LayerMode.SHARED
        try:
            self._window.app.desk.set_mode(wanted)
        except DatabaseError as exc:
            self.sync()  # the check mark goes back to what the database says
            self._failed("change the layer mode", exc)
            return
        self._desk_changed(layers=True)
        self._window.show_message(BLIND_ON if wanted is LayerMode.BLIND else BLIND_OFF)

    def people_and_roles(self) -> None:
        refusal = self._refusal("change roles")
        if refusal:
            self._refuse(refusal)
            return
        app = self._window.app
        dialog = PeopleDialog(app.people.all(), me=app.user, parent=self._parent)
        dialog.accepted.connect(lambda: self._set_roles(dialog.changes()))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _set_roles(self, changes: dict[str, Role]) -> None:
        if not changes:
            return
        me = self._window.app.user

        # The user's own promotion first, then the others', then demotions with the user's
        # own last: whoever may change roles now must still be allowed to for every step.
        def step(item: tuple[str, Role]) -> tuple[int, int]:
            name, role = item
            if role is Role.CURATOR:
                return 0, 0 if name == me else 1
            return 1, 1 if name == me else 0

        order = sorted(changes.items(), key=step)
        desk = self._window.app.desk
        done: list[str] = []
        try:
            for name, role in order:
                desk.set_role(name, role)
                done.append(f"{name} is {'a curator' if role is Role.CURATOR else 'an annotator'}")
        except DatabaseError as exc:
            self._failed("change roles", exc)
        if done:
            # The user's own role decides their Desk column and the layers they see.
            self._desk_changed(layers=True)
            self._window.show_message("; ".join(done))


__all__ = ["TeamController", "TeamWindow"]
