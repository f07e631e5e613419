"""The `annotator` command line: open the window, import articles, export the dataset, count.

A user's mistake (a file that is not an annotator database, a bad tagset, an unknown label, an
unwritable output file, Ctrl+C) ends with one line on stderr and a non-zero exit status; only
bugs produce a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator import __version__
from annotator.cli.desk import add_desk_commands
from annotator.cli.desktop import add_desktop_command
from annotator.cli.display import missing_display
from annotator.cli.evaluate import add_evaluate_command
from annotator.cli.kb import add_kb_commands
from annotator.cli.reading import only_reads
from annotator.cli.search import add_search_command
from annotator.cli.spelling import add_spelling_command
from annotator.cli.stats import add_stats_options, format_stats
from annotator.cli.suggest import add_suggest_command
from annotator.cli.team import add_team_commands
from annotator.cli.train import add_train_command
from annotator.core.errors import DatabaseError
from annotator.core.formats.claimreview import MissingPublisher
from annotator.core.formats.records import ExportNotes
from annotator.core.formats.spacy_docbin import FormatUnavailable
from annotator.core.kb import KBError
from annotator.core.tagset import TagsetError
from annotator.core.webfetch import TIMEOUT_S
from annotator.services.annotations import NotFound
from annotator.services.app import App, open_app
from annotator.services.dataset_import import NotADataset, import_any
from annotator.services.exporting import (
    FORMATS,
    UnknownDocument,
    UnknownLabel,
    UnknownLayer,
    export_dataset,
)
from annotator.services.formats import EXPORT_FORMATS, IMPORT_FORMATS, format_for_suffix
from annotator.services.progress import Cancelled, Reporter
from annotator.services.stats import corpus_stats

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USER_ERROR = 2  # what argparse uses for a bad command line, too
EXIT_CANCELLED = 130  # 128 + SIGINT, as shells report Ctrl+C

_EPILOG = """\
The database is --db, else $ANNOTATOR_DB, else annotator.sqlite3 in the user data folder.
A server's password comes from PGPASSWORD or ~/.pgpass, never from the command line.
The person acting is --user, else $ANNOTATOR_USER, else (in the window) the name it asked
for on its first start, else the login name.

exit status:
  0    success
  1    import: some files could not be imported (each is listed on stderr; the others were)
  2    error: bad command line, not an annotator database, bad tagset, unknown label,
       bad knowledge-base file, unwritable output file, ...
  130  cancelled (Ctrl+C); what an import committed before stays
