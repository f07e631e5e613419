"""The dashboard's charts, built from plain figures (no database here): one function per chart,
and ``ChartPanel``, which shows a chart or, when there is nothing to draw, a sentence saying
why (empty axes look like a bug).

Each person keeps one colour in every chart (``person_colors``), so alice's bars and alice's
line read as the same person at a glance. The palette is Okabe and Ito's, which stays apart
for the common colour-vision deficiencies.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QLabel, QStackedWidget, QToolTip, QWidget

PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442")
CURATED_COLOR = "#7f7f7f"
CHART_MIN_HEIGHT = 260
#: A horizontal bar chart grows by this much per bar: below it, Qt elides the category labels
#: to "…" and drops every other one.
ROW_HEIGHT = 30
DARK_TEXT, LIGHT_TEXT = QColor("#202020"), QColor("#ffffff")


def person_colors(names: Sequence[str], curated: str = "curated") -> dict[str, QColor]:
    colors = {}
    for i, name in enumerate(n for n in names if n != curated):
        colors[name] = QColor(PALETTE[i % len(PALETTE)])
    colors[curated] = QColor(CURATED_COLOR)
    return colors


class ChartPanel(QStackedWidget):
    """A chart, or a message in its place ("No documents done yet", "Computing…")."""

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setMinimumHeight(CHART_MIN_HEIGHT)
        self.message = QLabel()
        self.message.setObjectName(f"{name}Message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        # A card like the charts' (white, rounded), the text dimmed but readable.
        self.message.setStyleSheet(
            "QLabel { background: palette(base); color: #5f6368; "
            "border-radius: 6px; font-size: 14px; }"
        )
        self.view = QChartView()
        self.view.setObjectName(f"{name}View")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.addWidget(self.message)
        self.addWidget(self.view)

    def chart(self) -> QChart | None:
        """The chart shown, None while a message stands in for it."""
        return self.view.chart() if self.currentWidget() is self.view else None

    def show_chart(self, chart: QChart) -> None:
        old = self.view.chart()
        self.view.setChart(chart)  # the view takes ownership of the new chart
        if old is not None and old is not chart:
            old.deleteLater()
        self.setCurrentWidget(self.view)

    def show_message(self, text: str, *, title: str = "") -> None:
        self.message.setText(f"<b>{title}</b><br><br>{text}" if title else text)
        self.setCurrentWidget(self.message)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(f"<b>{title}</b>")
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # a refresh is instant
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(chart.margins() * 0)  # the panel's frame is margin enough
    return chart


def _count_axis(top: float, title: str = "") -> QValueAxis:
    """A 0..top axis whose ticks fall on whole numbers (counts are never 2.5)."""
    top = max(1, math.ceil(top))
    k, step = 0, 1
    while top / step > 8:  # steps of 1, 2, 5, 10, 20, 50…: at most 8 intervals
        k += 1
        step = (1, 2, 5)[k % 3] * 10 ** (k // 3)
    top = math.ceil(top / step) * step
    axis = QValueAxis()
    axis.setRange(0, top)
    axis.setTickCount(top // step + 1)
    axis.setLabelFormat("%d")
    if title:
        axis.setTitleText(title)
    return axis


def _labelled_axis(
    low: float, high: float, marks: Sequence[tuple[float, str]], title: str = ""
) -> QCategoryAxis:
    """A value axis with text only at ``marks``: the range runs past the last one (room for
    the value printed beside a full bar) without a meaningless "110%" tick."""
    axis = QCategoryAxis()
    axis.setRange(low, high)
    axis.setStartValue(low)
    for value, text in marks:
        axis.append(text, value)
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    if title:
        axis.setTitleText(title)
    return axis


def rows_height(rows: int) -> int:
    """The height a horizontal bar chart of ``rows`` bars needs to label every one."""
    return max(CHART_MIN_HEIGHT, 110 + ROW_HEIGHT * rows)


def _text_on(color: QColor) -> QColor:
    """Dark text on a light fill, white on a dark one (Qt's default is white everywhere, which
    vanishes above a bar and on yellow)."""
    return DARK_TEXT if color.lightnessF() > 0.55 else LIGHT_TEXT


def _bar_set(name: str, values: Sequence[float], color: QColor, *, inside: bool) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.append([float(v) for v in values])
    bar_set.setColor(color)
    bar_set.setBorderColor(color)
    bar_set.setLabelColor(_text_on(color) if inside else DARK_TEXT)
    return bar_set


def _tooltips(bar_set: QBarSet, texts: Sequence[str]) -> None:
    def hovered(status: bool, index: int) -> None:
        if status and 0 <= index < len(texts):
            QToolTip.showText(QCursor.pos(), texts[index])
        else:
            QToolTip.hideText()

    bar_set.hovered.connect(hovered)


def _bars(
    chart: QChart,
    series: QAbstractBarSeries,
    categories: Sequence[str],
    value_axis: QValueAxis | QCategoryAxis,
    *,
    horizontal: bool = False,
) -> None:
    chart.addSeries(series)
    category_axis = QBarCategoryAxis()
    category_axis.append(list(categories))
    chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft if horizontal
                  else Qt.AlignmentFlag.AlignBottom)  # fmt: skip
    chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom if horizontal
                  else Qt.AlignmentFlag.AlignLeft)  # fmt: skip
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)


def _noon(day: dt.date) -> float:
    """A day as msecs since the epoch, at local noon: the axis shows local dates, and noon
    keeps a UTC day on its own date whatever the time zone's offset."""
    moment = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0))
    return float(moment.toMSecsSinceEpoch())


