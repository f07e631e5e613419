"""Team ▸ Curate… (Ctrl+Shift+C): merge the annotators' layers of a document into the curated
layer and settle, one key each, where they differ (INCEpTION's curation page, keyboard-first).

Top: the document (those with two or more annotators' layers), the strategy that decides what
counts as agreed, "Merge agreeing spans" (this document; every document off the GUI thread),
and how many disagreements are open. Left: the disagreements, in text order. Right: the lanes
(``curation_lanes``): the curated result, then one lane per annotator, numbered as the keys
that take them.

Keys (window shortcuts, so they work from the list and from a lane alike; text fields keep
their printable keys): J/K or Down/Up move; 1–9 take that annotator's option, A takes all of
them, 0 or N none, E edits; Ctrl+Z undoes the last settle, Ctrl+Shift+Z redoes it. Enter on
the list goes into the lanes, Esc back to the list; W shows the whole article; F5 reads again.

The view reads and writes through ``CurationService`` only (never the store); a refusal, a
stale disagreement or a lost connection is one message in the view, never a traceback.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import Disagreement, Strategy
from annotator.services.app import App
from annotator.services.curation import CurationService, CurationState
from annotator.ui.curation.commands import CurationCommands
from annotator.ui.curation.lanes import CURATED_LANE, LaneContent, LanesPanel, Mark
from annotator.ui.curation.settle import (
    USER_ERRORS,
    decision_text,
    option_html,
    option_text,
    problem_text,
    quoted,
)
from annotator.ui.window.layout import FAILED_COLOR

log = logging.getLogger(__name__)

STRATEGIES = (
    ("All agree", Strategy.ALL),
    ("At least K agree", Strategy.AT_LEAST),
    ("Majority", Strategy.MAJORITY),
)
SETTLED_COLOR = "#6b6b6b"
HINTS = (
    "J/K move · 1–9 take that lane · A all · 0/N none · E edit · Ctrl+Z undo · "
    "Enter lanes · Esc list · W whole article"
)


class CurationView(QWidget):
    changed = Signal(int)  # a document whose curated layer was written
    corpusChanged = Signal()  # the merge over every document finished
    shown = Signal()  # the list and lanes now show what was read last

    def __init__(
        self, app: App, *, document_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("curationView")
        self.setAccessibleName("Curation")
        self.setWindowTitle(f"Curation — {app.user} — annotator")
        self.app = app
        self.service = CurationService(app.db, actor=app.user)
        self._texts: dict[int, str] = {}
        self.state: CurationState | None = None
        self.document_id: int | None = None
        self._build()
        self.commands = CurationCommands(self)
        self.merge_button.clicked.connect(self.commands.merge)
        self.merge_all_button.clicked.connect(self.commands.merge_all)
        # Fixed constraints: lanes change height with every disagreement, and a window whose
        # minimum follows them would jump (and the platform be asked again each time).
        self.setMinimumSize(760, 480)
        self.resize(1240, 780)
        self.refresh_documents(prefer=document_id)

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.document_combo = QComboBox()
        self.document_combo.setObjectName("curationDocument")
        self.document_combo.setAccessibleName("Document")
        self.document_combo.setMinimumContentsLength(28)
        self.strategy_combo = QComboBox()
        self.strategy_combo.setObjectName("curationStrategy")
        self.strategy_combo.setAccessibleName("Strategy")
        for text, strategy in STRATEGIES:
            self.strategy_combo.addItem(text, strategy)
        self.k_spin = QSpinBox()
        self.k_spin.setObjectName("curationK")
        self.k_spin.setAccessibleName("K, the annotators who must agree")
        self.k_spin.setRange(1, 99)
        self.k_spin.setValue(2)
        self.k_spin.setPrefix("K = ")
        self.k_spin.setEnabled(False)
        self.merge_button = QPushButton("&Merge agreeing spans")
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(
            "Put the spans the annotators agree on (by the strategy) "
            "into this document's curated layer"
        )
        self.merge_all_button = QPushButton("Merge in a&ll documents…")
        self.merge_all_button.setObjectName("mergeAllButton")
        self.merge_all_button.setToolTip(
            "The same for every document with two annotators; "
            "documents merged before are left alone"
        )
        self.counter = QLabel()
        self.counter.setObjectName("openCounter")
        self.whole_check = QCheckBox("&Whole article")
        self.whole_check.setObjectName("wholeArticle")
        top = QHBoxLayout()
        for text, widget in (
            ("&Document:", self.document_combo),
            ("&Strategy:", self.strategy_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
        for button in (self.k_spin, self.merge_button, self.merge_all_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.whole_check)
        top.addWidget(self.counter)

        self.message = QLabel()
        self.message.setObjectName("curationMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.list = QListWidget()
        self.list.setObjectName("disagreementList")
        self.list.setAccessibleName("Disagreements")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.installEventFilter(self)
        hints = QLabel(HINTS)
        hints.setObjectName("keyHints")
        hints.setWordWrap(True)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        column.addWidget(hints)
        self.lanes = LanesPanel(self.app.tagset)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.lanes)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 900])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self.document_combo.activated.connect(lambda _i: self._document_chosen())
        self.strategy_combo.activated.connect(lambda _i: self._strategy_chosen())
        self.k_spin.editingFinished.connect(self._strategy_chosen)
        self.whole_check.toggled.connect(self._whole_toggled)
        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        self.list.itemDoubleClicked.connect(lambda _item: self.lanes.focus_lane())

    # -- reading -----------------------------------------------------------------------------

    def strategy(self) -> tuple[Strategy, int | None]:
        # Qt hands the item data back as a plain str: the enum is made again here.
        strategy = Strategy(self.strategy_combo.currentData())
        return strategy, (self.k_spin.value() if strategy is Strategy.AT_LEAST else None)

    def refresh_documents(self, prefer: int | None = None) -> None:
        """Fill the chooser with the documents two or more annotators worked on; show
        ``prefer`` (the main window's document) if it is one of them."""
        try:
            ids = list(self.service.documents())
            infos = self.app.documents.rows(ids)
        except USER_ERRORS as exc:
            self.say(problem_text(exc, "list the documents to curate"), error=True)
            return
        keep = prefer if prefer is not None else self.document_id
        self.document_combo.clear()
        for doc in ids:
            self.document_combo.addItem(infos[doc].title if doc in infos else f"#{doc}", doc)
        if not ids:
            self._clear()
            self.say("No document has layers from two annotators yet: nothing to curate.")
            return
        chosen = keep if keep in ids else ids[0]
        self.document_combo.setCurrentIndex(ids.index(chosen))
        if self.load(chosen) and prefer is not None and prefer not in ids:
            self.say(
                "The open document has fewer than two annotators' layers; showing "
                f"{quoted(self.document_combo.currentText())}."
            )

    def choose_document(self, document_id: int) -> bool:
        index = self.document_combo.findData(document_id)
        if index < 0:
            return False
        self.document_combo.setCurrentIndex(index)
        return self.load(document_id)

    def load(
        self, document_id: int, *, keep: tuple[int, int] | None = None, after: int | None = None
    ) -> bool:
        """Read the document's layers and decisions again and show them; select ``keep``, or
        the first open disagreement from row ``after`` on."""
        try:
            if document_id not in self._texts:
                self._texts[document_id] = self.app.documents.get(
                    document_id, with_spans=False
                ).text
            state = self.read(document_id)
        except USER_ERRORS as exc:
            self.say(problem_text(exc, "read the annotators' layers"), error=True)
            return False
        self.document_id = document_id
        self.show_state(state, keep=keep, after=after)
        return True

    def reload(self) -> None:
        if self.document_id is not None:
            current = self.current()
            if self.load(self.document_id, keep=current.key if current else None):
                self.say("Read again")

    def read(self, document_id: int) -> CurationState:
        strategy, k = self.strategy()
        return self.service.state(document_id, strategy=strategy, min_agree=k)

    def text(self, document_id: int) -> str:
        return self._texts[document_id]

    def show_state(
        self, state: CurationState, *, keep: tuple[int, int] | None, after: int | None = None
    ) -> None:
        self.state = state
        focus_in_lanes = self._in_lanes(QApplication.focusWidget())
        self.lanes.set_names([CURATED_LANE, *state.curation.annotators])
        if focus_in_lanes and not self._in_lanes(QApplication.focusWidget()):
            self.lanes.focus_lane()  # the lane in focus was rebuilt: never lose the focus
        items = state.curation.disagreements
        self.list.blockSignals(True)
        self.list.clear()
        for d in items:
            item = QListWidgetItem(self._item_text(d))
            if d.key in state.settled:
                item.setForeground(QColor(SETTLED_COLOR))
            self.list.addItem(item)
        row = next((i for i, d in enumerate(items) if d.key == keep), None)
        if row is None and items:
            start = after or 0
            order = list(range(start, len(items))) + list(range(start))
            row = next(
                (i for i in order if items[i].key not in state.settled), min(start, len(items) - 1)
            )
        self.list.setCurrentRow(-1 if row is None else row)
        self.list.blockSignals(False)
        self._update_counter()
        self._show_current()

    def _in_lanes(self, widget: QWidget | None) -> bool:
        return widget is not None and self.lanes.isAncestorOf(widget)

    def _item_text(self, d: Disagreement) -> str:
        decision = self.state.settled.get(d.key) if self.state else None
        head = f"✓ {decision_text(decision)}" if decision else "● open"
        text = self._texts.get(self.document_id or -1, "")
        lines = [f"{head}   {quoted(text[d.start : d.end])}"]
        for n, name in enumerate(self.state.curation.annotators if self.state else (), 1):
            lines.append(f"  {n} {name}: {option_text(self.app.tagset, d.options[name])}")
        return "\n".join(lines)

    def _update_counter(self) -> None:
        state = self.state
        if state is None:
            self.counter.setText("")
            return
        total = len(state.curation.disagreements)
        still = len(state.open_disagreements())
        self.counter.setText(
            f"{still} of {total} disagreement{'s' if total != 1 else ''} open"
            if total
            else "No disagreements"
        )

    def current(self) -> Disagreement | None:
        row = self.list.currentRow()
        if self.state is None or not 0 <= row < len(self.state.curation.disagreements):
            return None
        return self.state.curation.disagreements[row]

    def _show_current(self) -> None:
        state, doc = self.state, self.document_id
        if state is None or doc is None:
            return
        d = self.current()
        tagset = self.app.tagset
        stored = {(s.start, s.end, s.label) for s in state.curated}
        curated = [Mark(s.start, s.end, s.label) for s in state.curated]
        waiting = [
            Mark(t.start, t.end, t.label, preview=True)
            for t in state.curation.agreed
            if t.key not in stored
        ]
        decision = state.settled.get(d.key) if d else None
        head = "<b>Curated</b>"
        if d is not None:
            head += f" — {html.escape(decision_text(decision)) if decision else 'open'}"
        if waiting:
            head += (
                f" · {len(waiting)} agreed span{'s' if len(waiting) != 1 else ''} not "
                "merged yet (dashed)"
            )
        contents = {CURATED_LANE: LaneContent(head, curated + waiting)}
        for n, name in enumerate(state.curation.annotators, 1):
            option = option_html(tagset, d.options[name]) if d else ""
            contents[name] = LaneContent(
                f"<b>{n} {html.escape(name)}</b>" + (f" — {option}" if d else ""),
                [Mark(t.start, t.end, t.label) for t in state.layers.get(name, ())],
            )
        self.lanes.show_lanes(self._texts[doc], d.key if d else None, contents)
        self.shown.emit()

    def _clear(self) -> None:
        self.state, self.document_id = None, None
        self.list.clear()
        self.lanes.set_names([])
        self._update_counter()

    # -- moving ------------------------------------------------------------------------------

    def step(self, by: int) -> None:
        count = self.list.count()
        if not count:
            self.say("Nothing to settle here")
            return
        row = self.list.currentRow() + by
        if not 0 <= row < count:
            self.say("No more disagreements" if by > 0 else "This is the first disagreement")
            return
        self.list.setCurrentRow(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.lanes.focus_lane()
            return True
        return super().eventFilter(watched, event)

    def _document_chosen(self) -> None:
        doc = self.document_combo.currentData()
        if doc is not None and doc != self.document_id:
            self.message.hide()  # what the last key did was about the other document
            self.load(doc)  # the focus stays: Down again is the next document, Esc the list

    def _strategy_chosen(self) -> None:
        self.k_spin.setEnabled(self.strategy()[0] is Strategy.AT_LEAST)
        if self.document_id is not None:
            current = self.current()
            self.load(self.document_id, keep=current.key if current else None)

    def _whole_toggled(self, whole: bool) -> None:
        in_lanes = self._in_lanes(QApplication.focusWidget())
        self.lanes.set_whole(whole)  # new lanes: the one in focus is gone
        self._show_current()
        if in_lanes:
            self.lanes.focus_lane()
        elif QApplication.focusWidget() is None or self.whole_check.hasFocus():
            self.list.setFocus()

    # -- messages and closing ----------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        """The message bar: what the last key did, or what went wrong and what to do."""
        (log.info if error else log.debug)("curation: %s", text)
        self.message.setStyleSheet(
            f"color: {FAILED_COLOR}; font-weight: bold; border: 1px solid {FAILED_COLOR}; "
            "padding: 4px;"
            if error
            else "padding: 4px;"
        )
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.commands.shutdown()
        super().closeEvent(event)
