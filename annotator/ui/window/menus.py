"""The main window's menus and their shortcuts, kept apart from its behaviour.

Single-letter shortcuts (S/D, J/K) are window shortcuts: every text field in the window
claims printable keys at ShortcutOverride, so typing "d" in the filter box or a note types a
"d" and never jumps to the next document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from annotator.ui.dialogs.connect import open_connect_dialog
from annotator.ui.dialogs.shortcuts import open_shortcut_editor
from annotator.ui.window.shortcuts import ShortcutSettings, retip_toolbars
from annotator.ui.window.spelling_menu import SpellingMenu
from annotator.ui.window.suggestion_actions import add_suggestion_actions
from annotator.ui.window.view_prefs import add_view_actions

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

Keys = Sequence[QKeySequence.StandardKey | str]


class WindowActions:
    """Every action by name (tests and the shortcut help read them from here)."""

    def __init__(self) -> None:
        self.by_name: dict[str, QAction] = {}
        #: (keys, what) for keys handled without an action (the view's review keys).
        self.extra_rows: list[tuple[str, str]] = []
        #: View ▸ Spelling (tests choose through it).
        self.spelling: SpellingMenu | None = None

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for action in self.by_name.values():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            if keys:
                text = action.text().split("\t")[0].replace("&", "").rstrip("…")
                rows.append((" / ".join(keys), text))
        return rows + self.extra_rows


def _open_dashboard(window: MainWindow) -> None:
    # Imported on first use: QtCharts is loaded only by those who look at the charts.
    from annotator.ui.panels.dashboard import open_dashboard

    open_dashboard(window)


def build_menus(window: MainWindow) -> WindowActions:
    actions = WindowActions()
    bar = window.menuBar()

    def add(
        menu: QMenu,
        name: str,
        text: str,
        slot: Callable[[], object],
        keys: Keys = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        window.addAction(action)  # shortcuts keep working when the menu bar is hidden
        actions.by_name[name] = action
        return action

    file_menu = bar.addMenu("&File")
    add(
        file_menu,
        "open_database",
        "Open &database…",
        window.files.choose_database,
        tip="Open or create another annotator database",
    )
    add(
        file_menu,
        "connect_server",
        "&Connect to server…",
        lambda: open_connect_dialog(window),
        tip="Open a PostgreSQL database the team shares",
    )
    file_menu.addSeparator()
    add(
        file_menu,
        "open_files",
        "&Open files…",
        window.files.choose_files_to_import,
        [QKeySequence.StandardKey.Open],
        "Import article files or datasets and open the first",
    )
    add(
        file_menu,
        "import_folder",
        "&Import folder…",
        window.files.choose_folder_to_import,
        ["Ctrl+Shift+O"],
        "Import a folder of articles (recursively) or a brat collection",
    )
    add(
        file_menu,
        "open_address",
        "Open &address…",
        window.files.choose_address,
        ["Ctrl+Shift+L"],
        "Fetch a web page by its address and import its article",
    )
    add(
        file_menu,
        "export",
        "&Export…",
        window.files.choose_export,
        ["Ctrl+E"],
        "Write the corpus as a dataset, another tool's format or a fact-check report",
    )
    file_menu.addSeparator()
    add(file_menu, "quit", "&Quit", window.close, [QKeySequence.StandardKey.Quit])

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setObjectName("action_undo")
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setObjectName("action_redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for name, action in (("undo", undo), ("redo", redo)):
        edit_menu.addAction(action)
        window.addAction(action)
        actions.by_name[name] = action
    edit_menu.addSeparator()
    tag_menu = edit_menu.addMenu("&Tag selection as")
    for label in window.app.tagset.labels:
        # The key is shown after a tab, not registered: label keys are handled by the
        # article view's key filter so they never fire in text fields.
        add(
            tag_menu,
            f"label_{label.key}",
            f"{label.name}\t{label.shortcut}",
            partial(window.apply_label, label.key),
        )
    add(edit_menu, "delete_span", "&Delete span", window.delete_current_span, ["Del"])
    edit_menu.addSeparator()
    add(
        edit_menu,
        "find_in_document",
        "&Find in document…",
        window.find_bar.open,
        [QKeySequence.StandardKey.Find],
        "Find text, whole words or a regular expression in "
        "the article; Enter / Shift+Enter step through the hits, Esc closes",
    )
    add(edit_menu, "find_next", "Find &next", lambda: window.find_bar.step(1), ["F3"])
    add(
        edit_menu, "find_previous", "Find pre&vious", lambda: window.find_bar.step(-1), ["Shift+F3"]
    )
    add(
        edit_menu,
        "search_corpus",
        "&Search all documents…",
        window.toggle_search,
        ["Ctrl+Shift+F"],
        "Text, whole words or a regular expression in every document, or "
        "spans by label, error type, status, annotator, rule or note; Enter opens a result",
    )
    actions.extra_rows.extend([
        ("M / S / D / N / F / O", "After 4: error type (misspelled name, misspelling, wrong "
         "date, wrong number, wrong fact, other); Esc leaves it unset"),
        ("Shift+Left / Shift+Right", "Move the current span's end by one character"),
        ("Alt+Shift+Left / Alt+Shift+Right", "Move the current span's start by one character"),
    ])  # fmt: skip

    doc_menu = bar.addMenu("&Document")
    add(
        doc_menu,
        "cycle_status",
        "&Mark next status",
        window.cycle_document_status,
        ["Ctrl+M"],
        "New → In progress → Done",
    )
    doc_menu.addSeparator()
    # Not A: A is the accept key, and one key has one meaning (S sits beside D = next).
    add(
        doc_menu, "previous_document", "&Previous document", window.previous_document, ["S", "PgUp"]
    )
    add(doc_menu, "next_document", "&Next document", window.next_document, ["D", "PgDown"])
    # J down the list, K up it: the convention of vi, Gmail and most readers.
    add(doc_menu, "previous_span", "Previous &span", window.previous_span, ["K", "["])
    add(doc_menu, "next_span", "Next s&pan", window.next_span, ["J", "]"])
    doc_menu.addSeparator()
    # Ctrl+F finds in the article (Edit menu); L as in a browser's location bar.
    add(
        doc_menu,
        "filter_documents",
        "&Go to the document filter",
        window.focus_document_filter,
        ["Ctrl+L"],
        "Filter the document list by title",
    )
    add_suggestion_actions(window, add, actions, doc_menu=doc_menu, edit_menu=edit_menu)

    view_menu = bar.addMenu("&View")
    for dock in window.docks():
        view_menu.addAction(dock.toggleViewAction())
    history = window.history_dock.toggleViewAction()
    history.setObjectName("action_history")
    history.setShortcut(QKeySequence("Ctrl+H"))
    history.setStatusTip("Who changed the current span, and when")
    window.addAction(history)
    actions.by_name["history"] = history
    agreement = window.agreement_dock.toggleViewAction()
    agreement.setObjectName("action_agreement")
    agreement.setText("&Agreement")
    # Ctrl+Shift+A is taken (accept all suggestions of a label); I for inter-annotator.
    agreement.setShortcut(QKeySequence("Ctrl+Shift+I"))
    agreement.setStatusTip("How far the annotators' layers agree, per label and per document")
    agreement.triggered.connect(
        lambda shown: window.agreement.take_focus() if shown else window.view.setFocus()
    )
    window.addAction(agreement)
    actions.by_name["agreement"] = agreement
    view_menu.addSeparator()
    add(
        view_menu,
        "dashboard",
        "&Dashboard…",
        lambda: _open_dashboard(window),
        ["Ctrl+Shift+D"],
        "Charts of the desk: documents done, spans, error types, agreement, suggestions accepted",
    )
    add_view_actions(window, add, actions, view_menu)
    actions.spelling = SpellingMenu(window, add, view_menu)

    team_menu = bar.addMenu("&Team")
    window.team.build_menu(team_menu, add)
    team_menu.addSeparator()
    # Ctrl+Shift+C: free (copy is Ctrl+C; the article view copies with it).
    add(
        team_menu,
        "curate",
        "&Curate…",
        window.curation.open,
        ["Ctrl+Shift+C"],
        "Merge the annotators' layers of a document and settle where they differ, one key each",
    )

    help_menu = bar.addMenu("&Help")
    add(help_menu, "shortcuts", "&Keyboard shortcuts", window.show_shortcuts, ["F1"])
    add(
        help_menu,
        "edit_shortcuts",
        "Cu&stomize keyboard shortcuts…",
        lambda: open_shortcut_editor(window),
        ["Ctrl+Alt+K"],
        "Give an action other keys; kept for the next start",
    )
    add(help_menu, "about", "&About annotator", window.show_about)

    def retip() -> None:
        retip_toolbars(window, actions, show_keys_in_tooltip)

    # Last: the defaults are the keys every action was just built with.
    ShortcutSettings(window, actions, window.settings, retip).restore()
    retip()
    return actions


def show_keys_in_tooltip(action: QAction) -> None:
    """A toolbar button's tooltip names its keys ("Accept suggestion (A)"), so the mouse
    teaches the keyboard; the status tip, if any, follows on a second line."""
    text, _, typed = action.text().partition("\t")
    # Keys a key filter handles (A accepts) are only written after a tab in the menu text.
    keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
    keys = keys or ([typed] if typed else [])
    if not keys:
        return
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    tip = f"{text.rstrip('…')} ({', '.join(keys)})"
    if action.statusTip():
        tip += f"\n{action.statusTip()}"
    action.setToolTip(tip)