def done_over_time_chart(
    cumulative: Mapping[str, Sequence[tuple[dt.date, int]]], colors: Mapping[str, QColor]
) -> QChart:
    """A line per person: documents they have marked done, by the end of each day."""
    chart = _chart("Documents done per annotator (cumulative)")
    days = [day for points in cumulative.values() for day, _ in points]
    first = min(days) - dt.timedelta(days=1)
    # Ticks fall on whole days (the points' noons): a step of whole days, at most 8 ticks,
    # the range stretched past the last day to a whole number of steps.
    span = (max(days) - first).days + 1
    step = math.ceil(span / 7)
    intervals = math.ceil(span / step)
    last = first + dt.timedelta(days=step * intervals)
    x_axis = QDateTimeAxis()
    x_axis.setFormat("d MMM")
    x_axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(_noon(first))),
        QDateTime.fromMSecsSinceEpoch(int(_noon(last))),
    )
    x_axis.setTickCount(intervals + 1)
    # Headroom: the highest point's marker is not cut in half by the plot's edge.
    highest = max(total for points in cumulative.values() for _, total in points)
    y_axis = _count_axis(highest * 1.15, "documents")
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for name, points in cumulative.items():
        series = QLineSeries()
        series.setName(f"{name} ({points[-1][1]})")
        # From zero the day before the first: a single day still draws a line, not a dot.
        series.append(_noon(points[0][0] - dt.timedelta(days=1)), 0)
        for day, total in points:
            series.append(_noon(day), total)
        series.setPointsVisible(True)
        pen = series.pen()
        pen.setWidth(3)
        pen.setColor(colors[name])
        series.setPen(pen)
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    return chart


def grouped_bars_chart(
    title: str,
    categories: Sequence[str],
    people: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    colors: Mapping[str, QColor],
    *,
    keys: Sequence[str] | None = None,
) -> QChart:
    """A bar set per person over ``categories`` (shown names of ``keys``, the keys of
    ``counts``), side by side, each bar's count printed above it."""
    keys = list(keys if keys is not None else categories)
    chart = _chart(title)
    series = QBarSeries()
    for name in people:
        values = [counts.get((name, key), 0) for key in keys]
        bar_set = _bar_set(name, values, colors[name], inside=False)
        _tooltips(bar_set, [f"{name}: {v} {c}" for v, c in zip(values, categories, strict=True)])
        series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    highest = max((counts.get((n, k), 0) for n in people for k in keys), default=1)
    # Headroom over the highest bar for the count printed above it.
    _bars(chart, series, categories, _count_axis(highest * 1.15, "spans"))
    return chart


