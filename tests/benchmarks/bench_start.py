"""Start-up benchmark: how long until a 100,000-document list is on screen, and at what memory.

Run on demand (pytest does not collect it):

    python tests/benchmarks/bench_start.py [--documents 100000] [--runs 3] [--fresh]

The database is generated once into the temp folder and reused while it holds the expected
number of documents. Each measurement runs in a fresh subprocess, so imports, Qt start-up and
the first query are all counted; the clock starts just before the subprocess is spawned
(CLOCK_MONOTONIC is system-wide on Linux, so both processes read the same clock).

What is measured: the real main window if ``annotator.ui.window.main_window.MainWindow`` exists and
can be built from an ``App``, otherwise the DocumentListPanel alone; shown, with its first page
painted (processEvents + grab). The baseline is a bare QApplication showing an empty
QTableView: the difference is what the annotator itself costs.

The list loads progressively (one page of ids, painted, then the rest), so "start" is not the
whole story: "all ids loaded" is when the list is complete, scrollable to its end and counted.
The phase table says where the start-up time goes (seconds since the process was spawned).

Targets: the window up in under 1.5 s, peak RSS under 400 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

TARGET_SECONDS = 1.5
TARGET_MB = 400
CHUNK = 5000

_ATHLETES = (
    "Faith Kipyegon",
    "Jakob Ingebrigtsen",
    "Mondo Duplantis",
    "Sydney McLaughlin-Levrone",
    "Noah Lyles",
    "Sifan Hassan",
    "Femke Bol",
    "Letsile Tebogo",
    "Julien Alfred",
    "Beatrice Chebet",
    "Ryan Crouser",
    "Yaroslava Mahuchikh",
    "Emmanuel Wanyonyi",
    "Josh Kerr",
)
_EVENTS = (
    "100 m",
    "200 m",
    "400 m",
    "800 m",
    "1500 m",
    "5000 m",
    "10,000 m",
    "marathon",
    "400 m hurdles",
    "pole vault",
    "high jump",
    "shot put",
    "mixed relay",
)
_PLACES = ("Paris", "Oslo", "Eugene", "Zurich", "Brussels", "Rome", "Xiamen", "Doha", "Nairobi")
_VERBS = ("wins", "breaks record in", "takes silver in", "withdraws from", "dominates", "edges")


def _article(rng: random.Random, n: int):
    from annotator.core.textload import LoadedArticle

    who, event, where = rng.choice(_ATHLETES), rng.choice(_EVENTS), rng.choice(_PLACES)
    title = f"{who} {rng.choice(_VERBS)} the {event} in {where} ({n})"
    sentences = [f"{title}."]
    while sum(map(len, sentences)) < rng.randint(1000, 2000):
        sentences.append(
            f"{rng.choice(_ATHLETES)} ran the {rng.choice(_EVENTS)} in {rng.choice(_PLACES)} "
            f"on {rng.randint(1, 28)} June {rng.randint(2015, 2025)}, "
            f"finishing in {rng.randint(9, 59)}.{rng.randint(0, 99):02d} seconds."
        )
    text = " ".join(sentences)
    return LoadedArticle(
        title=title,
        text=text,
        published=None,
        sha256=hashlib.sha256(f"{n}\0{text}".encode()).hexdigest(),
        source=f"/bench/articles/{n:06d}.txt",
        encoding="utf-8",
    )


def ensure_database(path: Path, documents: int, *, fresh: bool) -> None:
    from annotator.services.app import open_app
    from annotator.services.importing import import_articles

    if fresh and path.exists():
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    app = open_app(path, annotator="bench")
    try:
        have = app.documents.count()
        if have == documents:
            print(f"reusing {path} ({have:,} documents)")
            return
        if have:
            app.close()
            return ensure_database(path, documents, fresh=True)
        started = time.perf_counter()
        rng = random.Random(20240601)
        for first in range(0, documents, CHUNK):
            batch = [_article(rng, n) for n in range(first, min(first + CHUNK, documents))]
            import_articles(app.db, batch)
            print(f"\r  generated {first + len(batch):,} documents", end="", flush=True)
        print(f"\ncreated {path} in {time.perf_counter() - started:.1f} s")
    finally:
        app.close()


# -- what runs in the measured subprocess ---------------------------------------------------


def _child(kind: str, db: str) -> None:
    import resource

    phases: dict[str, float] = {}
    from PySide6.QtWidgets import QApplication, QTableView

    qt_app = QApplication([sys.argv[0]])
    phases["qt_ready"] = time.monotonic()
    extra: dict[str, object] = {"measured": kind}
    if kind == "baseline":
        widget = QTableView()
        widget.resize(1200, 800)
    else:
        widget, extra = _annotator_window(db, phases, panel_only=kind == "panel")
        phases["built"] = time.monotonic()
    widget.show()
    qt_app.processEvents()
    widget.grab()
    phases["painted"] = time.monotonic()
    if kind != "baseline":
        panel = _panel_of(widget)
        if panel is not None:
            _wait_for_ids(qt_app, panel)
            phases["ids_loaded"] = time.monotonic()
            extra.update(_interactions(qt_app, widget, panel))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"phases": phases, "rss_mb": rss_mb, **extra}))
    widget.close()


def _annotator_window(db: str, phases: dict[str, float], *, panel_only: bool):
    import importlib
    import importlib.util

    import sqlalchemy.orm  # noqa: F401  (its own phase: the largest import, and not ours)

    phases["sqlalchemy"] = time.monotonic()
    from annotator.services.app import open_app

    phases["services_imported"] = time.monotonic()
    has_window = not panel_only and importlib.util.find_spec("annotator.ui.window.main_window")
    module = importlib.import_module(
        "annotator.ui.window.main_window" if has_window else "annotator.ui.widgets.document_list"
    )
    phases["ui_imported"] = time.monotonic()
    app = open_app(db, annotator="bench")
    phases["app_opened"] = time.monotonic()
    if panel_only:
        return _panel(app), {"measured": "document list panel", "note": "--panel"}
    if has_window:
        window_class = getattr(module, "MainWindow", None)
        if window_class is not None:
            for args, kwargs in (((app,), {}), ((), {"app": app})):
                try:
                    window = window_class(*args, **kwargs)
                except TypeError as exc:
                    note = f"MainWindow(App) failed: {exc}"
                    continue
                window.resize(1200, 800)
                return window, {"measured": "main window"}
            return _panel(app), {"measured": "document list panel", "note": note}
    return _panel(app), {"measured": "document list panel", "note": "no MainWindow yet"}


def _panel(app):
    from annotator.ui.widgets.document_list import DocumentListPanel

    panel = DocumentListPanel(app.documents)
    panel.resize(480, 800)
    panel.layout().activate()  # see tests/ui/test_document_list.py: offscreen size hints
    return panel


def _panel_of(widget):
    from annotator.ui.widgets.document_list import DocumentListPanel

    if isinstance(widget, DocumentListPanel):
        return widget
    return widget.findChild(DocumentListPanel)


def _wait_for_ids(qt_app, panel, timeout: float = 60.0) -> None:
    """Run the event loop until the list holds every id (at once if it loads in one go)."""
    model = panel.model()
    deadline = time.monotonic() + timeout
    while getattr(model, "loading", False):
        if time.monotonic() > deadline:
            raise SystemExit(f"the rest of the ids did not arrive within {timeout:.0f} s")
        qt_app.processEvents()


def _interactions(qt_app, widget, panel) -> dict[str, object]:
    """A few timings after start-up: jump to the end, filter, clear the filter. A filter's
    first page is on screen at "_ms"; "_all_ms" is when its whole list is loaded."""
    model = panel.model()
    out: dict[str, object] = {"rows": model.rowCount()}
    started = time.perf_counter()
    panel.view().scrollToBottom()
    qt_app.processEvents()
    widget.grab()
    out["scroll_to_end_ms"] = (time.perf_counter() - started) * 1000
    for name, text in (("filter", "record"), ("unfilter", "")):
        started = time.perf_counter()
        model.set_filter(text)
        qt_app.processEvents()
        widget.grab()
        out[f"{name}_ms"] = (time.perf_counter() - started) * 1000
        _wait_for_ids(qt_app, panel)
        out[f"{name}_all_ms"] = (time.perf_counter() - started) * 1000
        if text:
            out["filtered_rows"] = model.rowCount()
    out["cached_pages"] = model.cached_pages
    return out


# -- the driver -----------------------------------------------------------------------------


def measure(kind: str, db: Path, pycache: Path | None = None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if pycache is not None:
        # Outside the source tree, so a benchmark run leaves no __pycache__ folders behind.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    command = [sys.executable, __file__, "--child", kind, "--db", str(db)]
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["phases"] = {name: t - started for name, t in result["phases"].items()}
    result["seconds"] = result["phases"]["painted"]
    result["qt_seconds"] = result["phases"]["qt_ready"]
    if "ids_loaded" in result["phases"]:
        result["ids_seconds"] = result["phases"]["ids_loaded"]
    return result


_PHASES = {
    "qt_ready": "QApplication ready",
    "sqlalchemy": "import sqlalchemy.orm",
    "services_imported": "import annotator services",
    "ui_imported": "import annotator UI",
    "app_opened": "open_app (database, tagset)",
    "built": "window built",
    "painted": "shown, first page painted",
    "ids_loaded": "all ids loaded",
}


def print_phases(runs: list[dict]) -> None:
    print("phases, median seconds since spawn (+ since the previous phase):")
    before = 0.0
    for key, label in _PHASES.items():
        marks = [r["phases"][key] for r in runs if key in r["phases"]]
        if len(marks) == len(runs):
            at = statistics.median(marks)
            print(f"  {label:30}{at:7.3f}  +{at - before:.3f}")
            before = at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="regenerate the database")
    parser.add_argument(
        "--panel", action="store_true", help="measure the document list alone, not the window"
    )
    parser.add_argument(
        "--bytecode-cache",
        action="store_true",
        help="keep compiled modules between runs, as an installed package has them (by default "
        "the environment decides: with PYTHONDONTWRITEBYTECODE every run compiles ~0.1 s)",
    )
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, str(args.db))
        return

    db = args.db or Path(tempfile.gettempdir()) / "annotator-bench" / f"{args.documents}.sqlite3"
    ensure_database(db, args.documents, fresh=args.fresh)

    target = "panel" if args.panel else "window"
    pycache = db.parent / "pycache" if args.bytecode_cache else None
    if pycache is not None:
        for kind in ("baseline", target):
            measure(kind, db, pycache)  # fills the cache; not counted
    results: dict[str, list[dict]] = {"baseline": [], "annotator": []}
    for _ in range(args.runs):
        for kind in results:
            results[kind].append(measure(kind if kind == "baseline" else target, db, pycache))

    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    base_s, app_s = median("baseline", "seconds"), median("annotator", "seconds")
    base_mb, app_mb = median("baseline", "rss_mb"), median("annotator", "rss_mb")
    last = results["annotator"][-1]
    print(f"\nmedian of {args.runs} fresh processes, {args.documents:,} documents")
    print(f"measured: {last['measured']}" + (f" ({last['note']})" if "note" in last else ""))
    if pycache is not None:
        print(f"bytecode: cached in {pycache} (as an installed package has it)")
    elif sys.flags.dont_write_bytecode:
        print(
            "bytecode: PYTHONDONTWRITEBYTECODE is set, so every run compiles the annotator's "
            "modules (~0.1 s; see --bytecode-cache)"
        )
    print(f"{'':22}{'start (s)':>10}{'peak RSS (MB)':>15}")
    print(f"{'baseline QTableView':22}{base_s:10.3f}{base_mb:15.1f}")
    print(f"{'annotator':22}{app_s:10.3f}{app_mb:15.1f}")
    print(f"{'difference':22}{app_s - base_s:10.3f}{app_mb - base_mb:15.1f}")
    print(f"{'ratio':22}{app_s / base_s:10.2f}{app_mb / base_mb:15.2f}")
    if all("ids_seconds" in r for r in results["annotator"]):
        ids_s = median("annotator", "ids_seconds")
        after = ids_s - app_s
        print(f"{'all ids loaded':22}{ids_s:10.3f}   (+{after:.3f} after the first paint)")
    starts = ", ".join(f"{r['seconds']:.3f}" for r in results["annotator"])
    print(f"each run's start (s): {starts}")
    print_phases(results["annotator"])
    keys = (
        "rows",
        "scroll_to_end_ms",
        "filter_ms",
        "filter_all_ms",
        "filtered_rows",
        "unfilter_ms",
        "unfilter_all_ms",
    )
    for key in keys:
        if key in last:
            value = last[key]
            print(f"  {key}: {value:,.1f}" if isinstance(value, float) else f"  {key}: {value:,}")
    if "cached_pages" in last:
        print(f"  cached pages at the end: {last['cached_pages']}")
    ok_time, ok_memory = app_s < TARGET_SECONDS, app_mb < TARGET_MB
    print(f"target start < {TARGET_SECONDS} s: {'met' if ok_time else 'MISSED'}")
    print(f"target memory < {TARGET_MB} MB: {'met' if ok_memory else 'MISSED'}")


if __name__ == "__main__":
    main()