"""


class UserError(Exception):
    """A problem with what the user asked for; the message is shown as is."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate athletics news articles for fact-checking.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="PATH_OR_URL", help="SQLite file or SQLAlchemy URL")
    parser.add_argument("--tagset", metavar="FILE", help="tagset TOML file")
    parser.add_argument(
        "--user", metavar="NAME", help="who is working (recorded with every change)"
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-vv for debug output)"
    )
    parser.set_defaults(handler=_cmd_gui, files=[])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("files", nargs="*", metavar="FILES", help="article files to import first")
    gui.set_defaults(handler=_cmd_gui)

    imp = commands.add_parser(
        "import",
        help="import articles (.txt, .md, .html, .pdf, .docx, .odt, folders, web pages by "
        "https:// address) and datasets (jsonl, doccano, Label Studio, brat)",
        epilog="Datasets are recognised by their content: annotator's JSONL (text and spans), "
        "doccano JSONL (text and label), Label Studio JSON (.json), brat (a folder holding "
        ".ann files, or one .ann). Every span is checked against its text; a record that does "
        "not fit is listed and the rest imported. A document already in the database gains "
        "the spans it lacks. Exit status 0 when everything was imported or already there, "
        "1 when some files or records failed (the others are imported), 2 on other errors.",
    )
    imp.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, folders (recursive) or http(s):// addresses of web pages",
    )
    imp.add_argument(
        "--timeout",
        type=_seconds,
        default=TIMEOUT_S,
        metavar="SECONDS",
        help=f"give up on a web page not fetched in this time ({TIMEOUT_S:g})",
    )
    imp.add_argument(
        "--format",
        choices=IMPORT_FORMATS,
        help="read every PATH as this dataset format instead of recognising it",
    )
    imp.set_defaults(handler=_cmd_import)

    exp = commands.add_parser(
        "export",
        help="export the annotated corpus as a dataset",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="formats:\n"
        + "\n".join(f"  {f.name:<12} {f.title}" for f in EXPORT_FORMATS.values())
        + "\n\nbrat writes a folder (OUT must be new, empty, or an earlier brat export); "
        "report writes HTML, or a PDF when OUT ends in .pdf.",
    )
    exp.add_argument(
        "--format", choices=FORMATS, help="dataset format (default: from the output's suffix)"
    )
    exp.add_argument("-o", "--output", required=True, type=Path, metavar="OUT")
    exp.add_argument(
        "--document",
        action="append",
        dest="documents",
        type=int,
        metavar="ID",
        help="export only this document (repeat for several; ids as the dataset shows them)",
    )
    exp.add_argument(
        "--review-url",
        metavar="URL",
        help="claimreview: the address of the page that publishes the fact checks",
    )
    exp.add_argument(
        "--publisher",
        metavar="NAME",
        help="claimreview (required): the fact-checking organisation publishing the reviews",
    )
    exp.add_argument(
        "--publisher-url",
        metavar="URL",
        help="claimreview: the organisation's web address",
    )
    exp.add_argument(
        "--include-pending", action="store_true", help="also export pending suggestions"
    )
    exp.add_argument(
        "--layer",
        metavar="LAYER",
        help="curated, an annotator's name, or all (default: the curated layer where a "
        "document has one, else every accepted span)",
    )
    exp.add_argument(
        "--label",
        action="append",
        dest="labels",
        metavar="L",
        help="export only spans with this label (repeat for several)",
    )
    exp.set_defaults(handler=_cmd_export)

    stats = commands.add_parser("stats", help="count documents and spans")
    add_stats_options(stats, opened=_opened, plain=_cmd_stats)  # --by annotator

    add_suggest_command(commands, opened=_opened, progress=_progress)
    add_kb_commands(commands, opened=_opened)
    add_evaluate_command(commands, opened=_opened, user_error=UserError)
    add_team_commands(commands, opened=_opened)
    add_desk_commands(commands, opened=_opened, user_error=UserError)
    add_search_command(commands, opened=_opened, progress=_progress, user_error=UserError)
    add_spelling_command(commands, opened=_opened)
    add_train_command(commands, opened=_opened, user_error=UserError)
    add_desktop_command(commands, user_error=UserError)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        return args.handler(args)
    except (KeyboardInterrupt, Cancelled):
        return _fail("cancelled", EXIT_CANCELLED)
    except (
        DatabaseError,
        TagsetError,
        UnknownLabel,
        UnknownLayer,
        UnknownDocument,
        KBError,
        NotFound,
        NotADataset,
        UserError,
        MissingPublisher,
    ) as exc:
        return _fail(str(exc), EXIT_USER_ERROR)
    except BrokenPipeError:
        # `annotator stats | head`: the reader left; no message, and no second error when
        # Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_USER_ERROR


def _fail(message: str, status: int) -> int:
    line = " ".join(message.split())  # one line, whatever the message held
    print(f"annotator: error: {line}", file=sys.stderr)
    return status


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    root = logging.getLogger()
    before = list(root.handlers)
    logging.basicConfig(level=level, format="annotator: %(levelname)s: %(name)s: %(message)s")
    if verbosity >= 2:
        return
    # Libraries (trafilatura, htmldate, pdfminer) log and warn about a file's insides in
    # their own words ("discarding data: None"); the user gets our one line per file
    # instead, and -vv shows theirs too. Only the handler made here is filtered.
    for handler in root.handlers:
        if handler not in before:
            handler.addFilter(_ours_only)
            logging.captureWarnings(True)


def _ours_only(record: logging.LogRecord) -> bool:
    return record.name == "annotator" or record.name.startswith("annotator.")


@contextlib.contextmanager
def _opened(args: argparse.Namespace) -> Iterator[App]:
    try:
        app = open_app(
            args.db, tagset=args.tagset, annotator=args.user, create=not only_reads(args)
        )
    except ValueError as exc:
        if isinstance(exc, TagsetError):
            raise
        raise UserError(str(exc)) from None
    try:
        yield app
    finally:
        app.close()


