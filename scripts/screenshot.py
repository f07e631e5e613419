"""Render the real main window, annotated, to docs/screenshot.png (the README shows it).

Imports the bundled sample articles (resources/samples; ../shared/seeds when that folder has
none) into a temporary database, tags athletes, events, dates and errors through the
services (one error with a correction and a note, overlapping spans, a pending suggestion),
opens the best-annotated article with its error selected, and saves ``window.grab()``.
Runs offscreen; the user's settings and databases are never touched.

    python scripts/screenshot.py [--out docs/screenshot.png] [--size 1440x900] [--samples DIR]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

# (needle, label, extra fields). Needles missing from an article are skipped, so the same
# plan serves the bundled samples and the seed articles.
PLAN: list[tuple[str, str, dict[str, str]]] = [
    ("Faith Kipyegeon", "athlete", {}),
    (
        "Kipyegeon",
        "error",
        {
            "error_type": "misspelled_name",
            "correction": "Kipyegon",
            "note": "World Athletics athlete profile: Faith Kipyegon (KEN)",
        },
    ),
    ("World Championships in Tokyo", "event", {}),
    ("Tuesday", "date", {"value": "2025-09-16"}),
    ("Paris Olympics", "event", {}),
    (
        "2023",
        "error",
        {
            "error_type": "wrong_date",
            "correction": "2024",
            "note": "The Paris Olympic Games were held in 2024",
        },
    ),
    ("Jessica Hull", "athlete", {}),
    ("Dorcus Ewoi", "athlete", {"pending": "yes"}),
    ("Prefontaine Classic", "event", {}),
    ("Armand Duplantiss", "athlete", {}),
    ("Duplantiss", "error", {"error_type": "misspelled_name", "correction": "Duplantis"}),
    ("Emmanouil Karalis", "athlete", {}),
    ("Josh Kerr", "athlete", {}),
    ("Jakob Ingebritsen", "athlete", {}),
    ("Ingebritsen", "error", {"error_type": "misspelled_name", "correction": "Ingebrigtsen"}),
    ("Jakob Ingebrigsten", "athlete", {}),
    (
        "Ingebrigsten",
        "error",
        {
            "error_type": "misspelled_name",
            "correction": "Ingebrigtsen",
            "note": "Norwegian Athletics Federation: Jakob Ingebrigtsen",
        },
    ),
    ("September 13th", "date", {"pending": "yes", "value": "2025-09-13"}),
    ("Budapest", "event", {}),
]


def sample_paths(folder: Path | None = None) -> list[Path]:
    bundled = [REPO / "resources" / "samples", REPO.parent / "shared" / "seeds"]
    folders = [folder] if folder else bundled
    for folder in folders:
        if folder.is_dir():
            found = sorted(p for p in folder.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
            if any(p.suffix.lower() == ".txt" for p in found):
                return found[:3]
    raise SystemExit(f"no sample articles (.txt) found in {', '.join(map(str, folders))}")


def annotate(app, document_id: int) -> tuple[int, int | None]:
    """Apply PLAN to one document; returns (spans made, id of the first error with notes)."""
    from annotator.core.model import SpanStatus

    text = app.documents.get(document_id).text
    made, showcase = 0, None
    for needle, label, extra in PLAN:
        start = text.find(needle)
        if start < 0:
            continue
        fields = {k: v for k, v in extra.items() if k != "pending"}
        span = app.annotations.create(
            document_id=document_id, start=start, end=start + len(needle), label=label, **fields
        )
        if extra.get("pending"):
            app.annotations.update(span.id, status=SpanStatus.PENDING)
        if label == "error" and showcase is None and extra.get("note"):
            showcase = span.id
        made += 1
    return made, showcase


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument("--size", default="1440x900", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--samples", type=Path, help="folder of articles (default: the bundled)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("ANNOTATOR_USER", "fact-checker")
    logging.basicConfig(level=logging.WARNING)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.services.app import open_app
    from annotator.services.importing import import_paths
    from annotator.ui.app import build_main_window

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="annotator-screenshot-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        app = open_app(Path(tmp) / "screenshot.sqlite3")
        try:
            report = import_paths(app.db, sample_paths(args.samples))
            if not report.imported:
                raise SystemExit(f"no sample article could be imported: {report.summary()}")
            results = {doc_id: annotate(app, doc_id) for doc_id, _ in report.imported}
            best = max(results, key=lambda doc_id: results[doc_id][0])
            showcase = results[best][1]

            window = build_main_window(app, settings)
            window.resize(width, height)
            window.show()
            qt_app.processEvents()
            window.open_document(best)
            if showcase is not None:
                window.select_span(showcase)
            window.view.setFocus()
            # The status bar's pending count follows changes a moment later: count now.
            window.review.refresh()
            qt_app.processEvents()
            args.out.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(args.out)):
                raise SystemExit(f"could not write {args.out}")
            window.close()
        finally:
            app.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
