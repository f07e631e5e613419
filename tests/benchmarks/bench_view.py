"""Benchmarks for the article view. Run on demand: ``python tests/benchmarks/bench_view.py``.

1. Opening a ~1 MB article with 20,000 spans in DocumentView, first paint included, against
   a bare QPlainTextEdit showing the same text (target: <= 3x the bare widget and < 1 s).
2. Adding one span: ``upsert_span`` plus a synchronous repaint (target: median <= 16 ms,
   one frame at 60 Hz). The window's key-press -> DB-commit version can reuse
   ``make_article``, ``open_view`` and ``visible_word_spans`` from here.

Not collected by pytest (addopts ignores tests/benchmarks); runs as a plain script.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

from annotator.core.model import Span, SpanStatus  # noqa: E402
from annotator.core.offsets import OffsetMap, snap_to_words  # noqa: E402
from annotator.core.tagset import Tagset, load_tagset  # noqa: E402
from annotator.ui.widgets.document_view import DocumentView  # noqa: E402

VIEW_SIZE = (1100, 800)

_ATHLETES = [
    "Jakob Ingebrigtsen",
    "Faith Kipyegon",
    "Narve Gilje Nordås",
    "Sifan Hassan",
    "Beatrice Chebet",
    "Mondo Duplantis",
    "Yaroslava Mahuchikh",
    "Ðorđe Šimić",
    "Zoë Åkesson",
    "Grant Fisher",
    "Ronald Kwemoi",
    "Keely Hodgkinson",
]
_EVENTS = ["1500m final", "5000m", "800m heats", "pole vault", "high jump", "10,000m"]
_DATES = ["10 August 2024", "2 June 2023", "21 July", "last Sunday", "14 September 2025"]
_PLACES = ["Paris", "Florence", "Oslo", "Eugene", "Zürich", "Brussels"]
_TEMPLATES = [
    "{a} won the {e} in {p} on {d}, ahead of {b}. ",
    "On {d} {a} 🏃‍♀️ set a meeting record in the {e}; {b} was second. ",
    "\u201cI felt strong,\u201d said {a} after the {e} in {p}. ",
    "{b} and {a} will meet again in the {e} at {p} on {d} 😀. ",
    "Coach 👩🏽‍🔬 analysis: {a} ran the {e} in 3:2{n}.{m}, a 𝒜-grade race. ",
]


def make_article(
    n_chars: int = 1_000_000, n_spans: int = 20_000, seed: int = 1
) -> tuple[str, list[Span]]:
    """A race-report article of about ``n_chars`` code points and ``n_spans`` spans spread
    evenly over it: athletes, events, dates and errors, some pending, some overlapping."""
    rng = random.Random(seed)
    parts: list[str] = []
    candidates: list[tuple[int, int, str]] = []
    length = 0
    while length < n_chars:
        fields = {
            "a": rng.choice(_ATHLETES),
            "b": rng.choice(_ATHLETES),
            "e": rng.choice(_EVENTS),
            "d": rng.choice(_DATES),
            "p": rng.choice(_PLACES),
            "n": rng.randint(0, 9),
            "m": rng.randint(10, 99),
        }
        sentence = rng.choice(_TEMPLATES).format(**fields)
        if rng.random() < 0.15:
            sentence += "\n\n"
        for key, label in (("a", "athlete"), ("e", "event"), ("d", "date"), ("b", "athlete")):
            needle = fields[key]
            at = sentence.find(needle)
            if at >= 0:
                candidates.append((length + at, length + at + len(needle), label))
        parts.append(sentence)
        length += len(sentence)
    text = "".join(parts)
    # One span in 40 is an error stacked on an athlete span (a misspelled name): overlaps.
    n_errors = n_spans // 40
    n_plain = n_spans - n_errors
    step = len(candidates) / n_plain
    spans: list[Span] = []
    for n in range(n_plain):
        start, end, label = candidates[int(n * step)]
        status = SpanStatus.PENDING if rng.random() < 0.2 else SpanStatus.ACCEPTED
        spans.append(Span(start, end, label, text[start:end], id=n + 1, status=status))
    athletes = [s for s in spans if s.label == "athlete"]
    for n in range(n_errors):
        over = athletes[int(n * len(athletes) / n_errors)]
        spans.append(
            Span(
                over.start,
                over.end,
                "error",
                over.text,
                id=n_plain + n + 1,
                error_type="misspelled_name",
                correction=over.text,
            )
        )
    return text, spans


def qapp() -> QApplication:
    return QApplication.instance() or QApplication(sys.argv[:1])


def first_paint(widget: QPlainTextEdit) -> None:
    widget.show()
    widget.grab()  # lays out and paints the visible part synchronously
    QApplication.processEvents()


def dispose(widget: QPlainTextEdit) -> None:
    """Really delete it: without a running event loop deleteLater alone never happens, and
    earlier runs' megabyte documents would linger and skew later measurements."""
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def open_view(tagset: Tagset, text: str, spans: Sequence[Span]) -> tuple[DocumentView, float]:
    """A shown DocumentView with the article, and the seconds set_document + paint took."""
    view = DocumentView(tagset)
    view.resize(*VIEW_SIZE)
    start = time.perf_counter()
    view.set_document(text, spans)
    first_paint(view)
    return view, time.perf_counter() - start