def stacked_rows_chart(
    title: str,
    categories: Sequence[str],
    people: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    colors: Mapping[str, QColor],
    *,
    keys: Sequence[str],
) -> QChart:
    """A horizontal bar per category (first at the top), split by person: long names (error
    types) read in full on the left, and the bar's length is the total."""
    rows = list(reversed(range(len(keys))))  # a category axis on the left runs bottom to top
    chart = _chart(title)
    series = QHorizontalStackedBarSeries()
    for name in people:
        values = [counts.get((name, keys[i]), 0) for i in rows]
        bar_set = _bar_set(name, values, colors[name], inside=True)
        _tooltips(
            bar_set, [f"{name}: {v} {categories[i]}" for v, i in zip(values, rows, strict=True)]
        )
        series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsCenter)
    totals = [sum(counts.get((n, k), 0) for n in people) for k in keys]
    _bars(
        chart,
        series,
        [categories[i] for i in rows],
        _count_axis(max(totals, default=1), "spans"),
        horizontal=True,
    )
    return chart


def agreement_chart(
    labels: Sequence[str], figures: Sequence[tuple[float | None, float | None]]
) -> QChart:
    """Per label, Cohen's kappa (mean over the pairs where it is defined) and Krippendorff's
    alpha. An undefined figure draws no bar and says so under its label."""
    chart = _chart("Agreement per label")
    series = QBarSeries()
    names = ("Cohen's kappa (mean of pairs)", "Krippendorff's alpha")
    for which, name in enumerate(names):
        values = [f[which] for f in figures]
        bar_set = _bar_set(
            name,
            [v if v is not None else 0.0 for v in values],
            QColor(("#3b6ea8", "#8fb8de")[which]),
            inside=False,
        )
        _tooltips(bar_set, [f"{label}: {name} " + ("undefined" if v is None else f"{v:.3f}")
                            for label, v in zip(labels, values, strict=True)])  # fmt: skip
        series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(2)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    categories = [label if all(v is not None for v in f) else f"{label} (n/a)"
                  for label, f in zip(labels, figures, strict=True)]  # fmt: skip
    low = math.floor(min([0.0, *(v for f in figures for v in f if v is not None)]) * 4) / 4
    marks = [(low + i * 0.25, f"{low + i * 0.25:.2f}") for i in range(int((1 - low) / 0.25) + 1)]
    axis = _labelled_axis(low, 1.15, marks)
    _bars(chart, series, categories, axis)
    return chart


def acceptance_chart(rules: Sequence[tuple[str, int, int, int, float | None]]) -> QChart:
    """A horizontal bar per rule (rule, accepted, rejected, pending, rate): its acceptance
    rate in percent, the counts behind it in its label and tooltip. Most prolific at the top."""
    chart = _chart("Suggestions accepted, per rule")
    ordered = list(reversed(rules))  # a category axis on the left runs bottom to top
    bar_set = _bar_set(
        "accepted of decided (%)",
        [rate * 100 if rate is not None else 0.0 for *_, rate in ordered],
        QColor("#009e73"),
        inside=False,
    )
    categories, tips = [], []
    for rule, accepted, rejected, pending, rate in ordered:
        shown = "no decisions yet" if rate is None else f"{rate:.0%}"
        # An undecided rule's bar prints "0%" like a rule nobody wants: its label says which.
        judged = "" if rate is not None else ", none judged"
        categories.append(f"{rule} ({accepted} ✓ {rejected} ✗ {pending} pending{judged})")
        tips.append(f"{rule}: {accepted} accepted, {rejected} rejected, {pending} pending; "
                    f"acceptance {shown}")  # fmt: skip
    _tooltips(bar_set, tips)
    series = QHorizontalBarSeries()
    series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value%")
    series.setLabelsPrecision(3)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    axis = _labelled_axis(
        0, 115, [(v, f"{v}%") for v in range(0, 101, 25)], "accepted / (accepted + rejected)"
    )
    _bars(chart, series, categories, axis, horizontal=True)
    chart.legend().hide()  # one set: the axis title says what it is
    return chart
