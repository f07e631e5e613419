"""The annotation table's Qt models: every span of the open document, and the sorted,
filtered view of them the table shows.

One document holds tens to a few hundred spans, so the model keeps them all (unlike the
document list, which pages through the corpus). It changes row by row as commands report
changes, so the user's selection and scroll position survive an edit. The source model keeps
text order (rows looked up by bisection); sorting and filtering live in a proxy on top, with
plain sort keys (ints, floats, folded strings) so Qt sorts in C++ without calling Python.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QIcon

from annotator.core.model import Span, SpanStatus
from annotator.core.tagset import Tagset
from annotator.ui.models.rule_rates import RuleRates
from annotator.ui.models.span_layers import Look, look_of, who
from annotator.ui.widgets.label_palette import color_swatch

log = logging.getLogger(__name__)

LABEL, BY, TEXT, STATUS, POSITION, CONFIDENCE, RULE, CORRECTION, NOTE = range(9)
HEADERS = ("Label", "By", "Text", "Status", "Position", "Confidence", "Rule", "Correction",
           "Note")  # fmt: skip
#: The role the proxy sorts on: a value Qt compares natively, never a Python object.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_BY_TIPS = {
    Look.OWN: "Your tag",
    Look.PENDING: "A suggestion: accept or reject it",
    Look.CURATED: "The curator's settled result",
}
_STATUS_NAMES = {
    SpanStatus.ACCEPTED: "Accepted",
    SpanStatus.PENDING: "Pending",
    SpanStatus.REJECTED: "Rejected",
}
#: Offsets fit in 2**24 code points with room to spare; start and end packed in one int
#: sort by start, then end.
_END_BITS = 24
_AnyIndex = QModelIndex | QPersistentModelIndex


def _order(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id or 0)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def status_name(status: SpanStatus) -> str:
    return _STATUS_NAMES.get(status, str(status))


class SpanTableModel(QAbstractTableModel):
    def __init__(self, tagset: Tagset, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tagset = tagset
        self._spans: list[Span] = []
        # Sorted keys beside the spans and each id's key: row lookups by bisection, since an
        # article can carry 20,000 spans and every add or edit looks a row up.
        self._keys: list[tuple[int, int, int]] = []
        self._key_by_id: dict[int, tuple[int, int, int]] = {}
        self._swatches: dict[str, QIcon] = {}
        #: Whose layer the By column calls "you" (None: names everyone as stored).
        self.viewer: str | None = None
        #: How often users accept each rule, in the Rule column's tooltip.
        self.rule_rates = RuleRates()

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(span, column)
        if role == SORT_ROLE:
            return self._sort_key(span, column)
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return self._swatch(span.label)
        if role == Qt.ItemDataRole.FontRole and span.status == SpanStatus.PENDING:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (POSITION, CONFIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(span, column)
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None

    def _display(self, span: Span, column: int) -> str:
        if column == LABEL:
            name = self.label_name(span.label)
            if span.error_type:
                name = f"{name}: {span.error_type.replace('_', ' ')}"
            return f"{name} (suggested)" if span.status == SpanStatus.PENDING else name
        if column == BY:
            return who(span, self.viewer)
        if column == TEXT:
            return _one_line(span.text)
        if column == STATUS:
            return status_name(span.status)
        if column == POSITION:
            return f"{span.start}–{span.end}"
        if column == CONFIDENCE:
            return "" if span.confidence is None else f"{span.confidence:.2f}"
        if column == RULE:
            return span.rule or ""
        if column == CORRECTION:
            return _one_line(span.correction)
        return _one_line(span.note)

    def _sort_key(self, span: Span, column: int) -> object:
        if column == POSITION:
            # A float: Qt compares one numeric type reliably, and ints past 2**31 arrive
            # as another type than those below it. Exact: far below 2**53.
            return float((span.start << _END_BITS) | span.end)
        if column == CONFIDENCE:
            # Manual spans (no score) sort below every suggestion.
            return -1.0 if span.confidence is None else float(span.confidence)
        return self._display(span, column).casefold()

    def _tooltip(self, span: Span, column: int) -> str | None:
        if column == NOTE and span.note:
            return span.note
        if column in (TEXT, POSITION):
            return f"{span.text}\n(characters {span.start}–{span.end})"
        if column == BY:
            look = look_of(span, self.viewer)
            return _BY_TIPS.get(look) or f"In {span.layer}'s layer"
        if column in (CONFIDENCE, RULE) and span.rule:
            tip = "The suggester rule that proposed this span and its confidence (0–1)"
            rate = self.rule_rates.describe(span.rule)
            return f"{tip}\n{span.rule}: users {rate} of its suggestions" if rate else tip
        return None

    def label_name(self, key: str) -> str:
        label = self._tagset.get(key)
        return label.name if label else key

    def _swatch(self, key: str) -> QIcon:
        icon = self._swatches.get(key)
        if icon is None:
            label = self._tagset.get(key)
            icon = color_swatch(label.color if label else "#9c9c9c")
            self._swatches[key] = icon
        return icon

    # -- public API ---------------------------------------------------------------------------

    def set_spans(self, spans: Iterable[Span]) -> None:
        self.beginResetModel()
        self._spans = sorted(spans, key=_order)
        self._keys = [_order(s) for s in self._spans]
        self._key_by_id = {
            s.id: k for s, k in zip(self._spans, self._keys, strict=True) if s.id is not None
        }
        self.endResetModel()

    def spans(self) -> list[Span]:
        return list(self._spans)

    def pending_count(self) -> int:
        return sum(1 for s in self._spans if s.status == SpanStatus.PENDING)

    def set_viewer(self, name: str | None) -> None:
        if name != self.viewer:
            self.viewer = name
            if self._spans:
                self.dataChanged.emit(self.index(0, BY), self.index(len(self._spans) - 1, BY))

    def row_of(self, span_id: int) -> int | None:
        key = self._key_by_id.get(span_id)
        if key is None:
            return None
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else None

    def span_by_id(self, span_id: int) -> Span | None:
        row = self.row_of(span_id)
        return self._spans[row] if row is not None else None

    def span_at(self, row: int) -> Span | None:
        return self._spans[row] if 0 <= row < len(self._spans) else None

    def upsert(self, span: Span) -> None:
        assert span.id is not None
        old = self.row_of(span.id)
        if old is not None:
            if _order(self._spans[old]) == _order(span):
                self._spans[old] = span
                self.dataChanged.emit(self.index(old, 0), self.index(old, len(HEADERS) - 1))
                return
            self.remove(span.id)
        key = _order(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self._keys.insert(row, key)
        self._key_by_id[span.id] = key
        self.endInsertRows()

    def remove(self, span_id: int) -> bool:
        row = self.row_of(span_id)
        if row is None:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        del self._keys[row]
        del self._key_by_id[span_id]
        self.endRemoveRows()
        return True


class SpanFilterProxy(QSortFilterProxyModel):
    """Sorts on any column (by ``SORT_ROLE``) and keeps the rows matching the filter row: a
    label, a status and a piece of text (found in the span's text, correction or note,
    ignoring case). Sorting is stable, so ties keep text order."""

    def __init__(self, source: SpanTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self._label: str | None = None
        self._status: SpanStatus | None = None
        self._text = ""

    def set_filter(
        self, *, label: str | None = None, status: SpanStatus | None = None, text: str = ""
    ) -> None:
        text = text.strip().casefold()
        if (label, status, text) == (self._label, self._status, self._text):
            return
        # invalidateFilter() is deprecated from Qt 6.10 on; begin/endFilterChange replace it.
        self.beginFilterChange()
        self._label, self._status, self._text = label, status, text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filtering(self) -> bool:
        return bool(self._label or self._status or self._text)

    def filterAcceptsRow(self, source_row: int, source_parent: _AnyIndex) -> bool:
        if not self.filtering():
            return True
        span = self._source.span_at(source_row)
        if span is None:
            return False
        if self._label is not None and span.label != self._label:
            return False
        if self._status is not None and span.status != self._status:
            return False
        if self._text:
            haystack = " ".join(x for x in (span.text, span.correction, span.note) if x)
            return self._text in haystack.casefold()
        return True
