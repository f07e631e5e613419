"""Team ▸ Curate… from the main window: who may open the curation view, opening it on the
document being read, and showing its results in the main window.

The check before opening follows the desk service's rule (once the desk has a curator, only a
curator curates) and reads the same way as the Team menu's refusals. The service checks again
on every write, so a role taken away while the view is open is refused there, in the view.

The view writes through its own service calls, which the main window's live refresh does not
report (they come from this client): the controller tells the main window instead.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import DatabaseError
from annotator.services.app import App
from annotator.services.desk import Role
from annotator.ui.curation.view import CurationView
from annotator.ui.window.team_menu import REFUSED_TITLE

if TYPE_CHECKING:
    from annotator.ui.widgets.document_list import DocumentListPanel
    from annotator.ui.window.change_display import ChangeDisplay

log = logging.getLogger(__name__)


class CurationWindow(Protocol):
    """The few things the curation entry needs from the main window."""

    app: App
    documents_panel: DocumentListPanel
    display: ChangeDisplay

    def current_document_id(self) -> int | None: ...
    def show_message(self, text: str) -> None: ...
    def show_error(self, title: str, text: str, *, detail: str = "") -> QMessageBox: ...


def curation_refusal(app: App) -> str | None:
    """Why ``app.user`` may not curate, or None. Raises DatabaseError."""
    if app.desk.role() is Role.CURATOR:
        return None
    curators = [p.name for p in app.people.all() if p.role == Role.CURATOR.value]
    if not curators:
        return None  # a desk without curators: anyone may, as the service says
    # Worded as the Team menu's refusals are, so a person meets one message for one rule.
    return (
        f"Only a curator may curate ({app.user} is an annotator).\n\n"
        f"Curators on this desk: {', '.join(curators)}."
    )


class CurationController(QObject):
    def __init__(self, window: CurationWindow) -> None:
        super().__init__(window if isinstance(window, QObject) else None)
        self._window = window
        self._parent = window if isinstance(window, QWidget) else None
        #: The open curation view (None when closed).
        self.view: CurationView | None = None
        #: The last refusal or failure shown in a message box.
        self.last_message: QMessageBox | None = None

    def open(self) -> CurationView | None:
        window = self._window
        try:
            refusal = curation_refusal(window.app)
        except DatabaseError as exc:
            window.show_message(f"Could not open the curation view: {exc}")
            self.last_message = window.show_error("Could not open the curation view", str(exc))
            return None
        if refusal:
            window.show_message(refusal.split("\n")[0])
            self.last_message = window.show_error(REFUSED_TITLE, refusal)
            return None
        current = window.current_document_id()
        view = self.view
        if view is None:
            view = CurationView(window.app, document_id=current, parent=self._parent)
            view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            view.changed.connect(self._document_changed)
            view.corpusChanged.connect(self._corpus_changed)
            view.destroyed.connect(self._closed)
            self.view = view
        elif current is not None and current != view.document_id:
            view.choose_document(current)  # "Curate…" again: the document being read
        if view.isVisible():
            view.raise_()  # behind the main window: bring it forward
        else:
            layout = view.layout()
            if layout is not None:  # size constraints settled before the native window
                layout.activate()
            view.show()
        view.activateWindow()
        view.list.setFocus(Qt.FocusReason.OtherFocusReason)
        return view

    def _closed(self) -> None:
        self.view = None

    def _document_changed(self, document_id: int) -> None:
        window = self._window
        window.documents_panel.refresh_document(document_id)
        if window.current_document_id() == document_id:
            try:
                window.display.show_remote_spans(window.app.annotations.visible(document_id))
            except DatabaseError as exc:  # the next live refresh catches up
                log.info("could not show the curated spans: %s", exc)

    def _corpus_changed(self) -> None:
        window = self._window
        window.documents_panel.reload()
        current = window.current_document_id()
        if current is not None:
            self._document_changed(current)

    def shutdown(self) -> None:
        """The main window closes, or opens another database: the view goes with it."""
        view, self.view = self.view, None
        if view is not None:
            view.close()


__all__ = ["CurationController", "CurationWindow", "curation_refusal"]