def open_plain(text: str) -> float:
    edit = QPlainTextEdit()
    edit.resize(*VIEW_SIZE)
    start = time.perf_counter()
    edit.setPlainText(text)
    first_paint(edit)
    elapsed = time.perf_counter() - start
    dispose(edit)
    return elapsed


def visible_word_spans(view: DocumentView, rng: random.Random, first_id: int) -> Iterator[Span]:
    """New spans on random words the user can see, as a selection + label key makes them."""
    text = view.stored_text()
    offsets = view.offset_map()
    next_id = first_id
    while True:
        rect = view.viewport().rect()
        top = offsets.from_utf16(view.cursorForPosition(rect.topLeft()).position())
        bottom = offsets.from_utf16(view.cursorForPosition(rect.bottomRight()).position())
        at = rng.randrange(top, max(top + 1, bottom - 1))
        start, end = snap_to_words(text, at, at + 1)
        if start == end or text[start:end].isspace():
            continue
        label = rng.choice(["athlete", "event", "date", "error"])
        yield Span(start, end, label, text[start:end], id=next_id)
        next_id += 1


def time_upserts(view: DocumentView, n_adds: int, seed: int = 2) -> list[float]:
    """Seconds for upsert_span + synchronous repaint, ``n_adds`` times; every 20 adds the
    view jumps somewhere else in the article (not timed), as a reader moves on."""
    rng = random.Random(seed)
    bar = view.verticalScrollBar()
    new_spans = visible_word_spans(view, rng, first_id=10_000_000)
    times = []
    for n in range(n_adds):
        if n % 20 == 0:
            bar.setValue(rng.randrange(bar.maximum() + 1))
            view.viewport().repaint()
        span = next(new_spans)
        start = time.perf_counter()
        view.upsert_span(span)
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
    return times


def repeat(fn: Callable[[], float], times: int) -> list[float]:
    return [fn() for _ in range(times)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--spans", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--adds", type=int, default=200)
    args = parser.parse_args(argv)

    qapp()
    tagset = load_tagset()
    text, spans = make_article(args.chars, args.spans)
    size_mb = len(text.encode("utf-8")) / 1e6
    print(
        f"article: {len(text):,} code points ({size_mb:.2f} MB UTF-8), {len(spans):,} spans, "
        f"viewport {VIEW_SIZE[0]}x{VIEW_SIZE[1]}"
    )

    open_plain(text)  # warm-up: fonts, glyph caches
    plain = repeat(lambda: open_plain(text), args.repeats)

    def view_once() -> float:
        view, elapsed = open_view(tagset, text, spans)
        dispose(view)
        return elapsed

    viewed = repeat(view_once, args.repeats)
    offset_map = repeat(lambda: _timed(lambda: OffsetMap(text)), args.repeats)

    view, _ = open_view(tagset, text, spans)
    painted = len(view.painted_spans())
    set_spans = repeat(lambda: _timed(lambda: view.set_spans(spans)), args.repeats)
    adds = time_upserts(view, args.adds)
    dispose(view)

    plain_med, view_med = statistics.median(plain), statistics.median(viewed)
    ratio = view_med / plain_med
    add_med = statistics.median(adds)
    rows = [
        ("bare QPlainTextEdit: setPlainText + paint", plain, ""),
        ("DocumentView: set_document + paint", viewed, "< 1000 ms"),
        ("  of which OffsetMap(text)", offset_map, ""),
        ("  set_spans(20k) alone", set_spans, ""),
        (f"upsert_span + repaint ({len(adds)} adds)", adds, "<= 16 ms"),
    ]
    print()
    print(f"{'measurement':46} {'median':>11} {'min':>11} {'max':>11}  target")
    print("-" * 92)
    for name, values, target in rows:
        print(
            f"{name:46} {ms(statistics.median(values))} {ms(min(values))} "
            f"{ms(max(values))}  {target}"
        )
    print("-" * 92)
    print(
        f"open ratio view/bare: {ratio:.2f}x (target <= 3x); "
        f"spans painted in the viewport after open: {painted}"
    )
    ok = ratio <= 3 and view_med < 1.0 and add_med <= 0.016
    print("RESULT:", "all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
