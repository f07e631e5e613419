"""The user's own keyboard shortcuts: kept in the window's QSettings under
"shortcuts/<action name>" as portable key strings, applied over the keys the menus were built
with, and refused when another action, or a key handled outside the actions, holds the key.

The defaults are the keys the actions had when the menus were built, so an upgrade that gives
an action a new default key takes effect for everyone who never changed that action; a saved
key that now collides with such a default is ignored (and logged), never bound twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from annotator.core.tagset import Tagset

if TYPE_CHECKING:
    from annotator.ui.window.main_window import MainWindow
    from annotator.ui.window.menus import WindowActions

log = logging.getLogger(__name__)

SETTINGS_GROUP = "shortcuts"
_PORTABLE = QKeySequence.SequenceFormat.PortableText
_NATIVE = QKeySequence.SequenceFormat.NativeText


def key_text(sequence: QKeySequence) -> str:
    """The comparable, storable form of a key ("Ctrl+Alt+N")."""
    return sequence.toString(_PORTABLE)


def keys_text(sequences: Iterable[QKeySequence]) -> str:
    """The keys as a person reads them ("D, PgDown")."""
    return ", ".join(s.toString(_NATIVE) for s in sequences)


@dataclass(frozen=True)
class FixedKeys:
    """Keys handled by a key filter or a text field rather than by an action: shown in the
    editor so a refused key is explained, and never given to an action."""

    holder: str
    keys: tuple[str, ...]


_SPAN_EDGES = FixedKeys(
    "Move the current span's end or start (article view)",
    ("Shift+Left", "Shift+Right", "Alt+Shift+Left", "Alt+Shift+Right"),
)
_FIND_BAR = FixedKeys(
    "Find bar: match case, whole words, regular expression", ("Alt+C", "Alt+W", "Alt+R")
)
_GENERAL = FixedKeys(
    "Close a bar, save a field, move the focus",
    ("Esc", "Return", "Enter", "Tab", "Shift+Tab", "Backtab", "Shift+Backtab"),
)
_TEXT_EDITING = FixedKeys("Text editing and moving in the article (copy, select all, arrows)", (
    "Ctrl+C", "Ctrl+X", "Ctrl+V", "Ctrl+A", "Ctrl+Insert", "Shift+Insert", "Left", "Right",
    "Up", "Down", "Home", "End", "Shift+Up", "Shift+Down", "Shift+Home", "Shift+End",
    "Ctrl+Left", "Ctrl+Right", "Ctrl+Shift+Left", "Ctrl+Shift+Right", "Ctrl+Home", "Ctrl+End",
    "Ctrl+Shift+Home", "Ctrl+Shift+End",
))  # fmt: skip


def fixed_keys(tagset: Tagset) -> list[FixedKeys]:
    """Every key no action may take: the tagset's label keys (with Alt, the exact span), the
    review keys, the span edge keys, and the keys fields and the article's text use."""
    rows = []
    for label in tagset.labels:
        key = QKeySequence(label.shortcut)
        keys = [key_text(key), f"Alt+{key_text(key)}"] if key.count() == 1 else []
        if label.shortcut.isalpha():
            # The label filter ignores Shift: Shift+key labels as well.
            keys += [f"Shift+{key_text(key)}", f"Alt+Shift+{key_text(key)}"]
        rows.append(FixedKeys(f"Tag as {label.name} (from the tagset)", tuple(keys)))
    rows.append(FixedKeys("Accept suggestion (article view)", ("A",)))
    rows.append(FixedKeys("Reject suggestion (article view)", ("R", "Backspace")))
    return rows + [_SPAN_EDGES, _FIND_BAR, _GENERAL, _TEXT_EDITING]


def menu_path(action: QAction) -> str:
    """ "Document ▸ Next span": where the action is found, for the editor and its messages."""
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu):
            titles = []
            menu: object = owner
            while isinstance(menu, QMenu):
                titles.append(menu.title().replace("&", ""))
                menu = menu.parentWidget()
            return " ▸ ".join(reversed(titles))
    return "Toolbar"


#: Actions whose text changes with the state (the undo stack's "Undo Tag “Kerr”…"): their
#: lasting name, by object name.
STABLE_TITLES = {"action_undo": "Undo", "action_redo": "Redo"}


def action_title(action: QAction) -> str:
    text = STABLE_TITLES.get(action.objectName()) or action.text().split("\t")[0]
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


class ShortcutConflict(ValueError):
    """A key refused because ``holder`` (a person-readable name) already uses it."""

    def __init__(self, key: str, holder: str) -> None:
        super().__init__(f"{key} is already used by “{holder}”. Nothing was changed.")
        self.key = key
        self.holder = holder


