"""`annotator suggest [--doc ID ...]`: store the suggesters' spans as pending annotations.

Kept apart from cli.py, which registers the command and turns a user's mistake (an unknown
document id is a NotFound) into one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from annotator.core.suggest.spelling import SpellChecker
from annotator.services.app import App
from annotator.services.progress import Reporter
from annotator.services.suggest_pool import default_jobs
from annotator.services.suggesting import suggest_documents

log = logging.getLogger(__name__)

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]
Progress = Callable[[str, str], contextlib.AbstractContextManager[Reporter]]


def add_suggest_command(commands: Any, *, opened: Opener, progress: Progress) -> None:
    """Add `suggest` to the main parser's subcommands; ``opened(args)`` opens the app and
    ``progress(description, unit)`` gives the stderr progress bar, as for the other commands."""
    cmd = commands.add_parser(
        "suggest",
        help="add suggestions (athletes, events, dates, misspellings) as pending spans",
        description="Run the suggesters over every document (or those given with --doc) and "
        "store what they find as pending spans to accept or reject in the window. A span "
        "that is already annotated with the same label, or was rejected before, is left "
        "alone, so running it again adds only what is new.",
    )
    cmd.add_argument(
        "--doc", dest="document_ids", action="append", type=int, metavar="ID",
        help="only this document (repeat for several); default: all",
    )  # fmt: skip
    cmd.add_argument(
        "--jobs", "-j", type=_positive, metavar="N",
        help=f"worker processes running the suggesters (default: every core, {default_jobs()} "
        "here, when there is enough text to repay starting them); the stored spans are the "
        "same for any N",
    )  # fmt: skip
    cmd.set_defaults(handler=lambda args: _cmd_suggest(args, opened, progress))


def _cmd_suggest(args: argparse.Namespace, opened: Opener, progress: Progress) -> int:
    missing = SpellChecker().unavailable()
    if missing is not None:
        log.warning("spelling is not checked: %s", missing)
    with opened(args) as app, progress("suggesting", "doc") as reporter:
        report = suggest_documents(
            app.db, app.kb, tagset=app.tagset, document_ids=args.document_ids,
            reporter=reporter, actor=app.annotations.annotator, jobs=args.jobs,
        )  # fmt: skip
    log.info("suggested in %d documents", report.documents)
    print(report.summary())
    return 0


def _positive(value: str) -> int:
    n = int(value) if value.isdigit() else 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return n