@contextlib.contextmanager
def _progress(description: str, unit: str) -> Iterator[Reporter]:
    """A tqdm bar on stderr when a person is watching; nothing in pipes and logs."""
    from tqdm import tqdm

    bar = tqdm(
        desc=description,
        unit=unit,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
        dynamic_ncols=True,
    )

    def progress(done: int, total: int, _what: str) -> None:
        if total and bar.total != total:
            bar.total = total
            bar.refresh()
        if done > bar.n:
            bar.update(done - bar.n)

    try:
        yield Reporter(progress=progress)
    finally:
        bar.close()


def _cmd_gui(args: argparse.Namespace) -> int:
    if (why := missing_display()) is not None:
        print(why, file=sys.stderr)
        return EXIT_USER_ERROR
    # Imported here so every other command works without Qt or a display.
    from annotator.ui.app import run

    return run(db=args.db, tagset=args.tagset, files=args.files, user=args.user)


def _cmd_import(args: argparse.Namespace) -> int:
    with _opened(args) as app, _progress("importing", "file") as reporter:
        report = import_any(
            app.db, args.paths, format=args.format, reporter=reporter, timeout=args.timeout
        )
    for error in report.errors:
        print(f"skipped {error.path}: {error.reason}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    for other in report.passed_over:
        print(f"passed over {other.path}: {other.reason}", file=sys.stderr)
    print(report.summary())
    return EXIT_SOME_FAILED if report.errors else EXIT_OK


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"not a number of seconds up to 3600: {text!r}")
    return value


def _export_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    found = format_for_suffix(args.output.suffix)
    if found is not None:
        return found
    raise UserError(
        f"cannot tell the format from {str(args.output)!r}: give --format ({', '.join(FORMATS)})"
    )


#: Notes printed in full; past this many, a count (the rest are in the log with -v).
_NOTES_SHOWN = 20


def _cmd_export(args: argparse.Namespace) -> int:
    fmt = _export_format(args)
    pdf = fmt == "report" and args.output.suffix.lower() == ".pdf"
    with _opened(args) as app, _progress("exporting", "doc") as reporter:
        options = dict(
            include_pending=args.include_pending,
            labels=args.labels,
            layer=args.layer,
            documents=args.documents,
            tagset=app.tagset,
            reporter=reporter,
        )
        try:
            if pdf:
                report = _export_pdf(app, args.output, options)
            else:
                report = export_dataset(
                    app.db,
                    args.output,
                    format=fmt,
                    review_url=args.review_url,
                    publisher=args.publisher,
                    publisher_url=args.publisher_url,
                    **options,
                )
        except FileExistsError as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        except FormatUnavailable as exc:  # the spaCy export without spaCy
            raise UserError(str(exc)) from None
    _print_notes(ExportNotes(report.notes))
    pending = report.pending_notice()
    if pending:
        print(f"note: {pending}", file=sys.stderr)
    print(f"exported {report.documents} documents, {report.spans} spans to {report.path}")
    return EXIT_OK


def _export_pdf(app: App, out: Path, options: dict):
    # Qt only for this one format: every other export runs without a display or PySide6.
    try:
        from annotator.ui.report_pdf import (
            ReportTooLong,
            ensure_gui_application,
            export_report_pdf,
        )
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != "PySide6":
            raise
        raise UserError(
            "the PDF report needs Qt (PySide6), which is not installed here; "
            "the HTML report (report.html) needs nothing more"
        ) from None

    ensure_gui_application()
    try:
        return export_report_pdf(app.db, out, **options)
    except ReportTooLong as exc:
        raise UserError(str(exc)) from None


def _print_notes(notes: ExportNotes) -> None:
    for message in notes.messages[:_NOTES_SHOWN]:
        print(f"note: {message}", file=sys.stderr)
    hidden = len(notes) - _NOTES_SHOWN
    if hidden > 0:
        print(f"note: … and {hidden} more like these (-v lists them all)", file=sys.stderr)
        for message in notes.messages[_NOTES_SHOWN:]:
            log.info("note: %s", message)


def _cmd_stats(args: argparse.Namespace) -> int:
    with _opened(args) as app:
        stats = corpus_stats(app.db)
        where = app.db.description
    print(f"database: {where}")
    print(format_stats(stats))
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
