"""The Agreement panel's tables: an ``AgreementReport`` laid out as rows of figures.

The overall table has a row for all labels together and one per label; the per-document table
a row per (document, label). Columns are each pair's exact F1, overlap F1 and Cohen's kappa,
then Krippendorff's alpha and unitizing alpha, and on the "All labels" row the agreement on
error type and correction. A figure shows with three decimals, as ``annotator agreement``
prints it; an undefined one (``None``, null in the JSON) shows "—" and its tooltip says why.
A cell left empty does not apply (a pair that did not both annotate that document).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from annotator.core.agreement import AgreementReport, LabelAgreement

UNDEFINED = "—"
#: The figure behind a cell: a float, None (undefined), or absent (not applicable).
VALUE = Qt.ItemDataRole.UserRole
#: The document id of a per-document row.
DOCUMENT = Qt.ItemDataRole.UserRole + 1
#: The label key of a row (None on the "All labels" row).
LABEL = Qt.ItemDataRole.UserRole + 2
ALL_LABELS = "All labels"
#: A document title column is at most this many characters wide.
MAX_HEADING_CHARS = 36
_AnyIndex = QModelIndex | QPersistentModelIndex

PAIR_MEASURES = ("exact_f1", "overlap_f1", "kappa")
SHORT = {
    "exact_f1": "exact F1", "overlap_f1": "overlap F1", "kappa": "κ", "alpha": "α",
    "u_alpha": "uα", "error_type": "error type", "correction": "correction",
}  # fmt: skip
DESCRIPTION = {
    "exact_f1": "Exact span F1: spans with the same start, end and label",
    "overlap_f1": "Overlap span F1: spans of the same label sharing a character",
    "kappa": "Cohen's kappa on the tokens' labels",
    "alpha": "Krippendorff's alpha (nominal) on the tokens' labels, all annotators",
    "u_alpha": "Krippendorff's unitizing alpha on characters, all annotators",
    "error_type": "Error spans marked identically by two annotators: share with the same "
    "error type",
    "correction": "Error spans marked identically by two annotators: share with the same "
    "correction",
}
WHY_UNDEFINED = {
    "exact_f1": "neither annotator has a span of this label",
    "overlap_f1": "neither annotator has a span of this label",
    "kappa": "both annotators put every token in one and the same category (or there are "
    "no tokens)",
    "alpha": "fewer than two values, or only one category occurs",
    "u_alpha": "nobody used this label (the expected disagreement is 0)",
    "error_type": "no error span was marked with the same start and end by two annotators",
    "correction": "no error span was marked with the same start and end by two annotators",
}


def figure_text(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value:.3f}"


def undefined_tip(measure: str) -> str:
    return f"Undefined (null in the JSON and CSV): {WHY_UNDEFINED[measure]}"


@dataclass(frozen=True)
class Column:
    measure: str
    pair: tuple[str, str] | None = None

    def title(self) -> str:
        if self.pair is None:
            return SHORT[self.measure]
        return f"{self.pair[0]} – {self.pair[1]}\n{SHORT[self.measure]}"

    def describe(self) -> str:
        text = DESCRIPTION[self.measure]
        return f"{text}; {self.pair[0]} and {self.pair[1]}" if self.pair else text


@dataclass
class FigureRow:
    heading: tuple[str, ...]  # the text cells before the figures: (label,) or (title, label)
    values: dict[Column, float | None] = field(default_factory=dict)
    label: str | None = None
    document_id: int | None = None


def _figures(result: LabelAgreement) -> dict[Column, float | None]:
    values: dict[Column, float | None] = {}
    for pair in result.pairs:
        for name in PAIR_MEASURES:
            values[Column(name, (pair.a, pair.b))] = getattr(pair, name)
    values[Column("alpha")] = result.alpha
    values[Column("u_alpha")] = result.u_alpha
    return values


def figure_columns(report: AgreementReport, *, errors: bool) -> list[Column]:
    pairs = [(p.a, p.b) for p in report.overall.pairs]
    columns = [Column(name, pair) for pair in pairs for name in PAIR_MEASURES]
    columns += [Column("alpha"), Column("u_alpha")]
    if errors:
        columns += [Column("error_type"), Column("correction")]
    return columns


def overall_rows(report: AgreementReport, name: Callable[[str], str]) -> list[FigureRow]:
    first = FigureRow((ALL_LABELS,), _figures(report.overall))
    first.values[Column("error_type")] = report.errors.error_type
    first.values[Column("correction")] = report.errors.correction
    return [first] + [FigureRow((name(label),), _figures(result), label=label)
                      for label, result in report.labels.items()]  # fmt: skip


def document_rows(report: AgreementReport, titles: dict[int, str],
                  name: Callable[[str], str]) -> list[FigureRow]:  # fmt: skip
    rows = []
    for doc, results in report.per_document.items():
        title = titles.get(doc, f"document {doc}")
        if not results:  # compared, but nobody used a chosen label there
            rows.append(FigureRow((title, "(no spans)"), document_id=doc))
        for label, result in results.items():
            rows.append(FigureRow((title, name(label)), _figures(result), label, doc))
    return rows


class FigureModel(QAbstractTableModel):
    def __init__(self, headings: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headings = list(headings)
        self._columns: list[Column] = []
        self._rows: list[FigureRow] = []

    def set_rows(self, columns: list[Column], rows: list[FigureRow]) -> None:
        self.beginResetModel()
        self._columns, self._rows = columns, rows
        self.endResetModel()

    def headings(self) -> int:
        """The number of text columns before the figures."""
        return len(self._headings)

    def column(self, index: int) -> Column | None:
        index -= len(self._headings)
        return self._columns[index] if 0 <= index < len(self._columns) else None

    def column_of(self, measure: str, pair: tuple[str, str] | None = None) -> int:
        return len(self._headings) + self._columns.index(Column(measure, pair))

    def row(self, index: int) -> FigureRow:
        return self._rows[index]

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headings) + len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title() if column else self._headings[section]
        if role == Qt.ItemDataRole.ToolTipRole and column is not None:
            return column.describe()
        return None

    def data(self, index: _AnyIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == DOCUMENT:
            return row.document_id
        if role == LABEL:
            return row.label
        column = self.column(index.column())
        if column is None:
            text = row.heading[index.column()]
            return text if role in (Qt.ItemDataRole.DisplayRole,
                                    Qt.ItemDataRole.ToolTipRole) else None  # fmt: skip
        applies = column in row.values
        value = row.values.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            return figure_text(value) if applies else ""
        if role == VALUE:
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if not applies:
                return (
                    "Computed over all labels: see the “All labels” row"
                    if column.pair is None
                    else "Not applicable: these two did not both annotate this document"
                )
            if value is None:
                return undefined_tip(column.measure)
            return f"{column.describe()}: {value:.6g}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FigureTable(QTableView):
    """A read-only table of figures; Ctrl+C copies the selected cells as tab-separated text
    (with the column titles when more than one cell is selected), ready for a spreadsheet."""

    def __init__(self, model: FigureModel, name: str, accessible: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(False)

    def fit_columns(self) -> None:
        """Columns as wide as their contents, but a long title never pushes the figures out
        of sight (it is elided; the tooltip has it whole)."""
        self.resizeColumnsToContents()
        widest = self.fontMetrics().averageCharWidth() * MAX_HEADING_CHARS
        for column in range(self.figures().headings()):
            if self.columnWidth(column) > widest:
                self.setColumnWidth(column, widest)

    def figures(self) -> FigureModel:
        model = self.model()
        assert isinstance(model, FigureModel)
        return model

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.selected_text())
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_text(self) -> str:
        indexes = self.selectedIndexes() or (
            [self.currentIndex()] if self.currentIndex().isValid() else []
        )
        if not indexes:
            return ""
        model = self.figures()
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}

        def cell(r: int, c: int) -> str:
            text = model.index(r, c).data() if (r, c) in chosen else ""
            return " ".join(str(text).split())

        lines = []
        if len(indexes) > 1:
            lines.append("\t".join(" ".join(str(model.headerData(
                c, Qt.Orientation.Horizontal)).split()) for c in columns))  # fmt: skip
        lines += ["\t".join(cell(r, c) for c in columns) for r in rows]
        return "\n".join(lines)