class ShortcutSettings(QObject):
    """The window's editable shortcuts (a child of the window, found with
    ``window.findChild(ShortcutSettings)``)."""

    def __init__(
        self,
        window: MainWindow,
        actions: WindowActions,
        settings: QSettings,
        retip: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.setObjectName("shortcutSettings")
        self._actions = actions
        self._settings = settings
        self._retip = retip
        self.fixed = fixed_keys(window.app.tagset)
        self._reserved = {
            key_text(QKeySequence(k)): row.holder for row in self.fixed for k in row.keys
        }
        # Keys written after a tab (label keys, A, R) belong to a key filter: not editable here.
        self.names = [name for name, action in actions.by_name.items() if "\t" not in action.text()]
        self.defaults = {name: list(actions[name].shortcuts()) for name in self.names}

    # -- reading ---------------------------------------------------------------------------

    def action(self, name: str) -> QAction:
        return self._actions[name]

    def title(self, name: str) -> str:
        return action_title(self.action(name))

    def current(self, name: str) -> list[QKeySequence]:
        return list(self.action(name).shortcuts())

    def is_default(self, name: str) -> bool:
        return [key_text(k) for k in self.current(name)] == [
            key_text(k) for k in self.defaults[name]
        ]

    def holder_of(
        self,
        key: QKeySequence,
        *,
        besides: str,
        keys_of: Callable[[str], Sequence[QKeySequence]] | None = None,
    ) -> str | None:
        """Who, other than the action ``besides``, holds ``key``: an action's title, or what
        a fixed key does; None when the key is free."""
        text = key_text(key)
        # An action keeps a default key even where a tagset's label key has since taken it:
        # the label filter wins in the article, and a reset must not be refused.
        own_default = text in {key_text(k) for k in self.defaults.get(besides, [])}
        if text in self._reserved and not own_default:
            return self._reserved[text]
        keys_of = keys_of or self.current
        for name in self.names:
            if name != besides and text in {key_text(k) for k in keys_of(name)}:
                return f"{menu_path(self.action(name))} ▸ {self.title(name)}"
        return None

    # -- changing --------------------------------------------------------------------------

    def set_keys(self, name: str, keys: Sequence[QKeySequence]) -> None:
        """Give ``name`` these keys (none: no key), saved at once; raises ShortcutConflict,
        changing nothing, when another holds one of them."""
        keys = [k for k in keys if not k.isEmpty()]
        for key in keys:
            holder = self.holder_of(key, besides=name)
            if holder is not None:
                raise ShortcutConflict(key.toString(_NATIVE), holder)
        self._apply(name, keys)
        if self.is_default(name):
            self._settings.remove(f"{SETTINGS_GROUP}/{name}")
        else:
            self._settings.setValue(
                f"{SETTINGS_GROUP}/{name}", QKeySequence.listToString(keys, _PORTABLE)
            )

    def reset(self, name: str) -> None:
        """Back to the default keys; refused if another action took one of them meanwhile."""
        self.set_keys(name, self.defaults[name])

    def reset_all(self) -> None:
        for name in self.names:
            self._apply(name, self.defaults[name])
        self._settings.remove(SETTINGS_GROUP)

    def _apply(self, name: str, keys: Sequence[QKeySequence]) -> None:
        action = self.action(name)
        action.setShortcuts(list(keys))
        action.setToolTip("")  # made again from the new keys (or back to the plain text)
        self._retip()

    # -- at start --------------------------------------------------------------------------

    def _saved(self) -> dict[str, list[QKeySequence]]:
        saved: dict[str, list[QKeySequence]] = {}
        self._settings.beginGroup(SETTINGS_GROUP)
        try:
            stored = {name: self._settings.value(name) for name in self._settings.childKeys()}
        finally:
            self._settings.endGroup()
        for name, value in stored.items():
            if name not in self.defaults:
                log.info("ignoring a saved shortcut for an unknown action %r", name)
                continue
            keys = [
                k
                for k in QKeySequence.listFromString(str(value or ""), _PORTABLE)
                if not k.isEmpty()
            ]
            if any(not key_text(k) for k in keys):  # an unknown key name reads back as ""
                log.info("ignoring the saved shortcut %r of %s: not a key", value, name)
                continue
            saved[name] = keys
        return saved

    def restore(self) -> None:
        """Apply the saved keys. One that collides with a fixed key or another action's key
        (a default added since, a settings file edited by hand) is dropped with a log line,
        and the drop is checked again, until no key is bound twice."""
        saved = self._saved()
        active = set(saved)

        def keys_of(name: str) -> list[QKeySequence]:
            return saved[name] if name in active else self.defaults[name]

        changed = True
        while changed:
            changed = False
            for name in sorted(active):
                holder = next(
                    (
                        h
                        for k in saved[name]
                        if (h := self.holder_of(k, besides=name, keys_of=keys_of))
                    ),
                    None,
                )
                if holder is not None:
                    log.warning(
                        "ignoring the saved shortcut %s of %r: %s uses it",
                        keys_text(saved[name]),
                        name,
                        holder,
                    )
                    active.discard(name)
                    changed = True
                    break
        for name in active:
            self.action(name).setShortcuts(saved[name])
            self.action(name).setToolTip("")


def retip_toolbars(
    window: MainWindow, actions: WindowActions, show_keys: Callable[[QAction], None]
) -> None:
    """Tooltips name the current keys: every action's, then the toolbar buttons that stand
    in for menu actions take theirs."""
    # QWidget.actions, not the window's ``actions`` attribute that shadows it once built.
    for action in QWidget.actions(window):
        show_keys(action)
    for bar in window.findChildren(QToolBar):
        for button in bar.actions():
            source = actions.by_name.get(button.objectName().removeprefix("toolbar_"))
            if source is not None and button.objectName().startswith("toolbar_"):
                button.setToolTip(source.toolTip())
