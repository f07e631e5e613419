"""View ▸ Dashboard: alice and bob annotate through the services, alice's window opens the
dashboard with its real shortcut, and every chart holds the desk's figures; agreement says
"Computing…" until its worker is done, then shows what ``measure`` gives."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCharts import QBarCategoryAxis, QDateTimeAxis
from PySide6.QtCore import QDateTime, Qt
from window_helpers import show_window

from annotator.core.agreement import measure
from annotator.core.model import DocStatus
from annotator.services import desk as desk_module
from annotator.services.agreement import gather_layers
from annotator.services.suggesting import suggest_documents
from annotator.ui.panels import dashboard as dashboard_module
from annotator.ui.panels.dashboard import (
    AGREEMENT,
    COMPUTING,
    DONE,
    ERRORS,
    RULES,
    SPANS,
    Dashboard,
)

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

DONE_MS = 10_000
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
KERR = "Josh Kerr beat Jakob Ingebrigsten in Tokyo on 18 September 2025. Cole Hocker was third."
MONDO = "Mondo Duplantis cleared 6.30 in Tokyo."


def tag(app, doc: int, text: str, needle: str, label: str, **fields) -> None:
    start = text.index(needle)
    app.annotations.create(document_id=doc, start=start, end=start + len(needle), label=label,
                           **fields)  # fmt: skip


def decide(app, doc: int, text: str, status: str) -> None:
    span = next(s for s in app.annotations.spans(doc)
                if s.text == text and s.status == "pending")  # fmt: skip
    app.annotations.update(span.id, status=status)


def done_on(app, doc: int, day: int, monkeypatch) -> None:
    monkeypatch.setattr(desk_module, "_now", lambda: dt.datetime(2025, 9, day, 10, 0))
    app.desk.set_status(doc, DocStatus.DONE)


@pytest.fixture
def desk(alice, bob, add_article, monkeypatch):
    kerr, mondo = add_article(KERR, title="Kerr"), add_article(MONDO, title="Mondo")
    suggest_documents(alice.db, alice.kb, tagset=alice.tagset, use_spacy=False,
                      document_ids=[kerr])  # fmt: skip
    decide(alice, kerr, "Josh Kerr", "accepted")  # kb-exact
    decide(alice, kerr, "Ingebrigsten", "accepted")  # fuzzy-kb, an error span
    decide(bob, kerr, "Cole Hocker", "rejected")  # kb-exact
    tag(alice, kerr, KERR, "Tokyo", "event")
    tag(alice, mondo, MONDO, "Mondo Duplantis", "athlete")
    tag(bob, kerr, KERR, "Josh Kerr", "athlete")
    tag(bob, mondo, MONDO, "Mondo Duplantis", "athlete")
    tag(bob, mondo, MONDO, "6.30", "error", error_type="wrong_number")
    done_on(alice, kerr, 10, monkeypatch)
    done_on(alice, mondo, 12, monkeypatch)
    done_on(bob, kerr, 12, monkeypatch)
    return kerr, mondo


@pytest.fixture
def window(qtbot, alice):
    win = show_window(qtbot, alice)
    yield win
    win.close()


@pytest.fixture
def held(monkeypatch):
    """The agreement worker waits for ``held.set()`` before reading any layer."""
    release = threading.Event()
    release.started = threading.Event()  # type: ignore[attr-defined]
    release.ended = threading.Event()  # type: ignore[attr-defined]

    def slow(db, **kwargs):
        release.started.set()
        try:
            release.wait(timeout=DONE_MS / 1000)
            yield from gather_layers(db, **kwargs)
        finally:
            release.ended.set()  # run to the end, or closed by the worker's cancel

    monkeypatch.setattr(dashboard_module, "gather_layers", slow)
    yield release
    release.set()


def open_dashboard(qtbot, window) -> Dashboard:
    qtbot.keyClick(window.view, Qt.Key.Key_D, CTRL_SHIFT)
    dashboard = window.findChild(Dashboard)
    assert dashboard is not None
    qtbot.waitUntil(dashboard.isVisible)
    return dashboard


def bars(chart) -> tuple[list[str], dict[str, list[float]]]:
    """(categories, bar set label -> values) of a bar chart."""
    (series,) = chart.series()
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    return axis.categories(), {
        s.label(): [s.at(i) for i in range(s.count())] for s in series.barSets()
    }


def test_the_dashboard_shows_the_desks_figures(qtbot, alice, desk, window, held):
    dashboard = open_dashboard(qtbot, window)
    assert ("Ctrl+Shift+D", "Dashboard") in window.actions.shortcut_rows()  # Help lists it
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.actions["dashboard"] in view_menu.actions()
    # The counts are there at once; agreement is still being computed.
    assert dashboard.chart(AGREEMENT) is None
    assert COMPUTING in dashboard.panels[AGREEMENT].message.text()
    assert dashboard.is_computing()

    done = dashboard.chart(DONE)
    lines = {
        s.name(): [(QDateTime.fromMSecsSinceEpoch(int(p.x())).date().toPython(), p.y())
                   for p in s.points()]
        for s in done.series()
    }  # fmt: skip
    assert lines == {
        "alice (2)": [(dt.date(2025, 9, 9), 0), (dt.date(2025, 9, 10), 1),
                      (dt.date(2025, 9, 12), 2)],
        "bob (1)": [(dt.date(2025, 9, 11), 0), (dt.date(2025, 9, 12), 1)],
    }  # fmt: skip
    date_axis = next(a for a in done.axes() if isinstance(a, QDateTimeAxis))
    assert date_axis.min().date().toPython() == dt.date(2025, 9, 9)
    assert date_axis.max().date().toPython() == dt.date(2025, 9, 13)

    assert bars(dashboard.chart(SPANS)) == (
        ["Athlete", "Event", "Error"],
        {"alice": [2.0, 1.0, 1.0], "bob": [2.0, 0.0, 1.0]},
    )
    # Horizontal, bottom to top: the first error type is drawn at the top.
    assert bars(dashboard.chart(ERRORS)) == (
        ["wrong number", "misspelled name"],
        {"alice": [0.0, 1.0], "bob": [1.0, 0.0]},
    )
    categories, rates = bars(dashboard.chart(RULES))
    # Bottom to top: the most prolific rule (kb-exact) is drawn at the top.
    assert categories == [
        "fuzzy-kb-athlete (0 ✓ 0 ✗ 1 pending, none judged)",
        "fuzzy-kb (1 ✓ 0 ✗ 0 pending)",
        "date-explicit (0 ✓ 0 ✗ 1 pending, none judged)",
        "kb-exact (1 ✓ 1 ✗ 0 pending)",
    ]
    assert rates == {"accepted of decided (%)": [0.0, 100.0, 0.0, 50.0]}
    assert (
        "<b>2</b> annotators · <b>3</b> marked done · suggestions accepted <b>2</b> of "
        "<b>3</b> decided" in dashboard.summary.text()
    )

    with qtbot.waitSignal(dashboard.agreementShown, timeout=DONE_MS) as shown:
        held.set()
    report = shown.args[0]
    assert report is not None and not dashboard.is_computing()
    expected = measure(gather_layers(alice.db))
    assert report == expected and report.documents == 2
    categories, figures = bars(dashboard.chart(AGREEMENT))

    def drawn(value):
        return 0.0 if value is None else pytest.approx(value)

    names = {"athlete": "Athlete", "event": "Event", "error": "Error"}
    labels = list(expected.labels)
    assert categories == [
        names[k]
        + (
            ""
            if expected.labels[k].alpha is not None
            and expected.labels[k].pairs[0].kappa is not None
            else " (n/a)"
        )
        for k in names
        if k in labels
    ]
    assert figures == {
        "Cohen's kappa (mean of pairs)":
            [drawn(expected.labels[k].pairs[0].kappa) for k in names if k in labels],
        "Krippendorff's alpha": [drawn(expected.labels[k].alpha) for k in names if k in labels],
    }  # fmt: skip
    # Both tagged Mondo Duplantis and Josh Kerr alike: athletes agree perfectly.
    assert figures["Krippendorff's alpha"][0] == pytest.approx(1.0)


def test_refresh_with_f5_reads_the_figures_again(qtbot, bob, desk, window):
    kerr, _ = desk
    dashboard = open_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: not dashboard.is_computing(), timeout=DONE_MS)
    tag(bob, kerr, KERR, "Cole Hocker", "athlete")
    tag(bob, kerr, KERR, "18 September 2025", "date")
    with qtbot.waitSignal(dashboard.refreshed, timeout=DONE_MS):
        qtbot.keyClick(dashboard.refresh_button, Qt.Key.Key_F5)
    assert bars(dashboard.chart(SPANS)) == (
        ["Athlete", "Event", "Date", "Error"],
        {"alice": [2.0, 1.0, 0.0, 1.0], "bob": [3.0, 0.0, 1.0, 1.0]},
    )
    qtbot.waitUntil(lambda: not dashboard.is_computing(), timeout=DONE_MS)


def test_an_empty_desk_says_what_is_missing_instead_of_drawing_empty_axes(qtbot, window):
    dashboard = open_dashboard(qtbot, window)
    with qtbot.waitSignal(dashboard.agreementShown, timeout=DONE_MS):
        pass
    for name in (DONE, SPANS, ERRORS, RULES, AGREEMENT):
        assert dashboard.chart(name) is None, name
    text = {name: panel.message.text() for name, panel in dashboard.panels.items()}
    assert "No documents done yet" in text[DONE]
    assert "No accepted spans yet" in text[SPANS]
    assert "No error spans yet" in text[ERRORS]
    assert "No suggestions yet" in text[RULES]
    assert "needs two annotators" in text[AGREEMENT]


def test_closing_the_window_while_agreement_computes_joins_the_worker(qtbot, desk, window, held):
    dashboard = open_dashboard(qtbot, window)
    qtbot.waitUntil(held.started.is_set, timeout=DONE_MS)
    assert dashboard.is_computing()
    # The worker is held; closing cancels it and waits for it (released shortly after).
    timer = threading.Timer(0.2, held.set)
    timer.start()
    window.close()
    timer.join()
    assert held.ended.is_set()  # window.close() returned after the worker had ended
    assert not dashboard.is_computing()


def test_esc_closes_the_dashboard_and_the_shortcut_brings_it_back_refreshed(
    qtbot, bob, desk, window
):
    kerr, _ = desk
    dashboard = open_dashboard(qtbot, window)
    qtbot.waitUntil(lambda: not dashboard.is_computing(), timeout=DONE_MS)
    qtbot.keyClick(dashboard.refresh_button, Qt.Key.Key_Escape)
    assert not dashboard.isVisible()
    tag(bob, kerr, KERR, "Cole Hocker", "athlete")
    window.activateWindow()  # the shortcut is the window's: it must be active again
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(dashboard.refreshed, timeout=DONE_MS):
        again = open_dashboard(qtbot, window)
    assert again is dashboard and len(window.findChildren(Dashboard)) == 1
    assert bars(dashboard.chart(SPANS))[1]["bob"] == [3.0, 0.0, 1.0]
    qtbot.waitUntil(lambda: not dashboard.is_computing(), timeout=DONE_MS)
