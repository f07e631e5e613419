"""`annotator log`: who changed what, from the change log every client writes.

Kept apart from cli.py, which registers the command.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from annotator.services.app import App
from annotator.services.changes import Change

Opener = Callable[[argparse.Namespace], contextlib.AbstractContextManager[App]]


def add_team_commands(commands: Any, *, opened: Opener) -> None:
    log = commands.add_parser(
        "log",
        help="print the change log: who created, edited, accepted or deleted which span",
        description="Oldest first, one change a line: time (UTC), person, document, span, "
        "what changed.",
    )
    log.add_argument("--document", action="append", dest="log_documents", type=int,
                     metavar="ID", help="only this document (repeat for several)")
    log.add_argument("--user", action="append", dest="log_users", metavar="NAME",
                     help="only this person's changes (repeat for several)")
    log.add_argument("--span", dest="log_span", type=int, metavar="ID",
                     help="only this span's history")
    log.add_argument("--limit", type=int, metavar="N", help="at most N lines (the newest)")
    log.set_defaults(handler=lambda args: _cmd_log(args, opened))


def _cmd_log(args: argparse.Namespace, opened: Opener) -> int:
    with opened(args) as app:
        entries = app.changes.entries(
            document_ids=args.log_documents or (), users=args.log_users or (),
            span_id=args.log_span,
        )  # fmt: skip
    if args.limit is not None:
        entries = entries[-args.limit :] if args.limit > 0 else []
    for change in entries:
        print(format_change(change))
    return 0


def format_change(change: Change) -> str:
    at = change.at.replace(tzinfo=dt.UTC) if change.at.tzinfo is None else change.at
    where = f"doc {change.document_id}" if change.document_id is not None else "-"
    span = f"span {change.span_id}" if change.span_id is not None else "-"
    return f"{at:%Y-%m-%d %H:%M:%S}  {change.actor}  {where}  {span}  {change.describe()}"
