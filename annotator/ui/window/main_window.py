"""The main window: document list (left), the article (centre), labels and the selected span
(right), the document's annotations (bottom).

It wires widgets to the ``SpanEditor`` (the only path to the database); ``change_display``
refreshes them from the editor's ``ChangeNotifier`` and from colleagues' changes, which
``live_refresh`` polls for. Import, export and opening another database live in
``window_files``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMessageBox,
)

from annotator.core.markdown_display import markup_for
from annotator.core.model import DocStatus, Document, Span
from annotator.services.annotations import NotFound
from annotator.services.app import App
from annotator.services.learning import rule_acceptance
from annotator.ui.curation.menu import CurationController
from annotator.ui.dialogs.export_and_help import ABOUT_HTML, open_message, open_shortcuts
from annotator.ui.models.rule_rates import RuleRates
from annotator.ui.panels.agreement import AgreementPanel
from annotator.ui.panels.search import SearchPanel
from annotator.ui.panels.search_dock import add_search_dock, toggle_search
from annotator.ui.widgets.annotation_table import AnnotationTable
from annotator.ui.widgets.document_list import DocumentListPanel
from annotator.ui.widgets.document_view import DocumentView
from annotator.ui.widgets.find_bar import FindBar, with_find_bar
from annotator.ui.widgets.history_panel import HistoryPanel
from annotator.ui.widgets.label_palette import LabelPalette
from annotator.ui.widgets.span_edges import SpanEdges
from annotator.ui.widgets.span_inspector import SpanInspector
from annotator.ui.window.change_display import ChangeDisplay
from annotator.ui.window.editing import SpanEditor
from annotator.ui.window.files import WindowFiles
from annotator.ui.window.label_keys import LabelKeyFilter
from annotator.ui.window.layout import build_docks, build_status_bar, restore_layout, save_layout
from annotator.ui.window.live_refresh import LiveRefresh
from annotator.ui.window.menus import WindowActions, build_menus
from annotator.ui.window.panel_sync import PanelSync
from annotator.ui.window.review_progress import ReviewProgress
from annotator.ui.window.spelling_check import SpellingCheck
from annotator.ui.window.suggestions import SuggestionController
from annotator.ui.window.tagging import Tagging
from annotator.ui.window.team_menu import TeamController
from annotator.ui.window.user_identity import show_user

log = logging.getLogger(__name__)

MESSAGE_MS = 6000


class MainWindow(QMainWindow):
    def __init__(self, app: App, *, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAccessibleName("annotator")
        self.app = app
        self.settings = settings if settings is not None else QSettings()
        self._document: Document | None = None
        self._closed = False
        #: The last message box opened (tests answer it).
        self.last_message_box: QMessageBox | None = None

        self.undo_stack = QUndoStack(self)
        self.editor = SpanEditor(app, stack=self.undo_stack, parent=self)

        self.view = DocumentView(app.tagset, self)
        self.view.setAccessibleName("Article text")
        # A shrinking window takes the room from the docks, never below a readable column.
        self.view.setMinimumWidth(self.view.fontMetrics().averageCharWidth() * 30 + 48)
        self.find_bar = FindBar(self.view)
        self.spelling = SpellingCheck(self.view, self)
        self.setCentralWidget(with_find_bar(self.view, self.find_bar))
        self.view.spanActivated.connect(self._on_view_span_activated)
        self._label_keys = LabelKeyFilter(app.tagset, self)
        self._label_keys.labelKey.connect(lambda key, exact: self.apply_label(key, exact=exact))
        self.view.installEventFilter(self._label_keys)
        self.edges = SpanEdges(self.view, self.editor, show_message=self.show_message)

        self.label_palette = LabelPalette(app.tagset)
        self.label_palette.labelChosen.connect(self.apply_label)
        self.inspector = SpanInspector(app.tagset)
        self.inspector.editRequested.connect(self._on_edit_requested)
        self.inspector.doneEditing.connect(
            lambda: self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        )
        self.table = AnnotationTable(app.tagset)
        self.table.spanChosen.connect(self._on_table_span_chosen)
        self.table.deleteRequested.connect(self._on_table_delete)
        self.panels = PanelSync(self.view, self.table, self.inspector, self)
        self.rule_rates = RuleRates(lambda: rule_acceptance(self.app.db))
        self.table.set_rule_rates(self.rule_rates)
        self.inspector.rule_rates = self.rule_rates
        self.tagging = Tagging(self, parent=self)
        self.error_types = self.tagging.error_types
        self.documents_panel = self._make_documents_panel()
        self.history = HistoryPanel(self)
        self.agreement = AgreementPanel(self)
        self.agreement.documentChosen.connect(self.open_document)
        self._docks = build_docks(self)
        self.documents_dock = self._docks.documents
        self.inspector_dock = self._docks.inspector
        self.annotations_dock = self._docks.annotations
        self.history_dock = self._docks.history
        self.agreement_dock = self._docks.agreement
        self.search_panel = SearchPanel(self)
        self.search_dock = add_search_dock(
            self, self.search_panel, self.annotations_dock, self.view
        )

        self.files = WindowFiles(self, parent=self)
        self.suggestions = SuggestionController(self, parent=self)
        self.team = TeamController(self)
        self.curation = CurationController(self)
        # Shadows QWidget.actions() on purpose: window.actions[...] is used all over the tests.
        self.actions: WindowActions = build_menus(self)  # type: ignore[assignment]
        labels = build_status_bar(self)
        self.saved_label, self.user_label = labels.saved, labels.user
        self.database_label = labels.database
        self.display = ChangeDisplay(self, self.editor.notifier)
        self._show_database()
        # An explicit minimum keeps the window's size constraints fixed while docks fill and
        # empty; the layout's own minimum would change with every span shown.
        self.setMinimumSize(720, 480)
        restore_layout(self, self._docks, self.settings)
        self.settings.setValue("lastDatabase", self.files.database_setting(app))
        self._open_first_document()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        # Last: the first poll must find the window complete.
        self.live = LiveRefresh(self, labels.connection)
        self.live.start()
        self.review = ReviewProgress(
            labels.pending,
            self.table,
            parent=self,
            count_corpus=lambda: self.app.documents.pending_count(),
        )
        self.live.changesShown.connect(lambda _changes: self.review.refresh_soon())
        self.suggestions.suggestFinished.connect(lambda _report: self.review.refresh_soon())
        self.suggestions.suggestFinished.connect(lambda _report: self.rule_rates.mark_stale())
        self.editor.notifier.committed.connect(self.review.refresh_soon)
        self.review.refresh()

    # -- construction -------------------------------------------------------------------------

    def _make_documents_panel(self) -> DocumentListPanel:
        panel = DocumentListPanel(self.app.documents)
        panel.setAccessibleName("Document list")
        panel.documentActivated.connect(self.open_document)
        # Looked up when asked: the first panel is made before the team controller.
        panel.rowsMenuRequested.connect(lambda ids, at: self.team.rows_menu(ids, at))
        return panel

    def docks(self) -> list[QDockWidget]:
        return self._docks.all()

    def _show_database(self) -> None:
        where = self.app.db.description
        self.database_label.setText(where)
        self.database_label.setToolTip(f"Database: {where}")
        show_user(self.user_label, self.app.user)

    def save_layout(self) -> None:
        save_layout(self, self.settings)

    # -- documents ----------------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        return self._document

    def current_document_id(self) -> int | None:
        return self._document.id if self._document else None

    def _open_first_document(self) -> None:
        first = self.documents_panel.neighbour(None, 1)
        if first is not None:
            self.open_document(first)
        else:
            self.setWindowTitle("annotator")

    def open_document(self, document_id: int) -> bool:
        """Show a document; False (and a status message) if it no longer exists."""
        with self.display.batch():  # one failing field is not hidden by the next one saving
            self.inspector.commit_pending()
        try:
            document = self.app.documents.get(document_id)
        except NotFound as exc:
            self.show_message(str(exc))
            self.documents_panel.reload()
            return False
        self._document = document
        self.panels.discard()
        # Who is looking decides which spans are drawn as one's own (another database may
        # name another user).
        self.view.set_viewer(self.app.user)
        self.table.set_viewer(self.app.user)
        self.inspector.set_viewer(self.app.user)
        self.view.set_document(
            document.text, list(document.spans), markup_for(document.source, document.text)
        )
        self.spelling.check(self.app, document.text)
        self.rule_rates.mark_stale()  # users decided on suggestions since it was read
        self.table.set_spans(document.spans)
        self.inspector.show_span(None)
        self.documents_panel.select_document(document_id)
        self.setWindowTitle(f"{document.title} — annotator")
        return True

    def reload_documents(self) -> None:
        self.documents_panel.reload()

    def switch_app(self, app: App) -> None:
        """Another database (File ▸ Open database…): the same person, a new ``App``."""
        self.inspector.commit_pending()
        self.app = app
        self.editor.set_app(app)
        self.live.start()  # on the new database, before the old one closes under its feed
        self.replace_documents_panel()

    def replace_documents_panel(self) -> None:
        """After opening another database: the panel is bound to the old one's service."""
        self.agreement.reset()  # before the old database closes under its worker
        self.search_panel.reset()
        self.curation.shutdown()  # the curation view reads the old one too
        old = self.documents_panel
        self.documents_panel = self._make_documents_panel()
        self.documents_dock.setWidget(self.documents_panel)
        old.deleteLater()
        self._document = None
        self.panels.discard()
        self.view.clear_document()
        self.table.set_spans([])
        self.inspector.show_span(None)
        self._show_database()
        self._open_first_document()

    def _step_document(self, step: int) -> None:
        target = self.documents_panel.neighbour(self.current_document_id(), step)
        if target is None:
            self.show_message("No more documents" if step > 0 else "This is the first document")
            return
        self.open_document(target)

    def next_document(self) -> None:
        self._step_document(1)

    def previous_document(self) -> None:
        self._step_document(-1)

    def cycle_document_status(self) -> None:
        if self._document is None:
            return
        try:
            current = self.app.documents.info(self._document.id).status
        except NotFound as exc:
            self.display.failed(f"could not change the document status: {exc}")
            return
        new = current.next()
        if current is DocStatus.DONE:
            # Ctrl+M moves forward; going back from done to new is a decision, not a slip.
            answer = QMessageBox.question(
                self,
                "Reopen the document?",
                f"“{self._document.title}” is done. Mark it New again?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        if self.editor.set_status(document_id=self._document.id, status=new):
            self.show_message(f"Marked “{self._document.title}” as {new.display}")

    def toggle_search(self) -> None:
        toggle_search(self.search_dock, self.search_panel, self.view)

    def focus_document_filter(self) -> None:
        self.documents_dock.show()
        self.documents_panel.focus_filter()

    # -- spans --------------------------------------------------------------------------------

    def current_span(self) -> Span | None:
        self.panels.flush()
        span_id = self.view.current_span_id()
        if span_id is None:
            span_id = self.inspector.current_span_id()
        return self.table.span(span_id) if span_id is not None else None

    def select_span(self, span_id: int | None) -> None:
        """Make one span current everywhere: the view, the table and the inspector."""
        self.panels.flush()
        span = self.table.span(span_id) if span_id is not None else None
        if span is not None and span.id is not None:
            self.view.select_span(span.id)
        self.table.select_span(span.id if span else None)
        self.inspector.show_span(span)

    def apply_label(self, key: str, *, exact: bool = False) -> None:
        """A label key or palette click (see ``Tagging.apply_label``)."""
        self.tagging.apply_label(key, exact=exact)

    def delete_current_span(self) -> None:
        self.tagging.delete_current_span()

    def next_span(self) -> None:
        self.tagging.step_span(1)

    def previous_span(self) -> None:
        self.tagging.step_span(-1)

    def _on_view_span_activated(self, span_id: int) -> None:
        self.panels.flush()
        span = self.table.span(span_id)
        self.table.select_span(span_id if span else None)
        self.inspector.show_span(span)

    def _on_table_span_chosen(self, span_id: int) -> None:
        self.panels.flush()
        self.view.select_span(span_id)
        self.inspector.show_span(self.table.span(span_id))

    def _on_table_delete(self, span_id: int) -> None:
        self.panels.flush()
        span = self.table.span(span_id)
        if span is not None:
            self.editor.delete_span(span=span)

    def _on_edit_requested(self, span_id: int, changes: dict) -> None:
        self.panels.flush()
        stored = self.table.span(span_id)
        if stored is None:
            self.display.failed("the span is no longer in this document")
            return
        # Enter and then focus leaving a field both commit it: the second must not write a
        # change that is already stored (it would bump the version for every colleague).
        changes = {k: v for k, v in changes.items() if getattr(stored, k) != v}
        if changes:
            # Typing a colleague has since overtaken stays based on what the user started from.
            base = self.inspector.edit_base(span_id)
            self.editor.edit_span(span=base or stored, changes=changes)

    # -- messages and dialogs -----------------------------------------------------------------

    def show_message(self, text: str) -> None:
        log.debug("status: %s", text)
        self.statusBar().showMessage(text, MESSAGE_MS)

    def show_error(self, title: str, text: str, *, detail: str = "") -> QMessageBox:
        self.last_message_box = open_message(self, title, text, detail=detail)
        return self.last_message_box

    def show_shortcuts(self) -> None:
        open_shortcuts(self, self.app.tagset, self.actions.shortcut_rows())

    def show_about(self) -> None:
        open_message(self, "About annotator", ABOUT_HTML, icon=QMessageBox.Icon.Information)

    # -- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closed:
            self._closed = True
            self.inspector.commit_pending()
            self.live.stop()
            self.review.stop()
            self.documents_panel.shutdown()
            self.agreement.shutdown()
            self.search_panel.shutdown()
            self.curation.shutdown()
            self.files.shutdown()
            self.spelling.shutdown()
            self.save_layout()
        super().closeEvent(event)
