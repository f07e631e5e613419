"""What the window's helpers may ask of it: narrow interfaces instead of the whole MainWindow.

Each helper (files, suggestions, accept-all, knowledge-base editing) is handed the window typed
as one of these Protocols, so what it depends on is written down, checked by mypy, and small
enough for a test or another window to provide. ``window()`` is QWidget's own: the top-level
widget a helper's dialogs are parented to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox, QWidget

    from annotator.core.model import Document, Span
    from annotator.services.app import App
    from annotator.ui.widgets.annotation_table import AnnotationTable
    from annotator.ui.widgets.document_list import DocumentListPanel
    from annotator.ui.widgets.document_view import DocumentView
    from annotator.ui.widgets.span_inspector import SpanInspector
    from annotator.ui.window.change_display import ChangeDisplay
    from annotator.ui.window.editing import SpanEditor
    from annotator.ui.window.files import WindowFiles
    from annotator.ui.window.layout import SaveStateLabel
    from annotator.ui.window.panel_sync import PanelSync


class Feedback(Protocol):
    """Telling the user: the status bar, an error box, and the window to parent dialogs to."""

    def show_message(self, text: str) -> None: ...

    def show_error(self, title: str, text: str, *, detail: str = "") -> QMessageBox: ...

    def window(self) -> QWidget: ...


class SpanHost(Feedback, Protocol):
    """The open document and its spans, read from the views, changed through the editor."""

    app: App
    editor: SpanEditor
    view: DocumentView
    table: AnnotationTable

    @property
    def document(self) -> Document | None: ...

    def current_document_id(self) -> int | None: ...

    def current_span(self) -> Span | None: ...

    def select_span(self, span_id: int | None) -> None: ...


class TaggingHost(SpanHost, Protocol):
    """Tagging from the keyboard: the inspector (the correction is typed next), the panels'
    pending updates, and the document list (Del there must not delete a span)."""

    inspector: SpanInspector
    panels: PanelSync
    documents_panel: DocumentListPanel


class SuggestionHost(SpanHost, Protocol):
    """Running suggesters: the one background-task slot, and the saved-state display."""

    files: WindowFiles
    display: ChangeDisplay

    def activateWindow(self) -> None: ...


class FilesHost(Feedback, Protocol):
    """Import, export and another database: the app, settings, and opening documents."""

    app: App
    editor: SpanEditor
    settings: QSettings
    saved_label: SaveStateLabel
    last_message_box: QMessageBox | None

    def switch_app(self, app: App) -> None: ...

    def open_document(self, document_id: int) -> bool: ...

    def current_document_id(self) -> int | None: ...
