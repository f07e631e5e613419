"""The suggestion entries of the Document and Edit menus, and the main toolbar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton

from annotator.ui.window.review_keys import REVIEW_KEY_ROWS
from annotator.ui.window.suggestions import ACCEPT_ALL_OF_LABEL

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow
    from annotator.ui.window.menus import WindowActions


def add_suggestion_actions(
    window: MainWindow,
    add: Callable[..., QAction],
    actions: WindowActions,
    *,
    doc_menu: QMenu,
    edit_menu: QMenu,
) -> QToolBar:
    """The Document and Edit menu entries and the main toolbar; returns the toolbar."""
    ctl = window.suggestions
    doc_menu.addSeparator()
    add(
        doc_menu,
        "suggest_document",
        "Su&ggest for this document",
        ctl.suggest_current,
        ["Ctrl+G"],
        "Run the suggesters on the open document",
    )
    add(
        doc_menu,
        "suggest_all",
        "Suggest for &all documents",
        ctl.suggest_all,
        ["Ctrl+Shift+G"],
        "Run the suggesters on every document",
    )
    add(doc_menu, "next_pending", "Next pending suggestion", ctl.next_pending, ["N"])
    add(
        doc_menu,
        "previous_pending",
        "Previous pending suggestion",
        ctl.previous_pending,
        ["Shift+N"],
    )
    # The keys are shown after a tab, not registered: the view's filter handles them.
    add(doc_menu, "accept_suggestion", "Accept suggestion\tA", ctl.accept_current)
    add(doc_menu, "reject_suggestion", "Reject suggestion\tBackspace, R", ctl.reject_current)
    accept_all = add(
        doc_menu,
        "accept_all_label",
        ACCEPT_ALL_OF_LABEL,
        ctl.accept_all_of_label,
        ["Ctrl+Shift+A"],
        "Accept every pending suggestion with the current span's label (with no "
        "span selected, asks which label); asks first, one undo step",
    )
    add(
        doc_menu,
        "accept_all",
        "Accept all suggestions in this document…",
        ctl.accept_all_in_document,
        [],
        "Accept every pending suggestion in this document, whatever its label; asks first, "
        "one undo step",
    )
    doc_menu.aboutToShow.connect(lambda: ctl.update_action_texts(accept_all))
    doc_menu.addSeparator()
    add(
        doc_menu,
        "add_to_kb",
        "Add to &knowledge base…",
        ctl.kb.add_to_kb,
        ["Ctrl+K"],
        "Add the selection or the current span as an athlete or event",
    )
    edit_menu.addSeparator()
    add(
        edit_menu,
        "knowledge_base",
        "&Knowledge base…",
        ctl.kb.show_knowledge_base,
        ["Ctrl+Shift+K"],
        "List, filter and edit the athletes and events",
    )
    actions.extra_rows.extend(REVIEW_KEY_ROWS)

    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("mainToolBar")
    bar.setAccessibleName("Main toolbar")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    suggest = QAction("Suggest", window)
    suggest.setObjectName("action_suggest")
    suggest.setToolTip("Suggest athletes, events, dates and misspellings in this document "
                       "(Ctrl+G; the arrow: all documents)")  # fmt: skip
    suggest.triggered.connect(lambda _checked=False: ctl.suggest_current())
    menu = QMenu(bar)
    menu.addAction(actions["suggest_document"])
    menu.addAction(actions["suggest_all"])
    suggest.setMenu(menu)
    bar.addAction(suggest)
    button = bar.widgetForAction(suggest)
    if isinstance(button, QToolButton):
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    actions.by_name["suggest"] = suggest
    bar.addSeparator()
    for name, text in (("previous_pending", "◀ Pending"), ("next_pending", "Pending ▶"),
                       ("accept_suggestion", "Accept"), ("reject_suggestion", "Reject"),
                       ("accept_all_label", "Accept all of label"),
                       ("accept_all", "Accept all")):  # fmt: skip
        button_action = QAction(text, bar)
        button_action.setObjectName(f"toolbar_{name}")
        button_action.setToolTip(actions[name].text().split("\t")[0])
        button_action.triggered.connect(
            lambda _checked=False, target=actions[name]: target.trigger()
        )
        bar.addAction(button_action)
    bar.addSeparator()
    kb_action = QAction("Knowledge base", bar)
    kb_action.setObjectName("toolbar_knowledge_base")
    kb_action.triggered.connect(lambda _checked=False: ctl.kb.show_knowledge_base())
    bar.addAction(kb_action)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
